"""The step after the engine: what makes the built site findable, shareable and linkable.

Plain functions over the built site directory and the ledger, so they run after any generator
(`python -m macros finish SITE_DIR`, or from glue's on_post_build):

- every page's head gains OpenGraph and Twitter card tags (its title, a description written for
  it: the page's own meta description or its first paragraph, and a card image drawn offline),
  a canonical link where the engine wrote none, and a link to the Atom feed of corrections;
- the register and sources pages carry schema.org `Dataset` JSON-LD for the downloads;
- `feed.xml`, the Atom feed of `data/changelog.yaml` (`feed.py`);
- redirects: register entries that moved from `facts/#id` to `facts/<topic>/#id`, found by a
  small script on `facts/`, and pages listed in `data/redirects.txt` that moved, as stub pages.

Every step is idempotent and byte-stable: run twice, the site is the same.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .. import memo
from ..ledger.changelog import ChangeEntry
from ..ledger.model import Store
from . import feed
from .siteconf import SiteConf

CARD = "assets/social-card.png"
CARD_SIZE = (1200, 630)
REDIRECTS = "redirects.txt"  # in data/
_BEGIN, _END = "<!-- briefing:head -->", "<!-- /briefing:head -->"
_BLOCK_RX = re.compile(re.escape(_BEGIN) + r".*?" + re.escape(_END) + r"\n?", re.S)
_ARTICLE_RX = re.compile(r'<article class="md-content__inner[^"]*">(.*?)</article>', re.S)
DOWNLOADS = (
    ("facts.json", "application/json", "Every fact with all its claims, ranks and reasons (JSON)"),
    ("facts.csv", "text/csv", "Every claim, one a row (CSV)"),
    ("sources.json", "application/json", "Every source document (JSON)"),
    ("sources.bib", "application/x-bibtex", "Every source document (BibTeX)"),
    ("sources.csl.json", "application/vnd.citationstyles.csl+json", "Every source document (CSL-JSON)"),
)


def last_checked(store: Store, changes: Sequence[ChangeEntry]) -> str:
    """The day the figures were last checked: the newest changelog date or source access date."""
    dates = [c.date for c in changes] + [s.accessed for s in store.sources.values()]
    return max(dates) if dates else ""


def text_of(fragment: str) -> str:
    """Readable text of an HTML fragment: footnote markers and permalinks left out."""
    fragment = re.sub(r"<sup\b[^>]*>.*?</sup>", "", fragment, flags=re.S)
    fragment = re.sub(r'<a class="headerlink"[^>]*>.*?</a>', "", fragment, flags=re.S)
    fragment = re.sub(r"<[^>]+>", "", fragment)
    return " ".join(html.unescape(fragment).split())


def _shorten(text: str, limit: int = 200) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


_H1_RX = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.S)
_P_RX = re.compile(r"<p>(.*?)</p>", re.S)


def _article_span(page_html: str) -> tuple[int, int] | None:
    """Where the article's content is, searched in place: with thousands of facts a page is tens of
    megabytes, and a copy of its article for each question asked of it adds up."""
    article = _ARTICLE_RX.search(page_html)
    return (article.start(1), article.end(1)) if article else None


def page_title(page_html: str, conf: SiteConf) -> str:
    span = _article_span(page_html)
    h1 = _H1_RX.search(page_html, *span) if span else _H1_RX.search(page_html)
    if h1:
        return text_of(h1.group(1))
    title = re.search(r"<title>(.*?)</title>", page_html, re.S)
    return text_of(title.group(1)) if title else conf.name


def page_description(page_html: str, conf: SiteConf) -> str:
    """The page's own description (front matter), else its first paragraph, else the site's."""
    meta = re.search(r'<meta name="description" content="([^"]*)"', page_html)
    own = " ".join(html.unescape(meta.group(1)).split()) if meta else ""
    if own and own != conf.description:
        return _shorten(own)
    span = _article_span(page_html)
    if span:
        for paragraph in _P_RX.finditer(page_html, *span):
            text = text_of(paragraph.group(1))
            if len(text) > 40:
                return _shorten(text)
    return _shorten(own or conf.description)


def _rel_root(rel: str) -> str:
    """From a built file ("technology/index.html") to the site root ("../")."""
    return "../" * rel.count("/")


def page_address(rel: str) -> str:
    """A built file's address relative to the site root: "technology/index.html" → "technology/"."""
    return rel[: -len("index.html")] if rel.endswith("index.html") else rel


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def _json_ld(data: Any) -> str:
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return '<script type="application/ld+json">' + text.replace("<", "\\u003c") + "</script>"


