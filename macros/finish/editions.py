"""The two editions say the same: every English page has a Chinese twin (same file name under
docs-zh/), and each twin shows the same facts (by id), the same "sources differ" marks and the
same corrections as its English page. Read from the two built sites, whichever engine built them;
one line per page that differs, naming the ids."""

from __future__ import annotations

import re
from pathlib import Path

from .siteconf import page_url

_FIGURE = re.compile(r'<span class="fig[^"]*" data-fact="([^"]+)"')
_CONTESTED_HREF = re.compile(r'href="[^"]*#([^"#]+)"')
_CORRECTION = re.compile(r'data-corrects="([^"]+)"')


def _marks(html: str) -> dict[str, set[str]]:
    contested = set()
    for tag in re.findall(r"<a\b[^>]*>", html):
        if 'class="sources-differ"' in tag:
            found = _CONTESTED_HREF.search(tag)
            if found:
                contested.add(found.group(1))
    return {
        "facts": set(_FIGURE.findall(html)),
        "sources-differ marks": contested,
        "corrections": set(_CORRECTION.findall(html)),
    }


def _markdown_pages(docs: Path) -> set[str]:
    return {p.relative_to(docs).as_posix() for p in docs.rglob("*.md")}


def parity(english_site: Path, chinese_site: Path, english_docs: Path, chinese_docs: Path) -> list[str]:
    """One line per difference between the editions."""
    problems = []
    english, chinese = _markdown_pages(english_docs), _markdown_pages(chinese_docs)
    for page in sorted(english - chinese):
        problems.append(f"{chinese_docs.name}/{page}: missing: the Chinese twin of {english_docs.name}/{page}")
    for page in sorted(chinese - english):
        problems.append(f"{chinese_docs.name}/{page}: has no English page ({english_docs.name}/{page})")
    for page in sorted(english & chinese):
        built = page_url(page) + "index.html"
        one, two = english_site / built, chinese_site / built
        if not one.is_file() or not two.is_file():
            continue  # a page the engine did not build is reported by the build itself
        a, b = _marks(one.read_text(encoding="utf-8")), _marks(two.read_text(encoding="utf-8"))
        for what in a:
            missing, extra = sorted(a[what] - b[what]), sorted(b[what] - a[what])
            if missing or extra:
                parts = ([f"lacks {', '.join(missing)}"] if missing else []) + (
                    [f"adds {', '.join(extra)}"] if extra else []
                )
                problems.append(
                    f"{chinese_docs.name}/{page}: {what} differ from {english_docs.name}/{page}: {'; '.join(parts)}"
                )
    return problems
