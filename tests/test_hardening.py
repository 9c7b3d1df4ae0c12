"""Defects a hostile or careless contributor found, one test each: every bad input gets one clear
line naming the file, the line and what is wrong; nothing crashes; nothing reaches a page raw."""

from __future__ import annotations

import html as htmllib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import markdown
import pytest

from macros.core import markup, page, render
from macros.finish import checks, downloads
from macros.ledger import units
from macros.ledger.changelog import load_changelog
from macros.ledger.loading import load_yaml
from macros.ledger.model import Claim, Fact, Store
from macros.ledger.validate import load_store
from tests.sites import GOOD_FACT, ROOT, SOURCES, basic_files, build, error_lines, make_site


def _problems(tmp_path: Path, facts: str = GOOD_FACT, sources: str = SOURCES, **more: str | bytes) -> list[str]:
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    (data / "sources.yaml").write_text(sources, encoding="utf-8")
    (data / "facts.yaml").write_text(facts, encoding="utf-8")
    for name, content in more.items():
        path = data / name.replace("__", ".")
        path.write_bytes(content) if isinstance(content, bytes) else path.write_text(content, encoding="utf-8")
    _, problems = load_store(data, tmp_path)
    return [str(p) for p in problems]


def _one_line(problems: list[str]) -> str:
    assert len(problems) == 1, problems
    assert "\n" not in problems[0] and "\r" not in problems[0]
    return problems[0]


# --- forbidden characters in text ------------------------------------------------------------------

