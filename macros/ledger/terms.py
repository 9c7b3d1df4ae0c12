"""data/search-terms.txt: names and terms the search index keeps whole (jieba's user dictionary),
one a line as `term [frequency] [tag]`. Checked by `make check` and before every build: the
search plugin reads it before anything else and would stop the build with a traceback."""

from __future__ import annotations

import re
from pathlib import Path

from .loading import FORBIDDEN, Problem, describe_character

NAME = "search-terms.txt"
_LINE = re.compile(r"(?P<term>\S+)(?: (?P<freq>[0-9]+))?(?: (?P<tag>[a-z]+))?")


def check_terms(path: Path, display: str) -> list[Problem]:
    """One problem per line that jieba would misread or refuse; none when the file is absent."""
    if not path.exists() and not path.is_symlink():
        return []
    try:
        raw = path.read_bytes()
    except OSError as error:
        return [Problem(display, 1, f"cannot read file ({error.strerror})")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        where = raw.count(b"\n", 0, error.start) + 1
        return [Problem(display, where, f"not UTF-8 text ({error.reason} at byte {error.start + 1})")]
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(text.removeprefix("\ufeff").split("\n"), start=1):
        if not line.strip():
            continue
        bad = FORBIDDEN.search(line.rstrip("\r"))
        if bad:
            problems.append(Problem(display, number, f"holds {describe_character(bad.group())}; remove it"))
            continue
        match = _LINE.fullmatch(line.rstrip("\r"))
        if match is None:
            problems.append(
                Problem(
                    display,
                    number,
                    f"'{line[:60]}' is not 'term', 'term frequency' or 'term frequency tag' "
                    "(one space apart; the frequency in digits, the tag in small letters)",
                )
            )
            continue
        term = match["term"]
        if term in seen:
            problems.append(Problem(display, number, f"'{term}' is listed twice (first at line {seen[term]})"))
        seen.setdefault(term, number)
    return problems
