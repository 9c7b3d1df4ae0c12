"""The printable edition: one print page assembled from the built site, printed to a PDF.

`assemble` reads the pages of the briefing from the built site in the order of the navigation
(every page but the register, the sources, the changelog and the charts page, whose charts are
on the core pages), takes each page's article, and writes `print/index.html`: a cover (title, the
day the figures were last checked, the commit), a table of contents, then one chapter a page with
its footnotes as the chapter's endnotes, numbered as on the web page. Ids are prefixed with the
chapter, links between chapters stay inside the book, and every other link points at the
published site, so the PDF's links work from any copy of it.

`print_pdf` prints that page with headless Chromium (`--print-to-pdf`, with the document outline
made from the headings), twice: the first printing tells on which page each chapter starts, and
the contents of the second carry those page numbers. Only the built site and the ledger are read,
so it works whatever generator built the pages.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from posixpath import join as urljoin
from posixpath import normpath
from urllib.parse import urlsplit

from ..core.render import format_date
from ..core.words import say
from ..ledger.changelog import ChangeEntry
from ..ledger.model import Store
from . import chromium
from .publish import last_checked, page_title, text_of
from .siteconf import NavPage, SiteConf

PRINT_PAGE = "print/index.html"
PDF = "briefing-book.pdf"
# Pages of the navigation that are not part of the printed briefing.
LEFT_OUT = ("facts.md", "facts/", "sources.md", "changelog.md", "charts.md")
CHROMIUM = chromium.PATH
_CHROMIUM_FLAGS = [*chromium.HEADLESS, "--no-pdf-header-footer", "--generate-pdf-document-outline"]
_ARTICLE_RX = re.compile(r'<article class="md-content__inner[^"]*">(.*?)</article>', re.S)


class PrintError(Exception):
    """The print edition cannot be made; the message says why in one line."""


@dataclass
class Chapter:
    slug: str
    title: str
    url: str  # the page's address relative to the site root
    body: str
    sections: list[tuple[str, str]]  # (id, title) of its h2 headings


def book_pages(nav: Sequence[NavPage]) -> list[NavPage]:
    return [p for p in nav if not any(p.src == x or (x.endswith("/") and p.src.startswith(x)) for x in LEFT_OUT)]


def _slug(url: str) -> str:
    return url.strip("/").replace("/", "-") or "overview"


def _rewrite_link(href: str, page_url: str, slug: str, chapters: dict[str, str], conf: SiteConf) -> str:
    if href.startswith("#"):
        return f"#{slug}--{href[1:]}"
    if re.match(r"^[a-z][a-z0-9+.-]*:", href):  # https:, mailto:
        return href
    path, _, anchor = href.partition("#")
    root = urlsplit(conf.url).path or "/"
    if path.startswith("/"):  # from the root of the site's address (the downloads, the feed)
        if not path.startswith(root):
            return href
        path, page_url = path[len(root) :], ""
    target = normpath(urljoin(page_url or ".", path)) if path else page_url.rstrip("/")
    target = "" if target == "." else target
    key = (
        target.rstrip("/") + "/"
        if target and not target.endswith((".html", ".json", ".csv", ".bib", ".pdf"))
        else target
    )
    if key.endswith("index.html"):
        key = key[: -len("index.html")]
    if key in chapters:
        other = chapters[key]
        return f"#{other}--{anchor}" if anchor else f"#ch-{other}"
    return conf.url + key + (f"#{anchor}" if anchor else "")


def chapter_html(page_html: str, page: NavPage, slug: str, chapters: dict[str, str], conf: SiteConf) -> Chapter:
    article = _ARTICLE_RX.search(page_html)
    if not article:
        raise PrintError(f"{page.url or 'index'}/index.html has no article to print")
    body = article.group(1)
    title = page_title(page_html, conf)
    body = re.sub(r'<a [^>]*class="md-content__button[^"]*"[^>]*>.*?</a>', "", body, flags=re.S)
    body = re.sub(r'<a class="headerlink"[^>]*>.*?</a>', "", body, flags=re.S)
    body = re.sub(
        r'<div class="admonition quote">\s*<p class="admonition-title">Cite this page</p>.*?</div>\n?',
        "",
        body,
        flags=re.S,
    )
    body = re.sub(r'(?:&#160;)?<a class="footnote-backref"[^>]*>.*?</a>', "", body, flags=re.S)
    body = re.sub(
        r'<div class="footnote">\s*<hr\s*/?>\s*<ol>(.*?)</ol>\s*</div>',
        lambda m: (
            '<section class="endnotes"><h2 id="notes">'
            + say(conf.language, "Notes to “{title}”", title=html.escape(title))
            + "</h2>"
            f"<ol>{m.group(1)}</ol></section>"
        ),
        body,
        flags=re.S,
    )
    # A chart and its caption print as one block that never breaks; the table of its figures
    # follows the figure, so that a long table may run on to the next page.
    body = re.sub(
        r'(<figure class="chart[^"]*"[^>]*>.*?)(<details\b.*?</details>)\s*</figure>',
        r"\1</figure>\n\2",
        body,
        flags=re.S,
    )
    body = body.replace("<details", "<details open")
    body = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{slug}--{m.group(1)}"', body)
    body = re.sub(
        r'\bhref="([^"]*)"',
        lambda m: f'href="{html.escape(_rewrite_link(html.unescape(m.group(1)), page.url, slug, chapters, conf))}"',
        body,
    )
    body = re.sub(
        r'\bsrc="([^"]+)"',
        lambda m: (
            f'src="{m.group(1)}"'
            if re.match(r"^[a-z]+:", m.group(1))
            else f'src="../{normpath(urljoin(page.url or ".", m.group(1)))}"'
        ),
        body,
    )
    sections = [
        (f"{slug}--{i}", text_of(t))
        for i, t in re.findall(rf'<h2 id="{re.escape(slug)}--([^"]+)"[^>]*>(.*?)</h2>', body)
    ]
    sections = [(i, t) for i, t in sections if not i.endswith("--notes")]
    return Chapter(slug, title, page.url, body, sections)


def commit_of(project: Path) -> str:
    sha = os.environ.get("BRIEFING_COMMIT") or os.environ.get("GITHUB_SHA")
    if not sha:
        try:
            sha = subprocess.run(
                ["git", "describe", "--always", "--dirty", "--abbrev=12"],
                cwd=project,
                capture_output=True,
                text=True,
                timeout=20,
                check=True,
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            sha = ""
    return (sha if "-" in sha else sha[:12]) if sha else "not recorded"  # "-dirty": printed with local changes


MAX_SECTIONS = 14  # a chapter with more headings than this lists only itself in the contents


def _toc(chapters: Sequence[Chapter], pages: dict[str, int], lang: str = "en") -> str:
    def row(href: str, text: str) -> str:
        page = pages.get(href)
        number = f'<span class="toc__page">{page}</span>' if page else ""
        kind = "toc__row" if page else "toc__row toc__row--bare"
        return f'<span class="{kind}"><a href="#{href}">{html.escape(text)}</a>{number}</span>'

    items = []
    for ch in chapters:
        sections = ch.sections if len(ch.sections) <= MAX_SECTIONS else []
        subs = "".join(f"<li>{row(i, t)}</li>" for i, t in sections)
        items.append(f"<li>{row('ch-' + ch.slug, ch.title)}<ol>{subs}</ol></li>")
    return f'<nav class="toc"><h1 id="contents">{say(lang, "Contents")}</h1><ol>{"".join(items)}</ol></nav>'


COVER_NOTE = (
    "Every figure carries a note number; each chapter's notes follow it, numbered as on the web page. "
    "Figures whose sources disagree are marked “sources differ”; the register online shows every claim "
    "with its source."
)


def page_html(
    chapters: Sequence[Chapter], conf: SiteConf, checked: str, commit: str, css: str, pages: dict[str, int]
) -> str:
    lang = conf.language
    checked_text = format_date(checked, lang) if checked else say(lang, "not recorded")
    footer_name = conf.name.replace("\\", "\\\\").replace('"', '\\"')
    cover = f"""<section class="cover">
