"""Random text from every Unicode category in every text field, through the whole build.

The validator alone is not enough: a ledger with problems is still rendered under `mkdocs serve`,
charts and downloads are written from whatever passes, and the problem box quotes the data. So
each case here goes through all of it: loading and validation (one line per problem, naming the
file and line), every page macro and chart as `serve` would render them, the five downloads read
back as their readers would, and the problem box turned into HTML. A few cases go through the real
`make build` in a fixture project: it either builds, or stops with one-line problems and leaves
the previous site/ byte for byte as it was.

The figures (cases, clean one-line rejections, crashes, sites lost) are printed at the end.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import unicodedata
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from macros import memo
from macros.core import charts, page, render
from macros.finish import downloads
from macros.ledger import changelog, terms
from macros.ledger.loading import FORBIDDEN
from macros.ledger.model import Store
from macros.ledger.validate import load_store
from tests.sites import ROOT, make_site, snapshot
from tests.test_hardening import _entries
from tests.test_properties import _render_everything

FIGURES: Counter[str] = Counter()

# --- text from every category -----------------------------------------------------------------------


def _by_category() -> dict[str, list[str]]:
    """For each of Unicode's 30 general categories, a few characters spread over its range."""
    found: dict[str, list[int]] = {}
    for code in range(0x110000):
        found.setdefault(unicodedata.category(chr(code)), []).append(code)
    picked: dict[str, list[str]] = {}
    for category, codes in sorted(found.items()):
        spread = {codes[0], codes[-1], codes[len(codes) // 3], codes[2 * len(codes) // 3]}
        picked[category] = [chr(c) for c in sorted(spread)]
    picked["Cc"] += ["\x00", "\x01", "\x1b", "\x7f", "\x85", "\t", "\n", "\r"]
    picked["Cf"] += ["\u200b", "\u200d", "\u202e", "\u2066", "\ufeff"]
    picked["Po"] += ["`", "*", "_", "[", "]", "#", "!", "|", "\\", '"', "'", ":", "<", ">", "&"]
    return picked


CATEGORIES = _by_category()
assert len(CATEGORIES) == 30


def _yaml_string(text: str) -> str:
    """Text as a YAML double-quoted string: printable characters as they are, others escaped (the
    only way YAML lets a file hold them)."""
    out = []
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif code < 0x20 or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF, 0xFEFF):
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


# Every text field a contributor types, by where it sits in the ledger below.
FIELDS = [
    "name.name",
    "name.maker",
    "name.alias",
    "name.note",
    "source.title",
    "source.title_en",
    "source.publisher",
    "source.publisher_en",
    "source.author",
    "source.note",
    "fact.label",
    "fact.note",
    "claim.locator",
    "claim.quote",
    "claim.quote_en",
    "claim.speaker",
    "claim.rank_reason",
    "claim.tier",
    "claim.region",
    "text.label",
    "text.value",
    "event.title",
    "event.label",
    "event.note",
    "change.change",
    "change.reason",
]


def ledger(texts: dict[str, str]) -> dict[str, str]:
    """The data files of a small ledger with `texts` in its text fields (plain words elsewhere)."""
    t = {field: _yaml_string(texts.get(field, f"plain {field}")) for field in FIELDS}
    data = f"""\
names:
  - id: sora-2
    name: {t["name.name"]}
    maker: {t["name.maker"]}
    aliases: [{t["name.alias"]}]
    note: {t["name.note"]}
sources:
  - id: doc-a
    title: {t["source.title"]}
    title_en: {t["source.title_en"]}
    publisher: {t["source.publisher"]}
    publisher_en: {t["source.publisher_en"]}
    author: {t["source.author"]}
    published: 2025-09-30
    accessed: 2025-10-02
    url: https://example.org/a
    language: en
    kind: primary
    tier: primary
    note: {t["source.note"]}
  - id: doc-b
    title: Plain
    title_en: Plain
    publisher: Plain outlet
    published: 2025-10-15
    accessed: 2025-10-20
    language: en
    kind: news
    tier: established
facts:
  - id: tech.duration
    label: {t["fact.label"]}
    topic: technology
    unit: seconds
    product: sora-2
    note: {t["fact.note"]}
    claims:
      - value: 20
        source: doc-a
        as_of: 2025-09-30
      - value: 25
        source: doc-b
        locator: {t["claim.locator"]}
        quote: {t["claim.quote"]}
        quote_en: {t["claim.quote_en"]}
        speaker: {t["claim.speaker"]}
        wording: reported
        qualifiers: {{tier: {t["claim.tier"]}, region: {t["claim.region"]}}}
        rank: preferred
        rank_reason: {t["claim.rank_reason"]}
  - id: copyright.statement
    label: {t["text.label"]}
    topic: copyright
    type: text
    claims:
      - value: {t["text.value"]}
        source: doc-b
events:
  - id: event.launch
    title: {t["event.title"]}
    label: {t["event.label"]}
    topic: technology
    note: {t["event.note"]}
    claims:
      - value: 2025-09-30
        source: doc-a
"""
    changelog = f"""\
changelog:
  - date: 2025-10-20
    kind: checked
    facts: [tech.duration]
    change: {t["change.change"]}
    reason: {t["change.reason"]}
"""
    return {"data/ledger.yaml": data, "data/changelog.yaml": changelog}


# --- the whole pipeline, in this process ------------------------------------------------------------------

LINE_RX = re.compile(r"^data/[\w./-]+:\d+: [^\n\r]+$")
_ACTIVE = re.compile(r"<(?:script|img|iframe|object|embed|style|svg|math)\b|\son\w+\s*=|javascript:", re.I)


@pytest.fixture(scope="module", autouse=True)
def _no_chart_memory() -> Iterator[None]:
    """Random charts are drawn afresh and never filed in the project's .cache/."""
    kept, memo.FOLDER = memo.FOLDER, None
    yield
    memo.FOLDER = kept


def _draw_charts(store: Store) -> list[str]:
    notes = render.PageNotes(store, "charts.md")
    numbers = [f.id for f in store.facts.values() if f.type == "number" and f.live_claims]
    events = [f.id for f in store.facts.values() if f.is_event and f.live_claims]
    calls: list[tuple[Any, tuple[Any, ...], dict[str, Any]]] = []
    for fact_id in numbers:
        label = store.facts[fact_id].label
        calls += [
            (charts.chart_bars, ([fact_id], label), {}),
            (charts.chart_bars, ([fact_id], label), {"every_source": True, "labels": [label]}),
            (charts.chart_by_date, ([fact_id], label), {}),
        ]
    if events:
        calls.append((charts.chart_timeline, (events, store.facts[events[0]].label), {}))
    out = []
    for func, args, kwargs in calls:
        try:
            out.append(func(store, notes, *args, **kwargs))
        except render.RenderError:
            FIGURES["chart refused (RenderError)"] += 1
    return out


def _read_back_downloads(store: Store, site_dir: Path) -> None:
    """The downloads as the build writes them (a lone surrogate would make a file unwritable),
    read back as their formats."""
    written = downloads.write_downloads(store, site_dir)
    files = {path.name: path.read_text(encoding="utf-8") for path in written}
    assert sorted(files) == ["facts.csv", "facts.json", "sources.bib", "sources.csl.json", "sources.json"]
    json.loads(files["facts.json"])
    json.loads(files["sources.json"])
    json.loads(files["sources.csl.json"])
    list(csv.reader(io.StringIO(files["facts.csv"])))
    assert len(_entries(files["sources.bib"])) == len(store.sources)


def _problem_box_html(lines: list[str]) -> str:
    box = page.problem_box(lines)
    return str(markdown.markdown(box, extensions=["admonition", "attr_list", "md_in_html", "tables"]))


def through_everything(root: Path) -> str:
    """One case through loading, validation, every macro, every chart, the downloads and the problem
    box; 'accepted' or 'rejected'. Anything else raised is a crash, counted and raised again."""
    FIGURES["cases"] += 1
    try:
        store, problems = load_store(root / "data", root)
        _, change_problems = changelog.load_changelog(root / "data" / "changelog.yaml", root, store)
        lines = [str(p) for p in [*problems, *change_problems]]
        lines += [str(p) for p in terms.check_terms(root / "data" / terms.NAME, f"data/{terms.NAME}")]
        for line in lines:
            assert LINE_RX.match(line), repr(line)
            assert not FORBIDDEN.search(line), repr(line)
            assert "\u200b" not in line and "\ufeff" not in line, repr(line)
        _render_everything(store)
        for chart in _draw_charts(store):
            assert not FORBIDDEN.search(chart)
            assert "<script" not in chart and "javascript:" not in chart
        _read_back_downloads(store, root / "built")
        box = _problem_box_html(lines)
        assert not _ACTIVE.search(box), box
    except Exception:
        FIGURES["crashes"] += 1
        raise
    FIGURES["clean one-line rejections" if lines else "accepted"] += 1
    return "rejected" if lines else "accepted"


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_the_plain_ledger_is_accepted(tmp_path: Path) -> None:
    assert through_everything(_write(tmp_path, ledger({}))) == "accepted"


@pytest.mark.parametrize("category", sorted(CATEGORIES))
def test_every_unicode_category_in_every_text_field(tmp_path: Path, category: str) -> None:
    """Each text field holds characters of one category (rotated, so every sample reaches every
    field), between letters: the case is accepted or rejected in one line per problem, no crash."""
    samples = CATEGORIES[category]
    texts = {field: f"A{samples[i % len(samples)]}{samples[(i + 1) % len(samples)]}B" for i, field in enumerate(FIELDS)}
    outcome = through_everything(_write(tmp_path, ledger(texts)))
    if category in ("Cc", "Cs"):
        assert outcome == "rejected"


def _any_text() -> st.SearchStrategy[str]:
    one_category = st.sampled_from(sorted(CATEGORIES)).flatmap(lambda c: st.sampled_from(CATEGORIES[c]))
    char = st.characters(codec=None, exclude_categories=()) | one_category
    return st.text(char, min_size=0, max_size=8)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
@given(st.dictionaries(st.sampled_from(FIELDS), _any_text(), min_size=1, max_size=8))
def test_random_text_in_random_fields_goes_through_the_whole_pipeline(texts: dict[str, str]) -> None:
    with _temporary() as root:
        through_everything(_write(root, ledger(texts)))


class _temporary:
    """A fresh folder per example (Hypothesis runs many examples in one test call)."""

    def __enter__(self) -> Path:
        import tempfile

        self.folder = tempfile.TemporaryDirectory()
        return Path(self.folder.name)

    def __exit__(self, *exc: object) -> None:
        self.folder.cleanup()


# --- the real `make build` --------------------------------------------------------------------------------

PAGES = {
    "docs/index.md": (
        '# Briefing\n\nThe clip: {{ fact("tech.duration") }}. The statement: {{ fact("copyright.statement") }}.\n'
        'Launch: {{ date("event.launch") }}. Words: {{ quote("tech.duration") }}.\n'
    ),
    "docs/charts.md": (
        '# Charts\n\n{{ chart_bars(["tech.duration"], "Clip") }}\n\n{{ chart_by_date(["tech.duration"], "Over time") }}'
        '\n\n{{ chart_timeline(["event.launch"], "Timeline") }}\n'
    ),
    "docs/facts.md": "# Register\n\n{{ fact_register() }}\n",
    "docs/contested.md": "# Contested\n\n{{ contested_table() }}\n",
    "docs/sources.md": "# Sources\n\n{{ source_list() }}\n",
    "docs/changelog.md": "# Changelog\n\n{{ changelog() }}\n",
}


def _make_build(project: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "BRIEFING_CACHE": ""}
    env.pop("BRIEFING_FAIL_ON_MACRO_ERROR", None)
    return subprocess.run(
        ["make", "--no-print-directory", "-C", str(project), "build"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_site(tmp_path_factory.mktemp("fuzz") / "project", {**ledger({}), **PAGES})
    for name in ("Makefile", ".venv", "requirements.txt"):
        (root / name).symlink_to(ROOT / name)
    result = _make_build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root


_ERROR_RX = re.compile(r"^ERROR\s+-\s+(.*)$")


def _printable_text() -> st.SearchStrategy[str]:
    """Text validation accepts: any category but controls, format characters, separators of lines
    and paragraphs, surrogates and unassigned code points."""
    chars = st.characters(codec="utf-8", exclude_categories=("Cc", "Cf", "Cs", "Cn", "Zl", "Zp"))
    return st.text(chars, min_size=1, max_size=8).filter(lambda t: t.strip() and not FORBIDDEN.search(t))


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    database=None,
)
@given(
    st.dictionaries(st.sampled_from(FIELDS), _any_text(), min_size=1, max_size=6)
    | st.dictionaries(st.sampled_from(FIELDS), _printable_text(), min_size=1, max_size=6)
)
def test_random_text_through_make_build_builds_or_stops_with_one_line_each(
    built_project: Path, texts: dict[str, str]
) -> None:
    before = snapshot(built_project / "site")
    _write(built_project, ledger(texts))
    try:
        FIGURES["make build cases"] += 1
        result = _make_build(built_project)
        output = result.stdout + result.stderr
        assert "Traceback" not in output and "panicked" not in output, output[-3000:]
        if result.returncode != 0:
            errors = [m.group(1) for m in map(_ERROR_RX.match, output.splitlines()) if m]
            assert errors and errors[-1].endswith("the site was not built"), output[-3000:]
            assert all(LINE_RX.match(e) for e in errors[:-1]), errors
            if snapshot(built_project / "site") != before:
                FIGURES["sites lost"] += 1
                raise AssertionError("a failed build changed site/")
            FIGURES["make build: clean one-line rejections"] += 1
        else:
            FIGURES["make build: built"] += 1
        assert not list(built_project.glob("site.tmp*"))
    finally:
        _write(built_project, ledger({}))


def test_fuzz_figures(capsys: pytest.CaptureFixture[str]) -> None:
    """The figures of the runs above, printed with the test results; no crash and no site lost."""
    with capsys.disabled():
        print("\nfuzz figures: " + ", ".join(f"{k}: {v}" for k, v in sorted(FIGURES.items())))
    assert FIGURES["crashes"] == 0 and FIGURES["sites lost"] == 0
    assert FIGURES["cases"] == 0 or FIGURES["cases"] >= 100  # (none when only some tests were picked)