# (field as written in GOOD_FACT or SOURCES, where it is, its line)
TEXT_FIELDS = [
    ("facts", "    label: Longest clip", 3),
    ("sources", "    title: Sora 2 is here", 6),
    ("sources", "    publisher: OpenAI", 8),
    ("sources", "    publisher_en: Dingjiao One", 19),
]
# As YAML writes them in a double-quoted string, with the name a message must show.
CHARACTERS = [
    ("\\x01", "U+0001"),
    ("\\0", "U+0000 (NUL)"),
    ("\\e", "U+001B (ESC)"),
    ("\\t", "U+0009 (TAB)"),
    ("\\x85", "U+0085"),
    ("\\u202e", "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
    ("\\u2066", "U+2066 (LEFT-TO-RIGHT ISOLATE)"),
    ("\\u2028", "U+2028 (LINE SEPARATOR)"),
    ("\\uffff", "U+FFFF"),
]


@pytest.mark.parametrize(("escape", "shown"), CHARACTERS, ids=[c[1] for c in CHARACTERS])
@pytest.mark.parametrize(("where", "field", "line"), TEXT_FIELDS, ids=[f[1].split(":")[0].strip() for f in TEXT_FIELDS])
def test_a_control_or_direction_character_in_text_is_one_line(
    tmp_path: Path, escape: str, shown: str, where: str, field: str, line: int
) -> None:
    name, value = field.split(": ", 1)
    bad = f'{name}: "{value[:3]}{escape}{value[3:]}"'
    facts, sources = GOOD_FACT, SOURCES
    if where == "facts":
        facts = facts.replace(field, bad)
    else:
        sources = sources.replace(field, bad)
    problem = _one_line(_problems(tmp_path, facts, sources))
    assert problem.startswith(f"data/{where}.yaml:{line}: field '{name.strip()}' holds {shown}"), problem


def test_a_control_character_in_a_qualifier_a_name_and_the_changelog_is_refused(tmp_path: Path) -> None:
    facts = GOOD_FACT.replace("        via: doc-b\n", '        via: doc-b\n        qualifiers: {tier: "Pro\\x1b"}\n')
    facts = 'names:\n  - id: other\n    name: "Sora\\x002"\n' + facts
    changelog = 'changelog:\n  - date: 2026-11-20\n    kind: checked\n    change: "x\\x07"\n    reason: "y"\n'
    problems = _problems(tmp_path, facts, changelog__yaml=changelog)
    assert [p.split(": ", 1)[1] for p in problems] == [
        "field 'name' holds U+0000 (NUL); remove it",
        "field 'tier' holds U+001B (ESC); remove it",
    ]
    data = tmp_path / "data"
    _, changes = load_changelog(data / "changelog.yaml", tmp_path, load_store(data, tmp_path)[0])
    assert [str(p) for p in changes] == [
        "data/changelog.yaml:4: field 'change' holds U+0007 (a control character); remove it"
    ]


def test_zero_width_and_direction_characters_are_visible_in_messages(tmp_path: Path) -> None:
    facts = GOOD_FACT.replace("    unit: seconds\n", '    unit: seconds\n    "un\\u200bit": x\n')
    problem = _one_line(_problems(tmp_path, facts))
    assert "unknown field 'un\\u200bit'" in problem
    assert "\u200b" not in problem


_CHART = """
import sys
from macros.core import charts, render
from macros.ledger.model import Claim, Fact, Name, Source, Store
text = sys.argv[1]
source = Source("s", text, text, text, "2025-10-01", "en", "news", "secondary", "d.yaml", 1, published="2025-10-01")
claim = Claim(5, "s", 1, 1, as_of="2025-10-01", qualifiers=(("tier", text),))
fact = Fact("tech.x", text, "technology", "number", "seconds", (claim,), "d.yaml", 1)
event = Fact("event.x", text, "technology", "date", "", (Claim("2025-10-01", "s", 1, 1),), "d.yaml", 1,
             title=text, is_event=True)
store = Store(sources={"s": source}, facts={"tech.x": fact, "event.x": event})
notes = render.PageNotes(store, "charts.md")
out = charts.chart_bars(store, notes, ["tech.x"], text) + charts.chart_by_date(store, notes, ["tech.x"], text)
out += charts.chart_timeline(store, notes, ["event.x"], text)
assert "\\x01" not in out and "\\x00" not in out and "\\x1b" not in out and "\\u202e" not in out
print("drawn")
"""


def test_charts_never_hand_the_renderer_a_character_it_cannot_draw(tmp_path: Path) -> None:
    # Under `mkdocs serve` a page is rendered even while the data has problems: a NUL in a label
    # used to abort the whole process inside the chart renderer.
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BRIEFING_CACHE": ""}
    result = subprocess.run(
        [sys.executable, "-c", _CHART, "a\x01b\x1bc\u202ed\ufffe"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "drawn"


def test_esc_never_passes_a_control_character_into_the_html() -> None:
    assert markup.esc("a\x00b\x1bc\u202ed") == "a\ufffdb\ufffdc\ufffdd"
    assert markup.attr("x\x01") == "x\ufffd"


# --- serve's problem box -----------------------------------------------------------------------------


def test_the_problem_box_shows_data_text_as_text_never_markup() -> None:
    problem = "data/facts.yaml:3: unknown field 'a`<img src=x onerror=alert(1)>`b' <script>alert(2)</script> *x*"
    box = page.problem_box([problem])
    html = markdown.markdown(box + "\n# Page\n", extensions=["admonition", "attr_list", "md_in_html", "footnotes"])
    assert "<img" not in html and "<script" not in html and "<em>" not in html
    text = htmllib.unescape(re.sub(r"<[^>]+>", "", html))
    assert problem in " ".join(text.split())


# --- ids and language tags matched whole ---------------------------------------------------------------


def test_an_id_ending_in_a_line_break_is_refused_on_its_line(tmp_path: Path) -> None:
    problem = _one_line(_problems(tmp_path, GOOD_FACT.replace("id: tech.duration", 'id: "tech.duration\\n"')))
    assert problem.startswith("data/facts.yaml:2: ") and "must be a dotted id" in problem


def test_a_language_ending_in_a_line_break_is_refused(tmp_path: Path) -> None:
    problem = _one_line(_problems(tmp_path, sources=SOURCES.replace("language: en", 'language: "en\\n"', 1)))
    assert problem.startswith("data/sources.yaml:12: source 'openai-launch': field 'language' must be a language tag")


def test_a_changelog_fact_id_ending_in_a_line_break_is_refused(tmp_path: Path) -> None:
    changelog = (
        'changelog:\n  - date: 2026-11-20\n    kind: checked\n    facts: ["tech.duration\\n"]\n'
        "    change: c\n    reason: r\n"
    )
    _problems(tmp_path, changelog__yaml=changelog)
    data = tmp_path / "data"
    _, problems = load_changelog(data / "changelog.yaml", tmp_path, load_store(data, tmp_path)[0])
    assert [str(p) for p in problems] == [
        "data/changelog.yaml:4: changelog entry 1: 'tech.duration\\n' is not a fact id like 'tech.max-duration'"
    ]


# --- figures are never rounded into false equality ------------------------------------------------------


def test_figures_of_a_million_and_more_keep_every_digit() -> None:
    assert units.format_number(1_001_000, "USD per month") != units.format_number(1_004_000, "USD per month")
    assert units.format_number(1_001_000, "USD per month") == "$1.001 million a month"
    assert units.format_number(999_999_999, "seconds") == "999,999,999 seconds"
    assert units.format_number(1_234_567, "downloads") == "1,234,567 downloads"
    assert units.format_number(1_500_000, "downloads") == "1.5 million downloads"
    assert units.format_number(2_000_000_000, "USD") == "$2 billion"
    assert units.format_number(1_000_000.5, "USD") == "$1,000,000.50"


def _fact(*values: float) -> Fact:
    claims = tuple(Claim(v, s, i, i) for i, (v, s) in enumerate(zip(values, ["a", "b", "c"], strict=False), start=1))
    return Fact("tech.x", "X", "technology", "number", "seconds", claims, "d.yaml", 1)


def test_125_and_125_point_0_are_one_value() -> None:
    fact = _fact(125, 125.0)
    assert not fact.contested
    store = Store(facts={"tech.x": fact})
    from macros.ledger.model import Source

    for sid in ("a", "b"):
        store.sources[sid] = Source(sid, "T", "T", "P", "2025-10-01", "en", "news", "secondary", "d.yaml", 1)
    out = render.fact(store, render.PageNotes(store), "tech.x")
    assert out.count("125 seconds") == 1 and "sources differ" not in out
    assert _fact(125, 126).contested


# --- the figure check cannot be switched off, and reads every text a reader sees -------------------------


@pytest.mark.parametrize("name", ["0", "9", "million", "Two", "2 million", "1,000"])
def test_a_name_that_is_only_a_figure_is_refused(tmp_path: Path, name: str) -> None:
    names = f'names:\n  - id: n\n    name: "{name}"\n'
    problem = _one_line(_problems(tmp_path, more__yaml=names))
    assert problem.startswith("data/more.yaml:2: name 'n': ") and "not a name" in problem


def test_names_with_letters_are_still_names(tmp_path: Path) -> None:
    names = 'names:\n  - id: n\n    name: "Sora 2"\n    aliases: ["Veo 3.1", "GPT-4", "Kling 2.1 Master"]\n'
    assert _problems(tmp_path, more__yaml=names) == []


def _article(body: str) -> str:
    return f'<html><body><article class="md-content__inner md-typeset">{body}</article></body></html>'


@pytest.mark.parametrize(
    "body",
    [
        '<p>Text.<sup id="fnref:n"><a class="footnote-ref" href="#fn:n">1</a></sup></p><div class="footnote"><ol>'
        '<li id="fn:n"><p>It had 627,000 downloads.<a class="footnote-backref" href="#fnref:n" '
        'title="Jump back to footnote 1 in the text">↩</a></p></li></ol></div>',
        '<p><abbr title="627,000 downloads">App</abbr></p>',
        '<p><img alt="a chart of 627,000 downloads" src="x.png" /></p>',
        '<p><img alt="a chart of 627,000 downloads" src="x.png"></p>',
        '<p><a href="x/" title="over a million users">link</a></p>',
    ],
    ids=["footnote written on a page", "abbreviation title", "image alt (xhtml)", "image alt", "link title"],
)
def test_a_figure_in_text_a_reader_sees_is_caught(body: str) -> None:
    problems = checks.check_page(_article(body), "index.html", [])
    assert len(problems) == 1 and "figure not from data" in problems[0], problems


def test_the_builds_own_footnotes_and_links_pass_the_figure_check() -> None:
    body = (
        '<p>Text.<sup id="fnref:n"><a class="footnote-ref" href="#fn:n">1</a></sup></p><div class="footnote"><ol>'
        '<li id="fn:n"><p><span class="from-data">OpenAI, 30 September 2025.</span><a class="footnote-backref" '
        'href="#fnref:n" title="Jump back to footnote 1 in the text">↩</a></p></li></ol></div>'
        '<p class="fact-meta"><a class="edit-fact" href="x" title="data/facts.yaml, line 42">Edit this fact</a></p>'
    )
    assert checks.check_page(_article(body), "index.html", []) == []


# --- BibTeX --------------------------------------------------------------------------------------------


def _entries(bib: str) -> list[str]:
    """The entries of a BibTeX file as BibTeX reads them: from '@' to the brace that closes it,
    counting every brace (escaped or not, as BibTeX does)."""
    entries, depth, start = [], 0, -1
    for i, char in enumerate(bib):
        if char == "@" and depth == 0:
            start = i
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            assert depth >= 0, f"unbalanced '}}' at {i}: {bib[max(0, i - 60) : i + 1]!r}"
            if depth == 0 and start >= 0:
                entries.append(bib[start : i + 1])
                start = -1
    assert depth == 0, "an entry is never closed"
    return entries


@pytest.mark.parametrize("title", ["Lone } brace", "Lone { brace", "}{ both }}{{", "\\{ escaped \\}"])
def test_a_brace_in_a_title_keeps_every_entry_whole(title: str) -> None:
    from macros.ledger.model import Source

    store = Store()
    for sid, text in (("a-doc", title), ("b-doc", "Plain")):
        store.sources[sid] = Source(
            sid, text, text, "P", "2025-10-01", "en", "news", "secondary", "d.yaml", 1, url="https://example.org/x"
        )
    entries = _entries(downloads.sources_bibtex(store))
    assert [e.split("{", 1)[1].split(",", 1)[0] for e in entries] == ["a-doc", "b-doc"]
    assert all("url = {https://example.org/x}" in e and "urldate = {2025-10-01}" in e for e in entries)


# --- lines and cascades ---------------------------------------------------------------------------------


def test_a_nul_byte_is_reported_on_its_line(tmp_path: Path) -> None:
    (tmp_path / "f.yaml").write_bytes(b"a: 1\n" * 669 + b"b: x\x00y\n")
    _, problems = load_yaml(tmp_path / "f.yaml", "f.yaml")
    assert [str(p) for p in problems] == ["f.yaml:670: the file holds U+0000 (NUL), which is not allowed; remove it"]


def test_a_byte_that_is_not_utf8_is_reported_on_its_line(tmp_path: Path) -> None:
    (tmp_path / "f.yaml").write_bytes(b"a: 1\n" * 669 + b"b: caf\xe9\n")
    _, problems = load_yaml(tmp_path / "f.yaml", "f.yaml")
    assert [str(p) for p in problems] == ["f.yaml:670: not UTF-8 text (invalid continuation byte at byte 3352)"]


@pytest.fixture
def real_data(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    return tmp_path / "data"


def _drop_line(path: Path, line: str) -> int:
    lines = path.read_text(encoding="utf-8").split("\n")
    at = lines.index(line)
    path.write_text("\n".join(lines[:at] + lines[at + 1 :]), encoding="utf-8")
    return at + 1


@pytest.mark.parametrize("name", ["facts/industry.yaml", "facts/copyright.yaml", "facts/technology.yaml"])
def test_a_missing_facts_line_is_one_line_naming_the_cause(real_data: Path, name: str) -> None:
    where = _drop_line(real_data / name, "facts:")
    problems = [str(p) for p in load_store(real_data, real_data.parent)[1]]
    assert len(problems) == 1, problems[:5]
    assert problems[0].startswith(f"data/{name}:") and "'facts:' missing above it" in problems[0]
    assert int(problems[0].split(":")[1]) >= where


def test_a_duplicated_sources_line_is_the_only_line(real_data: Path) -> None:
    path = real_data / "sources" / "copyright.yaml"
    text = path.read_text(encoding="utf-8")
    first = text.index("\n  - id: ", text.index("\nsources:"))
    path.write_text(text[:first] + "\nsources:" + text[first:], encoding="utf-8")
    problems = [str(p) for p in load_store(real_data, real_data.parent)[1]]
    assert len(problems) == 1 and "duplicate key 'sources'" in problems[0], problems[:5]


# --- data/search-terms.txt under `make check` -----------------------------------------------------------


def _check(project: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "macros", "check", "data"], cwd=project, env=env, capture_output=True, text=True
    )


@pytest.mark.parametrize(
    ("content", "line"),
    [
        (
            b"\xe6\xb7\xb1\xe5\xba\xa6 10 n\ncaf\xe9 3\n",
            "data/search-terms.txt:2: not UTF-8 text (invalid continuation byte at byte 16)",
        ),
        ("深度 10 n\n深度  10\n".encode(), "data/search-terms.txt:2: '深度  10' is not 'term'"),
        ("深度 10 n\n深度 3\n".encode(), "data/search-terms.txt:2: '深度' is listed twice (first at line 1)"),
    ],
    ids=["latin-1 byte", "two spaces", "listed twice"],
)
def test_make_check_reads_the_search_terms(tmp_path: Path, content: bytes, line: str) -> None:
    _problems(tmp_path)
    (tmp_path / "data" / "search-terms.txt").write_bytes(content)
    result = _check(tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 2 and lines[0].startswith(line), lines


def test_the_real_search_terms_pass(tmp_path: Path) -> None:
    from macros.ledger import terms

    assert terms.check_terms(ROOT / "data" / terms.NAME, "data/search-terms.txt") == []


# --- impossible data ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "accessed: 2026-11-21\n    url: https://openai",
            "accessed: 9999-12-31\n    url: https://openai",
            "data/sources.yaml:10: source 'openai-launch': accessed 9999-12-31 is in the future",
        ),
        (
            "published: 2025-09-30",
            "published: 2026-12-01",
            "data/sources.yaml:9: source 'openai-launch': published 2026-12-01 is after accessed 2026-11-21",
        ),
    ],
    ids=["accessed in the future", "published after accessed"],
)
def test_impossible_source_dates_are_refused(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in SOURCES
    assert _one_line(_problems(tmp_path, sources=SOURCES.replace(old, new, 1))).startswith(expected)


def test_a_negative_duration_is_refused(tmp_path: Path) -> None:
    problem = _one_line(_problems(tmp_path, GOOD_FACT.replace("value: 20", "value: -20")))
    assert (
        problem == "data/facts.yaml:7: fact 'tech.duration': claim 1: value is negative; seconds cannot be below zero"
    )


def test_a_blank_label_is_refused(tmp_path: Path) -> None:
    problem = _one_line(_problems(tmp_path, GOOD_FACT.replace("label: Longest clip", 'label: "   "')))
    assert problem == "data/facts.yaml:3: fact 'tech.duration': field 'label' must be text, not empty"


# --- YAML that reads differently from what it looks like ------------------------------------------------


@pytest.mark.parametrize(
    ("value", "tag"),
    [("!!int 012", "!!int"), ("!!str 25", "!!str"), ("!!float 1:30", "!!float"), ("!!binary eA==", "!!binary")],
)
def test_an_explicit_yaml_tag_is_refused(tmp_path: Path, value: str, tag: str) -> None:
    problem = _one_line(_problems(tmp_path, GOOD_FACT.replace("value: 20", f"value: {value}")))
    assert problem == f"data/facts.yaml:7: the YAML tag '{tag}' is not allowed; write the value plainly, without a tag"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("    unit: seconds\n", "    unit: seconds\n    <<: {note: x}\n"),
            "data/facts.yaml:6: a merge key '<<' is not supported here; write the fields out in full",
        ),
        (
            ("    unit: seconds\n", "    unit: seconds\n    yes: x\n"),
            "data/facts.yaml:6: fact 'tech.duration': unknown field 'yes'",
        ),
        (
            ("    unit: seconds\n", "    unit: seconds\n    ~: x\n"),
            "data/facts.yaml:6: fact 'tech.duration': unknown field '~'",
        ),
        (
            ("        via: doc-b\n", "        via: doc-b\n---\nfacts: []\n"),
            "data/facts.yaml:12: a second YAML document ('---') starts here; a data file holds one document",
        ),
    ],
    ids=["merge key", "yes key", "tilde key", "second document"],
)
def test_yaml_surprises_get_a_clear_line(tmp_path: Path, change: tuple[str, str], expected: str) -> None:
    problem = _one_line(_problems(tmp_path, GOOD_FACT.replace(*change)))
    assert problem == expected