def dataset(conf: SiteConf, store: Store, changes: Sequence[ChangeEntry]) -> dict[str, Any]:
    """schema.org Dataset for the downloads of the register and the sources page."""
    return {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": f"{conf.name}: facts, claims and sources",
        "description": (
            f"Every figure of the {conf.name} ({len(store.facts)} facts and events) with every source's "
            f"claim, its rank and the reason, and the {len(store.sources)} source documents they come from. "
            + conf.description
        ),
        "url": conf.url + "facts/",
        "sameAs": conf.url + "sources/",
        "inLanguage": "en",
        "isAccessibleForFree": True,
        "dateModified": last_checked(store, changes),
        "creator": {"@type": "Organization", "name": f"{conf.name} team", "url": conf.url},
        "keywords": ["Sora 2", "OpenAI", "AI video", "copyright", "fact register"],
        "distribution": [
            {
                "@type": "DataDownload",
                "name": name,
                "description": about,
                "encodingFormat": kind,
                "contentUrl": conf.url + "data/" + name,
            }
            for name, kind, about in DOWNLOADS
        ],
    }


def register_redirects(store: Store, site_dir: Path) -> dict[str, list[str]]:
    """Fact ids by the topic page that now holds their register entry ("technology/": [...])."""
    moved: dict[str, list[str]] = {}
    for fact in sorted(store.facts.values(), key=lambda f: f.id):
        if (site_dir / "facts" / fact.topic / "index.html").is_file():
            moved.setdefault(f"{fact.topic}/", []).append(fact.id)
    return moved


_REDIRECT_JS = (
    "(function(){var m=%s,h=decodeURIComponent(location.hash.slice(1));"
    "if(!h||document.getElementById(h))return;"
    "for(var t in m)if(m[t].indexOf(h)>=0){location.replace(t+'#'+encodeURIComponent(h));return}})();"
)


def head_block(rel: str, page_html: str, conf: SiteConf, extra: Iterable[str] = ()) -> str:
    address = page_address(rel)
    canonical = conf.url + address
    title, description = page_title(page_html, conf), page_description(page_html, conf)
    full_title = title if title == conf.name else f"{title} - {conf.name}"
    image, alt = conf.url + CARD, f"{conf.name}: sourced figures on OpenAI's Sora 2"
    feed_href = (
        urlsplit(conf.url).path + feed.FEED if rel == "404.html" else _rel_root(rel) + feed.FEED
    )  # the 404 page is served at any depth
    lines = [_BEGIN]
    if 'rel="canonical"' not in _BLOCK_RX.sub("", page_html) and rel != "404.html":
        lines.append(f'<link rel="canonical" href="{_attr(canonical)}">')
    lines += [
        f'<link rel="alternate" type="application/atom+xml" title="{_attr(conf.name)}: corrections and updates"'
        f' href="{_attr(feed_href)}">',
        '<meta property="og:type" content="website">',
        f'<meta property="og:site_name" content="{_attr(conf.name)}">',
        f'<meta property="og:title" content="{_attr(full_title)}">',
        f'<meta property="og:description" content="{_attr(description)}">',
        f'<meta property="og:url" content="{_attr(canonical)}">',
        f'<meta property="og:image" content="{_attr(image)}">',
        '<meta property="og:image:type" content="image/png">',
        f'<meta property="og:image:width" content="{CARD_SIZE[0]}">',
        f'<meta property="og:image:height" content="{CARD_SIZE[1]}">',
        f'<meta property="og:image:alt" content="{_attr(alt)}">',
        '<meta property="og:locale" content="en">',
        '<meta name="twitter:card" content="summary_large_image">',
        f'<meta name="twitter:title" content="{_attr(full_title)}">',
        f'<meta name="twitter:description" content="{_attr(description)}">',
        f'<meta name="twitter:image" content="{_attr(image)}">',
        f'<meta name="twitter:image:alt" content="{_attr(alt)}">',
        *extra,
        _END,
    ]
    return "\n".join(lines) + "\n"


