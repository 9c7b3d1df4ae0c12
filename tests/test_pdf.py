"""The printed edition: `python -m macros pdf` over a copy of the real built site, read back with
poppler's pdftotext and pdffonts. One printing (two chromium runs) serves every test here."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest

from macros.core.render import format_date
from macros.finish.printbook import LEFT_OUT, PDF, book_pages
from macros.finish.publish import last_checked, text_of
from macros.finish.siteconf import load
from macros.ledger.changelog import load_changelog
from macros.ledger.validate import CHANGELOG, load_store
from tests.sites import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.realsite]

CORE_PAGES = ["technology", "industry-impact", "copyright-policy", "risks"]
# The page's body, without the footer line (page number and book title) in the bottom margin.
BODY = ["-x", "0", "-y", "0", "-W", "600", "-H", "780"]


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-raw", *BODY, str(pdf), "-"], capture_output=True, text=True, check=True)
    return text.stdout.split("\f")


def _squeeze(text: str) -> str:
    """Without any whitespace: a line may break anywhere, after a dash or inside a figure."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="session")
def pages(printed: Path) -> list[str]:
    return _pages(printed / PDF)


def _chapter(pages: list[str], title: str, next_title: str | None) -> str:
    """The text of one chapter: from the page its title opens to the page before the next's."""
    start = next(i for i, p in enumerate(pages) if i > 1 and p.strip().startswith(title))
    end = next(
        (i for i, p in enumerate(pages) if i > start and next_title and p.strip().startswith(next_title)), len(pages)
    )
    return "\n".join(pages[start:end])


