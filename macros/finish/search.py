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
from typing import Any, TextIO

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
    # jieba's own tokenizer, whose dictionary (75 MB in memory) the theme's search plugin has
    # usually loaded already, rather than a second copy. Added words stay, so only the first term
    # file of a process goes into it; another (a test's project) gets a tokenizer of its own.
    tokenizer = jieba.dt if _tokenizer.cache_info().currsize == 0 else jieba.Tokenizer()
    if term_file.is_file():
        tokenizer.load_userdict(str(term_file))
    return tokenizer


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
        with path.open("w", encoding="utf-8") as out:
            _dump(index, key, out)
        done.append(path)
    return done


def _dump(index: dict[str, Any], key: str, out: TextIO) -> None:
    """The same text as json.dumps(index) with the separators above, written an entry at a time:
    with thousands of facts the index is tens of megabytes, and json.dumps would hold it whole
    (twice over, while it joins its pieces) beside the entries themselves."""
    out.write("{")
    for n, (name, value) in enumerate(index.items()):
        out.write(("," if n else "") + _json(name) + ":")
        if name == key and isinstance(value, list):
            out.write("[")
            for i, entry in enumerate(value):
                out.write(("," if i else "") + _json(entry))
            out.write("]")
        else:
            out.write(_json(value))
    out.write("}")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
