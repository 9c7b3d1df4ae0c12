"""The two quick ways of reading a data file give exactly what the full reader gives.

`loading.load_yaml` first tries `_read_lines` (the ledger's plain style, line by line), then
`_read_plainly` (libyaml's events, without a tree of nodes), and only then the full reader
(`_Loader.get_single_data`), which is the definition of what a file means. Each quick way may
refuse a file, never read it differently: same values, same types, same line of every mapping,
list, key and item, same problems. A file the full reader refuses (a syntax error, a tag, a repeated
key) must be refused by both, so that its message comes from the full reader.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from macros.ledger import loading
from tests.sites import ROOT

LEDGER = sorted((ROOT / "data").rglob("*.yaml"))

PLAIN = """\
sources:
  - id: src-a
    title: 'It''s a title: with a colon'
    title_en: "Quoted, with # inside"
    publisher: Example   # a comment
    accessed: 2025-10-15
    url: https://example.org/a?b=c#d
    tier: primary
    note: >-
      Folded over
      two lines
facts:
  - id: tech.a
    label: A figure
    claims:
      - value: 10
        source: src-a
        qualifiers: {tier: Pro, surface: web}
      - value: {min: 1.5, max: 2_000}
        source: src-a
        rank: deprecated
      - value: -3
        as_of: 2025
        empty:
        yes: no
        nothing: ~
        flags: [a, b, 1]
    literal: |
      one
      two

  - id: tech.b
    claims: []