def annotate_pages(
    site_dir: Path, conf: SiteConf, store: Store, changes: Sequence[ChangeEntry], moved: dict[str, list[str]]
) -> None:
    ld = _json_ld(dataset(conf, store, changes))
    for path in sorted(site_dir.rglob("*.html")):
        rel = path.relative_to(site_dir).as_posix()
        text = path.read_text(encoding="utf-8")
        if "</head>" not in text or 'http-equiv="refresh"' in text:
            continue
        extra: list[str] = []
        if rel in ("facts/index.html", "sources/index.html"):
            extra.append(ld)
        if rel == "facts/index.html" and moved:
            extra.append("<script>" + _REDIRECT_JS % json.dumps(moved, separators=(",", ":")) + "</script>")
        clean = _BLOCK_RX.sub("", text)
        block = head_block(rel, clean, conf, extra)
        if clean is text:  # the page has no block yet (the usual case): it gains one
            _write_with(path, text, text.index("</head>"), block)
            continue
        new = clean.replace("</head>", block + "</head>", 1)
        if new != text:
            path.write_text(new, encoding="utf-8")


# A page is written back this many characters at a time.
_PIECE = 1 << 20


def _write_with(path: Path, text: str, at: int, block: str) -> None:
    """Write `text` with `block` inserted at `at`, a piece at a time: the same file as writing
    text[:at] + block + text[at:], without that copy of the page and its encoded copy beside it
    (with thousands of facts, a page can be over ten million characters)."""
    with path.open("w", encoding="utf-8") as out:
        out.write(text[:at])
        out.write(block)
        for start in range(at, len(text), _PIECE):
            out.write(text[start : start + _PIECE])


def load_redirects(path: Path) -> tuple[dict[str, str], list[str]]:
    """`data/redirects.txt`: pages that moved, one "old/ new/" pair a line (site-root addresses)."""
    if not path.exists():
        return {}, []
    name = f"data/{path.name}"
    pages: dict[str, str] = {}
    problems: list[str] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        words = [] if line.lstrip().startswith("#") else line.split()  # a comment is a line of its own
        if not words:
            continue
        if len(words) != 2:
            problems.append(f"{name}:{number}: expected an old and a new address, not {line.strip()!r}")
            continue
        old, new = words
        if "://" in old or old.startswith("/") or ".." in old or not old.endswith("/"):
            problems.append(f"{name}:{number}: the old address must be a page address like old/page/, not {old!r}")
        elif "://" in new or new.startswith("/") or ".." in new:
            problems.append(f"{name}:{number}: the new address must be inside the site, not {new!r}")
        elif old in pages:
            problems.append(f"{name}:{number}: {old} is listed twice")
        else:
            pages[old] = new
    return pages, problems


def _stub(old: str, new: str, conf: SiteConf) -> str:
    target = _rel_root(old + "index.html") + new
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>Moved - {html.escape(conf.name)}</title>\n"
        f'<link rel="canonical" href="{_attr(conf.url + new)}">\n'
        '<meta name="robots" content="noindex">\n'
        f'<meta http-equiv="refresh" content="0; url={_attr(target)}">\n'
        f"<script>location.replace({json.dumps(target)}+location.hash)</script>\n"
        f'</head>\n<body>\n<p>This page has moved to <a href="{_attr(target)}">{html.escape(new)}</a>.</p>\n'
        "</body>\n</html>\n"
    )


