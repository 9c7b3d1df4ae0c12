"""The two quick ways of reading a data file give exactly what the full reader gives.

`loading.load_yaml` first tries `_read_lines` (the ledger's plain style, line by line, without
PyYAML), then `fullread._read_plainly` (libyaml's events, without a tree of nodes), and only then
the full reader (`fullread._Loader.get_single_data`), which is the definition of what a file means. Each quick way may
refuse a file, never read it differently: same values, same types, same line of every mapping,
list, key and item, same problems. A file the full reader refuses (a syntax error, a tag, a repeated
key) must be refused by both, so that its message comes from the full reader.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from macros.ledger import fullread, loading
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
    loader = fullread._Loader(text)
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
    events = fullread._read_plainly(fullread._Loader(text))
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


def _as_full_reader_makes_it(value: str) -> Any:
    """A plain value of one line as the full reader's resolver and constructors make it."""
    loader = fullread._Loader("")
    try:
        tag = loader.resolve(yaml.ScalarNode, value, (True, False))
        if tag == fullread._STR:
            return ("text", value)
        construct = fullread._PLAIN_KINDS.get(tag)
        if construct is None:
            return "not plain"
        made = construct(loader, yaml.ScalarNode(tag, value))
    except (ValueError, fullread._Unreadable):  # too many digits for Python: the full reader says so
        return "refused"
    finally:
        loader.dispose()
    return (type(made).__name__, repr(made))  # repr: -0.0 is not 0.0


def _as_line_reader_makes_it(value: str) -> Any:
    try:
        made = loading._plain_value(value)
    except loading._NotPlain:
        return "not plain"
    except ValueError:
        return "refused"
    return ("text", value) if isinstance(made, str) else (type(made).__name__, repr(made))


# Every word YAML 1.1 gives a type to, each number pattern's corners, and near misses of both.
_WORDS = [
    *(
        w
        for word in ("yes", "no", "true", "false", "on", "off", "null", "y", "n")
        for w in (word, word.capitalize(), word.upper(), word.title() + "x")
    ),
    *("", "~", "<<", "=", "Null", "nULL", "tRUE", "oN", "~~", "<", "==", "!", "&", "*"),
    *(".inf", ".Inf", ".INF", "-.inf", "+.INF", ".nan", ".NaN", ".NAN", "-.nan", ".iNf", "inf", "nan"),
    *("0", "-0", "+0", "00", "012", "0x1F", "0b11", "0o7", "1:30", "190:20:30", "1_000", "1__0_", "_1", "-_1"),
    *("0.0", "-0.0", "+0.0", "1.", "-1.", ".5", "-.5", "._5", "._", "1.5e+3", "1.5E-3", "1e3", "1.5e3", "1_0.2_5"),
    *("6.8523015e+5", "685.230_15e+03", "+12e03", "-1_2.3", "2025-10-15", "2025", "1.2.3", "9" * 5000),
]


@pytest.mark.parametrize("value", _WORDS)
def test_plain_values_are_typed_as_the_full_reader_types_them(value: str) -> None:
    assert _as_line_reader_makes_it(value) == _as_full_reader_makes_it(value)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet="-+0123456789._eEinfaNIFyYsSoO~<=x", max_size=12))
def test_random_plain_values_are_typed_as_the_full_reader_types_them(value: str) -> None:
    assert _as_line_reader_makes_it(value) == _as_full_reader_makes_it(value)


def test_the_line_reader_knows_which_first_characters_may_start_a_typed_value() -> None:
    """Any other first character makes a value text without a look: the two lists must agree."""
    assert loading._RESOLVABLE == fullread._RESOLVABLE


def test_a_ledger_in_the_plain_style_is_checked_without_loading_pyyaml(tmp_path: Any) -> None:
    """Importing PyYAML is a good part of `python -m macros check`'s start on a large ledger."""
    import subprocess
    import sys

    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "facts.yaml").write_text(PLAIN, encoding="utf-8")
    probe = (
        "import sys; from pathlib import Path; from macros.ledger import load_ledger; "
        "ledger = load_ledger(Path('data'), Path('.')); "
        "print(len(ledger.problems), 'yaml' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["16", "False"], done.stderr
    # and a file outside that style still is read, through PyYAML
    (tmp_path / "data" / "facts.yaml").write_text(PLAIN.replace("tier: primary", "tier: &t primary"), encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["16", "True"], done.stderr