class _Figures(HTMLParser):
    """Each `.fig` of an article: its text and the footnote numbers right after it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.figures: list[tuple[str, list[str]]] = []
        self.depth = 0
        self.in_sup = False
        self.after = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth:
            self.depth += 1
            self.in_sup = self.in_sup or tag == "sup"
        elif tag == "span" and "fig" in (dict(attrs).get("class") or "").split():
            self.figures.append(("", []))
            self.depth = 1
        elif tag == "sup" and self.after:
            self.in_sup = True
        elif tag != "a":
            self.after = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "sup":
            self.in_sup = False
        if self.depth:
            self.depth -= 1
            self.after = self.depth == 0

    def handle_data(self, data: str) -> None:
        if self.depth and not self.in_sup:
            text, numbers = self.figures[-1]
            self.figures[-1] = (text + data, numbers)
        elif self.after and self.in_sup and data.strip().isdigit():
            self.figures[-1][1].append(data.strip())
        elif self.after and data.strip():
            self.after = False


def _article(site: Path, page: str) -> str:
    html = (site / page / "index.html").read_text(encoding="utf-8")
    match = re.search(r'<article class="md-content__inner[^"]*">(.*?)</article>', html, re.S)
    assert match
    return match.group(1)


def _titles(site: Path) -> list[str]:
    return [
        text_of(re.search(r"<h1\b[^>]*>(.*?)</h1>", _article(site, p.url or "."), re.S).group(1))  # type: ignore[union-attr]
        for p in book_pages(load(ROOT / "mkdocs.yml").nav)
    ]


def _core_chapters(printed: Path, pages: list[str]) -> Iterator[tuple[str, str]]:
    nav = book_pages(load(ROOT / "mkdocs.yml").nav)
    titles = _titles(printed)
    for page in CORE_PAGES:
        at = [p.url for p in nav].index(page + "/")
        yield page, _chapter(pages, titles[at], titles[at + 1] if at + 1 < len(titles) else None)


def test_every_figure_of_the_core_pages_is_printed_with_its_footnote_number(printed: Path, pages: list[str]) -> None:
    missing, counted = [], 0
    for page, chapter in _core_chapters(printed, pages):
        text = _squeeze(chapter)
        parser = _Figures()
        parser.feed(_article(printed, page))
        for figure, numbers in parser.figures:
            assert numbers, f"{page}: figure {figure!r} has no footnote on the web page"
            counted += 1
            if not re.search(re.escape(_squeeze(figure)) + ",?".join(numbers), text):
                missing.append(f"{page}: {figure[:60]!r} with note {','.join(numbers)}")
    assert counted > 300
    assert missing == []


def test_each_chapter_ends_with_its_notes_numbered_as_on_the_web_page(printed: Path, pages: list[str]) -> None:
    for page, chapter in _core_chapters(printed, pages):
        notes = re.findall(r'<li id="fn:[^"]+">(.*?)</li>', _article(printed, page), re.S)
        assert len(notes) > 10
        marker = chapter.find("Notes to “")
        assert marker > 0, f"{page}: no notes section in its chapter"
        text, at = _squeeze(chapter[marker:]), 0
        for number, note in enumerate(notes, start=1):
            wanted = f"{number}." + _squeeze(text_of(note))[:25]
            found = text.find(wanted, at)
            assert found >= 0, f"{page}: note {number} ({text_of(note)[:40]!r}) not found in order"
            at = found


def test_cover_names_the_last_check_and_the_commit_and_contents_list_the_chapters(
    printed: Path, pages: list[str]
) -> None:
    store, _ = load_store(ROOT / "data", ROOT)
    changes, _ = load_changelog(ROOT / "data" / CHANGELOG, ROOT, store)
    cover = " ".join(pages[0].split())
    assert "Figures last checked " + format_date(last_checked(store, changes)) in cover
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    if commit:
        assert commit[:12] in cover
    contents = " ".join(" ".join(pages[1:4]).split())
    at = 0
    for title in _titles(printed):
        # Each chapter is listed, in order, with the page it starts on (a section of an earlier
        # chapter may share its title, so the first entry that names the right page counts).
        starts = [
            m
            for m in re.finditer(re.escape(title) + r" (\d+)", contents[at:])
            if pages[int(m.group(1)) - 1].strip().startswith(title)
        ]
        assert starts, f"{title} is not in the contents with the page it starts on"
        at += starts[0].end()


def test_the_book_leaves_out_the_register_and_keeps_the_after_launch_pages(printed: Path) -> None:
    chapters = [p.src for p in book_pages(load(ROOT / "mkdocs.yml").nav)]
    assert chapters[:5] == ["index.md", "technology.md", "industry-impact.md", "copyright-policy.md", "risks.md"]
    assert {"timeline.md", "competitors.md", "glossary.md", "contested.md", "methodology.md"} <= set(chapters)
    assert not any(c.startswith("facts") or c in LEFT_OUT for c in chapters)
    print_page = (printed / "print" / "index.html").read_text(encoding="utf-8")
    assert 'id="ch-after-launch"' in print_page or "after-launch.md" not in (ROOT / "mkdocs.yml").read_text()


def test_fonts_are_embedded_with_a_cjk_one(printed: Path, pages: list[str]) -> None:
    listing = subprocess.run(["pdffonts", str(printed / PDF)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in listing.splitlines()[2:] if line.strip()]
    assert rows and all(row[-5] == "yes" for row in rows), listing  # the "emb" column
    # Chromium draws OpenType (CFF) fonts such as Noto CJK as Type 3 glyphs, which pdffonts lists
    # without a name; their font descriptors still name them.
    raw = (printed / PDF).read_bytes()
    assert re.search(rb"/FontName /[A-Z]{6}\+Noto(Sans|Serif)CJK", raw), "no CJK font embedded"
    # And the Chinese and Japanese titles are text, not empty boxes.
    text = "".join(pages)
    assert "節點財經" in text and "定焦" in text


def test_outline_links_and_page_count(printed: Path) -> None:
    raw = (printed / PDF).read_bytes()
    root = re.search(rb"/Outlines (\d+) 0 R", raw)
    assert root, "the PDF has no outline"
    outlines = re.search(rb"(?<!\d)" + root.group(1) + rb" 0 obj\s*<<(.*?)>>\s*endobj", raw, re.S)
    count = re.search(rb"/Count (\d+)", outlines.group(1)) if outlines else None
    chapters = len(book_pages(load(ROOT / "mkdocs.yml").nav))
    assert count and int(count.group(1)) > chapters * 3  # every chapter with its headings
    site_url = load(ROOT / "mkdocs.yml").url
    uris = re.findall(rb"/URI \(([^)]*)\)", raw)
    assert any(u.startswith(site_url.encode()) for u in uris)  # links to the register, online
    assert not any(u.startswith(b"file:") for u in uris)  # nothing points at the printing machine
    assert len(re.findall(rb"/Dest ", raw)) > 500  # footnote markers and contents, inside the book
    info = subprocess.run(["pdfinfo", str(printed / PDF)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]
    assert chapters + 2 <= pages <= 400


def test_the_overview_links_the_pdf(printed: Path) -> None:
    overview = _article(printed, ".")
    assert re.search(r'<a href="[^"]*/briefing-book\.pdf"[^>]*>', overview)


def test_each_chart_is_printed_whole_on_the_page_of_its_caption(printed: Path, pages: list[str]) -> None:
    squeezed = [_squeeze(p) for p in pages]
    charts = 0
    for page in book_pages(load(ROOT / "mkdocs.yml").nav):
        for figure in re.findall(
            r'<figure class="chart[^"]*"[^>]*>(.*?)</figure>', _article(printed, page.url or "."), re.S
        ):
            caption = _squeeze(text_of(re.search(r"<figcaption><strong>(.*?)</strong>", figure, re.S).group(1)))  # type: ignore[union-attr]
            labels = [_squeeze(text_of(t)) for t in re.findall(r"<text[^>]*>(.*?)</text>", figure, re.S)]
            at = [i for i, p in enumerate(squeezed) if caption in p]
            assert at, f"{page.src}: chart {caption!r} is not in the PDF"
            # Its labels (axes, marks, legend) are on the caption's page; a chart split over two
            # pages would leave part of them on the next. (The drawing hides labels that would
            # overlap, so not every label of the SVG is printed.)
            shown = max(sum(label in squeezed[i] for label in labels) for i in at)
            assert labels and shown >= 0.7 * len(labels), f"{page.src}: {caption!r}: {shown} of {len(labels)} labels"
            charts += 1
    assert charts >= 4