def write_redirects(site_dir: Path, conf: SiteConf, pages: dict[str, str], moved: dict[str, list[str]]) -> list[str]:
    problems = []
    for old, new in pages.items():
        page = site_dir / old / "index.html"
        if page.exists() and 'http-equiv="refresh"' not in page.read_text(encoding="utf-8"):
            problems.append(f"data/{REDIRECTS}: {old} is a page of the site; it cannot also redirect")
            continue
        target = new.split("#", 1)[0]
        if not (site_dir / target / "index.html").is_file() and not (site_dir / target).is_file():
            problems.append(f"data/{REDIRECTS}: {old} redirects to {new}, which is not in the site")
            continue
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(_stub(old, new, conf), encoding="utf-8")
    listing = {
        "pages": pages,
        "register": {f"facts/#{i}": f"facts/{topic}#{i}" for topic, ids in moved.items() for i in ids},
    }
    (site_dir / "data").mkdir(exist_ok=True)
    (site_dir / "data" / "redirects.json").write_text(
        json.dumps(listing, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return problems


def card_svg(conf: SiteConf) -> str:
    width, height = CARD_SIZE
    words = conf.description.split()
    lines: list[str] = []
    for word in words:
        if lines and len(lines[-1]) + len(word) < 52:
            lines[-1] += " " + word
        else:
            lines.append(word)
    tagline = "".join(
        f'<text x="80" y="{330 + 52 * i}" font-size="34" fill="#e8eaf6">{html.escape(line)}</text>'
        for i, line in enumerate(lines[:5])
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}"'
        ' font-family="DejaVu Sans, Liberation Sans, sans-serif">'
        f'<rect width="{width}" height="{height}" fill="#303f9f"/>'
        f'<rect x="0" y="{height - 24}" width="{width}" height="24" fill="#ffb300"/>'
        '<text x="80" y="150" font-size="34" fill="#c5cae9" letter-spacing="3">A SOURCED BRIEFING</text>'
        f'<text x="80" y="250" font-size="84" font-weight="bold" fill="#ffffff">{html.escape(conf.name)}</text>'
        f"{tagline}</svg>"
    )


def card_png(conf: SiteConf) -> bytes:
    """The link-preview image, drawn from an SVG at build time (kept in .cache/ by its drawing)."""
    import base64

    svg = card_svg(conf)
    name = memo.key("social-card", svg) + ".b64"
    kept = memo.recall("social-card", name)
    if kept is None:
        import vl_convert

        png = bytes(vl_convert.svg_to_png(svg, scale=1))
        memo.keep("social-card", name, base64.b64encode(png).decode("ascii"))
    else:
        png = base64.b64decode(kept)
    return png


def card_of(config_file: Path) -> tuple[str, bytes]:
    """The link-preview image of a project and the SVG it was drawn from, its configuration read
    where this runs (in the build's second process: the build's own need not read it twice)."""
    from .siteconf import load

    conf = load(config_file)
    return card_svg(conf), card_png(conf)


# The link-preview image, drawn in the build's second process with its last jobs
# (`draw_card_early`): the process has stopped by the finish step, which only writes the drawing.
_EARLY_CARD: list[Future[tuple[str, bytes]]] = []


def draw_card_early(config_file: Path) -> None:
    """Start drawing the link-preview image in the build's second process (sidecar.py) before it
    is let go, once the last page is written (adapters/mkdocs.py): the finish step runs after."""
    from ..sidecar import SIDECAR

    _EARLY_CARD[:] = [SIDECAR.submit("macros.finish.publish:card_of", config_file)]


def write_card(site_dir: Path, png: bytes) -> Path:
    path = site_dir / CARD
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(png)
    return path


def _drawn_card(conf: SiteConf) -> bytes:
    """The image drawn early for this configuration, else drawn now. A drawing that failed there
    is not tried again here: what stopped the second process could stop this one."""
    early, _EARLY_CARD[:] = _EARLY_CARD[:], []
    for drawing in early:
        svg, png = drawing.result()
        if svg == card_svg(conf):
            return png
    return card_png(conf)


def finish(site_dir: Path, conf: SiteConf, store: Store, changes: Sequence[ChangeEntry], data_dir: Path) -> list[str]:
    """Everything above, over a built site; returns one line per problem."""
    pages, problems = load_redirects(data_dir / REDIRECTS)
    moved = register_redirects(store, site_dir)
    problems += write_redirects(site_dir, conf, pages, moved)
    feed.write_feed(site_dir, conf, store, changes)
    annotate_pages(site_dir, conf, store, changes, moved)
    from ..sidecar import SidecarError

    try:
        write_card(site_dir, _drawn_card(conf))
    except (SidecarError, OSError) as error:
        problems.append(f"the link-preview image could not be drawn: {error}")
    return problems


def finish_site(site_dir: Path, config_file: Path, store: Store, changes: Sequence[ChangeEntry]) -> list[str]:
    """`finish` with the configuration read from the project's mkdocs.yml."""
    from .siteconf import load

    return finish(site_dir, load(config_file), store, changes, config_file.parent / "data")