def test_an_empty_facts_list_in_the_changelog_says_so(tmp_path: Path) -> None:
    changelog = "changelog:\n  - date: 2026-11-20\n    kind: checked\n    facts: []\n    change: c\n    reason: r\n"
    _problems(tmp_path, changelog__yaml=changelog)
    data = tmp_path / "data"
    _, problems = load_changelog(data / "changelog.yaml", tmp_path, load_store(data, tmp_path)[0])
    assert [str(p) for p in problems] == [
        "data/changelog.yaml:4: changelog entry 1: field 'facts' is an empty list; name the facts, or leave the "
        "field out for all of them"
    ]


# --- which files are read ---------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".YAML", ".YML", ".Yaml"])
def test_upper_case_yaml_files_are_read(tmp_path: Path, suffix: str) -> None:
    problems = _problems(tmp_path, **{f"more{suffix}".replace(".", "__"): "facts:\n  - id: x\n"})
    assert any(p.startswith(f"data/more{suffix}:2: ") for p in problems), problems


def test_a_link_to_a_file_outside_the_project_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text(GOOD_FACT.replace("tech.duration", "tech.other"), encoding="utf-8")
    project = tmp_path / "project"
    project.mkdir()
    _problems(project)
    (project / "data" / "linked.yaml").symlink_to(outside)
    _, problems = load_store(project / "data", project)
    assert [str(p) for p in problems] == [
        "data/linked.yaml:1: is a link to a file outside the project; copy the file into data/ instead"
    ]


def test_a_link_inside_the_project_is_read(tmp_path: Path) -> None:
    _problems(tmp_path)
    (tmp_path / "shared.yaml").write_text("names:\n  - id: n\n    name: Sora\n", encoding="utf-8")
    (tmp_path / "data" / "linked.yaml").symlink_to(tmp_path / "shared.yaml")
    store, problems = load_store(tmp_path / "data", tmp_path)
    assert problems == [] and "n" in store.names


def test_plain_mkdocs_build_reports_bad_search_terms_in_one_line(tmp_path: Path) -> None:
    # The terms are part of the ledger: checked with the rest of the data before any page.
    root = make_site(tmp_path / "project", basic_files())
    (root / "data" / "search-terms.txt").write_bytes(b"term 10 n\ncaf\xe9 3\n")
    result = build(root)
    assert result.returncode != 0 and "Traceback" not in result.output, result.output
    assert error_lines(result.output) == [
        "data/search-terms.txt:2: not UTF-8 text (invalid continuation byte at byte 14)",
        "1 problem(s) in data/ (listed above); the site was not built",
    ]
