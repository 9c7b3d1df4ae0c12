"""The same site from both engines: MkDocs (the real site of conftest.py) and Zensical
(`make build ENGINE=zensical`), compared page by page on what the core makes: the figures, each
with its fact id and text, the footnote definitions, the "last checked" line and the cite box;
and the downloads and the site checks that the finish step runs after either engine."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.sites import ROOT

pytestmark = pytest.mark.realsite


class _Parts(HTMLParser):
    """Figures (fact id, text) and footnote definitions (id, text) of one page, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.figures: list[tuple[str, str]] = []
        self.notes: dict[str, str] = {}
        self.foot: list[str] = []  # the "last checked" line and the cite box, as text
        self._open: list[tuple[str, str, int, list[str]]] = []  # (kind, key, depth, text)
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "hr", "img", "meta", "link", "input"):
            return
        self._depth += 1
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "span" and "fig" in classes and a.get("data-fact"):
            self._open.append(("fig", a["data-fact"] or "", self._depth, []))
        elif tag == "li" and (a.get("id") or "").startswith("fn:"):
            self._open.append(("note", a["id"] or "", self._depth, []))
        elif (tag == "p" and "last-checked" in classes) or (tag == "div" and {"admonition", "quote"} <= set(classes)):
            self._open.append(("foot", "", self._depth, []))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("br", "hr", "img", "meta", "link", "input"):
            return
        while self._open and self._open[-1][2] == self._depth:
            kind, key, _, text = self._open.pop()
            words = " ".join("".join(text).replace("↩", "").split())
            if kind == "fig":
                self.figures.append((key, words))
            elif kind == "note":
                self.notes[key] = words
            else:
                self.foot.append(words)
        self._depth -= 1

    def handle_data(self, data: str) -> None:
        for _, _, _, text in self._open:
            text.append(data)


def _parts(page: Path) -> _Parts:
    parser = _Parts()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def _pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("index.html") if "print" not in p.parts)


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real project built by `python -m macros build --engine zensical` in a copy of its folder."""
    project = tmp_path_factory.mktemp("zensical") / "project"
    project.mkdir()
    for name in ("mkdocs.yml", "zensical.yml"):
        (project / name).write_bytes((ROOT / name).read_bytes())
    for name in ("data", "docs", "overrides"):  # copied: the ledger refuses files linked from outside
        shutil.copytree(ROOT / name, project / name)
    (project / "macros").symlink_to(ROOT / "macros", target_is_directory=True)
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1764460800"}
    done = subprocess.run(
        [sys.executable, "-m", "macros", "build", "--engine", "zensical"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return project / "site"


def test_both_engines_make_the_same_pages(real_site: Path, zensical_site: Path) -> None:
    assert _pages(zensical_site) == _pages(real_site)


def test_every_page_shows_the_same_figures_footnotes_and_foot(real_site: Path, zensical_site: Path) -> None:
    differ = []
    for page in _pages(real_site):
        mkdocs, zensical = _parts(real_site / page), _parts(zensical_site / page)
        for what in ("figures", "notes", "foot"):
            if getattr(mkdocs, what) != getattr(zensical, what):
                differ.append(f"{page}: {what}")
    assert differ == []
    technology = _parts(real_site / "technology/index.html")
    assert len(technology.figures) > 50 and len(technology.notes) > 10 and len(technology.foot) == 2


def test_the_finish_step_ran_after_zensical(real_site: Path, zensical_site: Path) -> None:
    for name in ("facts.json", "facts.csv", "sources.json", "sources.bib", "sources.csl.json"):
        assert (zensical_site / "data" / name).read_bytes() == (real_site / "data" / name).read_bytes(), name
    assert (zensical_site / "feed.xml").is_file()
    checked = subprocess.run(
        [sys.executable, "-m", "macros", "site-check", str(zensical_site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr


def test_download_links_reach_the_downloads_under_both_engines(real_site: Path, zensical_site: Path) -> None:
    for site in (real_site, zensical_site):
        html = (site / "sources/index.html").read_text(encoding="utf-8")
        links = re.findall(r'href="([^"]+)" download', html)
        assert links, site
        assert all(link.startswith("/") and link.endswith((".json", ".csv", ".bib")) for link in links), links


SEPARATOR = re.compile(r'[\s\u200b\-_,:!=\[\]()"`/]+')  # mkdocs.yml's search separator, its splitting part


def test_chinese_terms_are_whole_words_in_both_search_indexes(real_site: Path, zensical_site: Path) -> None:
    """深度调查, a document's name, would be 深度 + 调查 by jieba's own dictionary (as Material cut
    it), and one unsplit run of text under Zensical; the finish step cuts it with the project's terms."""
    import json

    for index, key in ((real_site / "search/search_index.json", "docs"), (zensical_site / "search.json", "items")):
        entries = json.loads(index.read_text(encoding="utf-8"))[key]
        words = {w for e in entries for w in SEPARATOR.split(e["title"] + " " + e["text"])}
        assert {"深度调查", "定焦One", "奥特曼"} <= words, index
        assert "深度" not in words or "调查" not in words or "深度调查" in words