<div class="cover__band">
<p class="cover__kicker">{say(lang, "Briefing book · printed edition")}</p>
<div class="cover__title">{html.escape(conf.name)}</div>
<p class="cover__summary">{html.escape(conf.description)}</p>
</div>
<dl>
<dt>{say(lang, "Figures last checked")}</dt><dd>{html.escape(checked_text)}</dd>
<dt>{say(lang, "Edition")}</dt><dd>{say(lang, "commit")} <code>{html.escape(commit)}</code></dd>
<dt>{say(lang, "Online, with search and the fact register")}</dt>
<dd><a href="{html.escape(conf.url)}">{html.escape(conf.url)}</a></dd>
</dl>
<p class="cover__note">{say(lang, COVER_NOTE)}</p>
</section>"""
    body = "\n".join(f'<section class="chapter md-typeset" id="ch-{ch.slug}">{ch.body}</section>' for ch in chapters)
    return f"""<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>{html.escape(conf.name)}</title>
<meta name="robots" content="noindex">
<link rel="canonical" href="{html.escape(conf.url)}">
<link rel="stylesheet" href="../assets/briefing.css">
<style>
{css}
@page {{ @bottom-left {{ content: "{footer_name}"; }} }}
@page :first {{ @bottom-left {{ content: none; }} }}
</style>
</head>
<body>
{cover}
{_toc(chapters, pages, lang)}
{body}
</body>
</html>
"""


def assemble(
    site_dir: Path, conf: SiteConf, store: Store, changes: Sequence[ChangeEntry], project: Path, pages: dict[str, int]
) -> tuple[Path, list[Chapter]]:
    book = book_pages(conf.nav)
    slugs = {p.url: _slug(p.url) for p in book}
    chapters = []
    for page in book:
        path = site_dir / page.url / "index.html"
        if not path.is_file():
            raise PrintError(f"{page.url or '.'}/index.html is not in {site_dir}: build the site first")
        chapters.append(chapter_html(path.read_text(encoding="utf-8"), page, slugs[page.url], slugs, conf))
    css = (Path(__file__).parent / "print.css").read_text(encoding="utf-8")
    out = site_dir / PRINT_PAGE
    out.parent.mkdir(parents=True, exist_ok=True)
    text = page_html(chapters, conf, last_checked(store, changes), commit_of(project), css, pages)
    out.write_text(text, encoding="utf-8")
    return out, chapters


def _chromium_print(page: Path, pdf: Path) -> None:
    if not Path(CHROMIUM).exists():
        raise PrintError(f"{CHROMIUM} is missing: `make browser` installs Debian's chromium")
    with tempfile.TemporaryDirectory(prefix="briefing-print-") as profile:
        command = [CHROMIUM, *_CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={pdf}", page.as_uri()]
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=300)
        except subprocess.TimeoutExpired as error:
            raise PrintError("chromium did not finish printing within five minutes") from error
    if result.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
        raise PrintError(f"chromium could not print the book (exit {result.returncode}): {result.stderr[-500:]}")


def locate(pdf: Path, chapters: Sequence[Chapter]) -> dict[str, int]:
    """On which page each chapter and each of its listed headings starts, read from the PDF's text
    (pdftotext: one page a form feed); a heading not found is listed without a number."""
    try:
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, timeout=120, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    pages = [[" ".join(line.split()) for line in page.splitlines() if line.strip()] for page in text.split("\f")]
    found: dict[str, int] = {}
    after = 2  # the cover and the contents come first
    for ch in chapters:
        title = " ".join(ch.title.split())
        start = next((n for n in range(after, len(pages)) if pages[n] and pages[n][0] == title), None)
        if start is None:
            continue
        found["ch-" + ch.slug] = start + 1
        after = start
        for anchor, heading in ch.sections if len(ch.sections) <= MAX_SECTIONS else []:
            wanted = " ".join(heading.split())
            at = next((n for n in range(after, len(pages)) if wanted in pages[n]), None)
            if at is not None:
                found[anchor] = at + 1
                after = at
    return found


def print_pdf(
    site_dir: Path, conf: SiteConf, store: Store, changes: Sequence[ChangeEntry], project: Path
) -> tuple[Path, list[Chapter]]:
    """Assemble the print page and print it to site/briefing-book.pdf; returns the PDF's path."""
    site_dir = site_dir.resolve()
    pdf = site_dir / PDF
    page, chapters = assemble(site_dir, conf, store, changes, project, {})
    _chromium_print(page, pdf)
    numbers = locate(pdf, chapters)
    if numbers:
        page, chapters = assemble(site_dir, conf, store, changes, project, numbers)
        _chromium_print(page, pdf)
    return pdf, chapters