"""

# Small files, each on some edge of what the quick readers take.
CASES = [
    PLAIN,
    "",
    "# only a comment\n",
    "---\nfacts: []\n",
    "facts:\n- id: a\n",  # a list at the key's own indent
    "a: 1\nb:\n  c: d\n  e:\n    - f\n    - g: h\n      i: j\n",
    "a: b\n  c\n",  # a value over two lines
    "a: b\na: c\n",  # a repeated key
    "a: &x 1\nb: *x\n",
    "<<: {a: 1}\n",
    "a: !!int 012\n",
    "a: 012\nb: 1:30\nc: 1e3\nd: .5\ne: .inf\nf: -.inf\ng: .nan\nh: 0x1F\ni: +1\n",
    "a: yes\nb: No\nc: null\nd: ~\ne:\nf: ''\ng: \"\"\n",
    "a: 'x'y\n",
    "a: 'x' # c\nb: \"y\"   \n",
    "a: 'unterminated\n  more'\n",
    "a: x: y\n",
    "a: x:\n",
    "a: - x\n",
    "a: >-\n  one\n\n  two\nb: c\n",
    "a: >-\n  one\n    two\nb: c\n",
    "a: >\n  one\n  two\n",
    "a: >\n  one\n  two\nb: 1\n",
    "a: |-\n  one\n  # not a comment\nb: 1\n",
    "a: >-\n  one\n",
    "a: >-\n  one",
    "a: >2\n   one\n",
    "a: {b: 1, b: 2}\n",
    "a: {b: [1]}\n",
    "a: {b: }\n",
    "a: [1, 2,]\n",
    "a: [ ]\n",
    "a: {}\n",
    "a:\n  - \n  - b\n",
    "a:\n  -\n    b: c\n",
    "a:\n  -   b: c\n      d: e\n",
    "a:\n  - - b\n",
    "a:\n  - b\n  c: d\n",
    "  a: 1\n",
    "- a\n- b\n",
    "just text\n",
    "a: 1\n...\n",
    "a: 1\n---\nb: 2\n",
    "%YAML 1.1\n---\na: 1\n",
    "a: b # c\n# d\n  # e\nf: g\n",
    "a: -\n",
    "a: -x\n",
    "a: @x\n",
    "a: `x\n",
    "a: %x\n",
    "a: ?x\n",
    "a: :x\n",
    "a: x #\n",
    "a: x#y\n",
    "a:\tb\n",
    "a: b\r\nc: d\r\n",
    "a: \ufeffb\n",
    "\ufeffa: b\n",
    "a: caf\u00e9 \u4e2d\u6587\n",
    "a: \u00a0b\n",
    "k" * 200 + ": v\n",
    "a:\n" + "".join("  " * n + "- x:\n" for n in range(1, 60)),
    "a: " + "9" * 5000 + "\n",
    "a: 1\nb:\n",
    "a:\n\n\n  b: 1\n",
]


def _shape(value: Any) -> Any:
    """Everything a reader hands on: values, their types, and every line."""
    if isinstance(value, loading.LineDict):
        items = tuple((key, _shape(item)) for key, item in value.items())
        return ("mapping", value.line, tuple(value.key_lines.items()), value.incomplete, items)
    if isinstance(value, loading.LineList):
        return ("list", value.line, tuple(value.item_lines), tuple(_shape(item) for item in value))
    if isinstance(value, float) and value != value:
        return ("float", "nan")
    return (type(value).__name__, value)


def _full(text: str) -> Any:
    loader = loading._Loader(text)
    try:
        return _shape(loader.get_single_data()), loader.key_problems
    except Exception as error:  # any refusal: the quick readers must refuse too
        return ("refused", type(error).__name__)
    finally:
        loader.dispose()


def _compare(text: str) -> tuple[bool, bool]:
    """Check both quick readers against the full one; say which of them took the text."""
    full = _full(text)
    lines = loading._read_lines(text)
    if lines is not None:
        assert full == (_shape(lines), []), text
    events = loading._read_plainly(loading._Loader(text))
    if events is not None:
        assert full == (_shape(events[0]), events[1]), text
    return lines is not None, events is not None


@pytest.mark.parametrize("text", CASES)
def test_each_edge_case_reads_as_the_full_reader_reads_it(text: str) -> None:
    _compare(text)


def test_the_plain_style_is_read_line_by_line() -> None:
    """Otherwise the ledger is read the slow way without anyone noticing."""
    assert _compare(PLAIN) == (True, True)


@pytest.mark.parametrize("path", LEDGER, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_ledger_file_reads_the_same_every_way(path: Any) -> None:
    taken = _compare(path.read_text(encoding="utf-8"))
    assert taken[1], "libyaml's events should take every file of the ledger"


PIECES = [
    *(" ", "  ", "- ", ": ", ":", "#", " #", "'", '"', "''", "{", "}", "[", "]", ",", ">-", ">", "|", "|-"),
    *("\n", "\n\n", "\n  ", "\n    ", "-", "?", "&a ", "*a", "!", "~", "null", "yes", "0", "012", "1_0"),
    *("1.5", "-3", ".5", "<<", "x", "\u00e9", "\u00a0", "...", "---", "%", "@", "`", "1e3", ".inf", "="),
    *("a: b", "key", "\\", "\t", "\x1b", "\u202e", "\ufeff", "\r"),
]


def test_broken_copies_of_the_ledger_read_the_same_every_way() -> None:
    """Pieces of the ledger with a few random edits: whatever a quick reader takes, it reads right."""
    rng = random.Random(14)
    seeds = [path.read_text(encoding="utf-8").split("\n") for path in LEDGER] + [PLAIN.split("\n")]
    taken = 0
    for _ in range(1500):
        lines = rng.choice(seeds)
        start = rng.randrange(max(1, len(lines) - 40))
        text = "\n".join(["facts:", *lines[start : start + rng.randint(3, 40)]]) + rng.choice(["\n", "", "\n\n"])
        for _ in range(rng.randint(0, 3)):
            at = rng.randrange(len(text) + 1)
            if rng.random() < 0.6:
                text = text[:at] + rng.choice(PIECES) + text[at:]
            else:
                text = text[:at] + text[at + rng.randint(1, 4) :]
        taken += _compare(text)[0]
    assert taken > 100  # enough of them in the plain style for the comparison to mean something


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from([*PIECES, "a", "b", "k1", "\n  k2: ", "\n- ", "\nk3:"]), max_size=30))
def test_random_texts_read_the_same_every_way(pieces: list[str]) -> None:
    _compare("a:" + "".join(pieces) + "\n")
