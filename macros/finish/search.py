"""Chinese in the search index, segmented by the project itself, for any engine.

Neither engine's index splits Chinese the way readers search it: MkDocs' Material splits it with
jieba's general dictionary (深度调查, one of our documents' names, becomes 深度 + 调查) and only
with plugin options another engine ignores; Zensical does not split it at all. So after the build,
every text holding Chinese in the index is cut into words by jieba with the project's
terms (data/search-terms.txt) and the words are joined with U+200B, which the index's separator
(mkdocs.yml) already splits on. Whatever the engine did to those runs before is undone first.
"""

from __future__ import annotations

import json
import logging
import re
from functools import cache
from pathlib import Path
from typing import Any

from ..ledger import terms

_CHINESE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# The same characters written as JSON escapes (\u3400 to \ufaff, a little more than they span).
_ESCAPED_CHINESE = re.compile(r"\\u(?:3[4-9a-f]|[4-9][0-9a-f]|f[9a])", re.I)
# The index files of the engines this project is built with, and the list of entries in each.
INDEXES = (("search/search_index.json", "docs"), ("search.json", "items"))
_FIELDS = ("title", "text")


@cache
def _tokenizer(term_file: Path) -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)  # its "building prefix dict" lines are not the build's news
    tokenizer = jieba.Tokenizer()
    if term_file.is_file():
        tokenizer.load_userdict(str(term_file))
    return tokenizer


def warm(term_file: Path, data_dir: Path) -> None:
    """Load jieba's dictionary and the project's terms ahead of the index (in the build's second
    process, while the pages are written: the dictionary alone takes more than half a second, and
    a hundred megabytes), if the data holds any Chinese for the index to hold."""
    if any(_CHINESE.search(path.read_text(encoding="utf-8", errors="replace")) for path in data_dir.rglob("*.yaml")):
        _tokenizer(term_file)


def term_file_of(data_dir: Path) -> Path:
    return (data_dir / terms.NAME).resolve()


def segment(text: str, term_file: Path) -> str:
    """`text` with each run of non-space characters that holds Chinese cut into words joined by
    U+200B; text without Chinese is left as it is. jieba never joins characters across a space,
    so cutting run by run gives its words for the whole text, and a run that recurs (a name, a
    quotation on several pages) is cut once."""
    if not _CHINESE.search(text):
        return text

    def cut(match: re.Match[str]) -> str:
        run = match.group()
        return _cut(run, term_file) if _CHINESE.search(run) else run

    return _RUN.sub(cut, text.replace("\u200b", ""))


_RUN = re.compile(r"\S+")


@cache
def _cut(run: str, term_file: Path) -> str:
    return "\u200b".join(_tokenizer(term_file).cut(run))


def segment_index(site_dir: Path, data_dir: Path) -> list[Path]:
    """Rewrite the search index(es) of a built site in place; the files rewritten."""
    term_file = term_file_of(data_dir)
    done = []
    for name, key in INDEXES:
        path = site_dir / name
        if not path.is_file():
            continue
        raw = path.read_text(encoding="utf-8")
        if not (_CHINESE.search(raw) or _ESCAPED_CHINESE.search(raw)):
            continue  # nothing to cut: the index is left as the engine wrote it
        index = json.loads(raw)
        for entry in index.get(key, []):
            for field in _FIELDS:
                if isinstance(entry.get(field), str):
                    entry[field] = segment(entry[field], term_file)
        path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        done.append(path)
    return done
