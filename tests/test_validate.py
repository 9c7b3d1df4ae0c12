"""Every mistake a contributor can make in data/ gives one exact line: file, line, what is wrong."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from macros.ledger.validate import load_store
from tests.sites import GOOD_FACT, ROOT, SOURCES

# (name, contents of data/facts.yaml, the exact problem lines expected)
CASES: list[tuple[str, str, list[str]]] = [
    (
        "yaml syntax error",
        "facts: [\n  - id: x\n",
        ["data/facts.yaml:2: YAML syntax: did not find expected node content"],
    ),
    (
        "tab indentation",
        "facts:\n\t- id: tech.x\n",
        ["data/facts.yaml:2: YAML syntax: a tab is used for indentation; indent with spaces"],
    ),
    (
        "duplicate key",
        GOOD_FACT.replace("    unit: seconds\n", "    unit: seconds\n    unit: minutes\n"),
        ["data/facts.yaml:6: duplicate key 'unit' (first at line 5)"],
    ),
    (
        "missing required field",
        GOOD_FACT.replace("    label: Longest clip\n", ""),
        ["data/facts.yaml:2: fact 'tech.duration': missing required field 'label'"],
    ),
    (
        "base-60 number (YAML 1.1 reads 1:30 as 90)",
        GOOD_FACT.replace("value: 20", "value: 1:30"),
        [
            "data/facts.yaml:7: fact 'tech.duration': claim 1: value '1:30' is not a plain decimal number; write "
            "digits with at most one decimal point, such as 90 or 0.5 (a leading 0, a colon or an exponent reads "
            "differently)"
        ],
    ),
    (
        "octal-looking number (YAML 1.1 reads 012 as 10)",
        GOOD_FACT.replace("value: 20", "value: 012"),
        [
            "data/facts.yaml:7: fact 'tech.duration': claim 1: value '012' is not a plain decimal number; write "
            "digits with at most one decimal point, such as 90 or 0.5 (a leading 0, a colon or an exponent reads "
            "differently)"
        ],
    ),
    (
        "number too small to print",
        GOOD_FACT.replace("value: 20", "value: 0.0000001"),
        [
            "data/facts.yaml:7: fact 'tech.duration': claim 1: value is too small for a figure "
            "(the smallest is 0.000001)"
        ],
    ),
    (
        "wrong type",
        GOOD_FACT.replace("    label: Longest clip\n", "    label: [a, b]\n"),
        ["data/facts.yaml:3: fact 'tech.duration': field 'label' must be text, not a list"],
    ),
    (
        "number where text belongs",
        GOOD_FACT.replace("    label: Longest clip\n", "    label: 12\n"),
        ["data/facts.yaml:3: fact 'tech.duration': field 'label' must be text, not a number"],
    ),
    (
        "impossible date",
        GOOD_FACT.replace("        source: doc-a\n", "        source: doc-a\n        as_of: 2025-02-30\n"),
        [
            "data/facts.yaml:9: fact 'tech.duration': claim 1: field 'as_of' is not a valid date: '2025-02-30' "
            "(use YYYY-MM-DD, YYYY-MM or YYYY)"
        ],
    ),
    (
        "unknown source",
        GOOD_FACT.replace("source: doc-a", "source: dco-a"),
        ["data/facts.yaml:8: fact 'tech.duration': claim 1 names unknown source 'dco-a' (did you mean 'doc-a'?)"],
    ),
    (
        "unknown via",
        GOOD_FACT.replace("via: doc-b", "via: nowhere"),
        ["data/facts.yaml:11: fact 'tech.duration': claim 2 names unknown via 'nowhere'"],
    ),
    (
        "rank without a reason",
        GOOD_FACT.replace("        source: doc-a\n", "        source: doc-a\n        rank: preferred\n"),
        ["data/facts.yaml:7: fact 'tech.duration': claim 1: rank 'preferred' needs a rank_reason"],
    ),
    (
        "two preferred claims",
        GOOD_FACT.replace(
            "        source: doc-a\n", "        source: doc-a\n        rank: preferred\n        rank_reason: a\n"
        ).replace("        via: doc-b\n", "        via: doc-b\n        rank: preferred\n        rank_reason: b\n"),
        ["data/facts.yaml:11: fact 'tech.duration': claims 1, 2 are all preferred; at most one may be"],
    ),
    (
        "deprecated without a verdict",
        GOOD_FACT.replace(
            "        source: doc-a\n", "        source: doc-a\n        rank: deprecated\n        rank_reason: x\n"
        ),
        [
            "data/facts.yaml:7: fact 'tech.duration': claim 1: a deprecated claim needs a verdict "
            "(wrong, superseded, other-product, unverified)"
        ],
    ),
    (
        "unknown rank",
        GOOD_FACT.replace("        source: doc-a\n", "        source: doc-a\n        rank: best\n"),
        [
            "data/facts.yaml:9: fact 'tech.duration': claim 1: field 'rank' must be one of preferred, normal, "
            "deprecated, not 'best'"
        ],
    ),
    (
        "empty file",
        "",
        ["data/facts.yaml:1: the file is empty; expected a mapping with sources, facts, events or names"],
    ),
    (
        "a list where a mapping is expected",
        "- id: tech.x\n",
        ["data/facts.yaml:1: the file must be a mapping with sources, facts, events or names, not a list"],
    ),
    (
        "facts is not a list",
        "facts:\n  id: tech.x\n",
        ["data/facts.yaml:1: 'facts' must be a list, not a mapping"],
    ),
    (
        "unknown top-level list",
        "fact:\n  - id: tech.x\n",
        ["data/facts.yaml:1: unknown list 'fact' (expected sources, facts, events or names)"],
    ),
    (
        "unknown field with a suggestion",
        GOOD_FACT.replace("    unit: seconds\n", "    unit: seconds\n    lable: x\n"),
        ["data/facts.yaml:6: fact 'tech.duration': unknown field 'lable' (did you mean 'label'?)"],
    ),
    (
        "units differ between claims",
        GOOD_FACT.replace("        source: doc-a\n", "        source: doc-a\n        unit: minutes\n"),
        ["data/facts.yaml:9: fact 'tech.duration': claim 1: unit 'minutes' differs from the fact's unit 'seconds'"],
    ),
    (
        "unknown unit",
        GOOD_FACT.replace("unit: seconds", "unit: secs"),
        ["data/facts.yaml:5: fact 'tech.duration': unknown unit 'secs' (known: "],
    ),
    (
        "number without a unit",
        GOOD_FACT.replace("    unit: seconds\n", ""),
        [
            "data/facts.yaml:2: fact 'tech.duration': a number needs a unit "
            "(see data/README.md; 'count' for a bare number)"
        ],
    ),
    (
        "text where a number belongs",
        GOOD_FACT.replace("value: 20", "value: twenty"),
        ["data/facts.yaml:7: fact 'tech.duration': claim 1: value must be a number or {min, max}, not text"],
    ),
    (
        "range upside down",
        GOOD_FACT.replace("value: 20", "value: {min: 30, max: 10}"),
        ["data/facts.yaml:7: fact 'tech.duration': claim 1: range min 30 is not below max 10"],
    ),
    (
        "unknown product name",
        GOOD_FACT.replace("    unit: seconds\n", "    unit: seconds\n    product: veo-9\n"),
        ["data/facts.yaml:6: fact 'tech.duration': product 'veo-9' is not in names"],
    ),
    (
        "bad fact id",
        GOOD_FACT.replace("id: tech.duration", "id: Tech Duration"),
        [
            "data/facts.yaml:2: fact 'Tech Duration': field 'id' must be a dotted id like 'tech.max-duration', "
            "not 'Tech Duration'"
        ],
    ),
    (
        "claims empty",
        GOOD_FACT.split("    claims:")[0] + "    claims: []\n",
        [
            "data/facts.yaml:6: fact 'tech.duration': field 'claims' must be a non-empty list of claims, "
            "not an empty list"
        ],
    ),
    (
        "quote without translation",
        GOOD_FACT.replace(
            "        source: doc-a\n", "        source: doc-a\n        quote: 原话\n        wording: reported\n"
        ),
        [
            "data/facts.yaml:7: fact 'tech.duration': claim 1: a quotation needs both quote and quote_en; "
            "'quote_en' is missing"
        ],
    ),
    (
        "quotation without a record of how its wording was seen",
        GOOD_FACT.replace(
            "        source: doc-a\n", "        source: doc-a\n        quote: 原话\n        quote_en: words\n"
        ),
        [
            "data/facts.yaml:7: fact 'tech.duration': claim 1: a quotation needs 'wording' (own-words, direct-quote, "
            "reported): was the speaker's own wording seen?"
        ],
    ),
    (
        "quotation marks for words only reached through another document",
        GOOD_FACT.replace(
            "        via: doc-b\n",
            "        via: doc-b\n        quote: words\n        quote_en: words\n        wording: own-words\n"
            "        locator: second paragraph\n",
        ),
        [
            "data/facts.yaml:14: fact 'tech.duration': claim 2: wording 'own-words' needs the quoted source itself; "
            "it was reached via 'doc-b', so the wording is 'reported'"
        ],
    ),
    (
        "direct quotation credited to a secondary source",
        GOOD_FACT.replace(
            "        source: doc-a\n",
            "        source: doc-a\n        quote: 原话\n        quote_en: words\n        speaker: Sam Altman\n"
            "        locator: paragraph 4\n        wording: direct-quote\n",
        ),
        [
            "data/facts.yaml:13: fact 'tech.duration': claim 1: wording 'direct-quote' needs a primary or established "
            "source; 'doc-a' is secondary, so the wording is 'reported'"
        ],
    ),
    (
        "figure that changes over time without the date it held",
        GOOD_FACT.replace("unit: seconds", "unit: downloads").replace(
            "        source: doc-a\n", "        source: doc-a\n        as_of: 2025-10-06\n"
        ),
        [
            "data/facts.yaml:10: fact 'tech.duration': claim 2 has no as_of; a figure that changes over time "
            "(unit 'downloads') must say when it held"
        ],
    ),
    (
        "fact declared time-sensitive without the date it held",
        GOOD_FACT.replace("    unit: seconds\n", "    unit: seconds\n    time_sensitive: true\n").replace(
            "        source: doc-a\n", "        source: doc-a\n        as_of: 2025-10\n"
        ),
        [
            "data/facts.yaml:11: fact 'tech.duration': claim 2 has no as_of; a figure that changes over time "
            "(time_sensitive: true) must say when it held"
        ],
    ),
    (
        "time_sensitive that is not true or false",
        GOOD_FACT.replace("    unit: seconds\n", "    unit: seconds\n    time_sensitive: often\n"),
        ["data/facts.yaml:6: fact 'tech.duration': field 'time_sensitive' must be true or false, not 'often'"],
    ),
    (
        "correct value deprecated as wrong beside the same preferred value",
        GOOD_FACT.replace(
            "      - value: 20\n        source: doc-a\n",
            "      - value: 25\n        source: doc-a\n        rank: deprecated\n        verdict: wrong\n"
            "        rank_reason: Overstated\n",
        ).replace("        via: doc-b\n", "        via: doc-b\n        rank: preferred\n        rank_reason: OpenAI\n"),
        [
            "data/facts.yaml:7: fact 'tech.duration': claim 1 is deprecated as wrong but gives the preferred value of "
            "claim 2; one of the two ranks is on the wrong claim"
        ],
    ),
    (
        "100 KB string",
        GOOD_FACT.replace("    label: Longest clip\n", "    label: " + "x" * 100_000 + "\n"),
        ["data/facts.yaml:3: fact 'tech.duration': field 'label' is 100000 characters long; the limit is 300"],
    ),
    (
        "source and via the same",
        GOOD_FACT.replace("via: doc-b", "via: openai-launch"),
        ["data/facts.yaml:11: fact 'tech.duration': claim 2 names 'openai-launch' as both source and via"],
    ),
    (
        "duplicate id within a file",
        GOOD_FACT + GOOD_FACT.replace("facts:\n", ""),
        ["data/facts.yaml:12: fact 'tech.duration': duplicate id (first defined at data/facts.yaml:2)"],
    ),
    (
        "event id without prefix",
        "events:\n  - id: launch.day\n    title: T\n    label: L\n    topic: technology\n    claims:\n"
        "      - value: 2025-09-30\n        source: doc-a\n",
        ["data/facts.yaml:2: event 'launch.day': an event id must start with 'event.'"],
    ),
    (
        "verdict on a normal claim",
        GOOD_FACT.replace("        source: doc-a\n", "        source: doc-a\n        verdict: wrong\n"),
        ["data/facts.yaml:9: fact 'tech.duration': claim 1: a verdict belongs only on a deprecated claim"],
    ),
    (
        "boolean where text belongs",
        GOOD_FACT.replace("    label: Longest clip\n", "    label: yes\n"),
        ["data/facts.yaml:3: fact 'tech.duration': field 'label' must be text, not a true/false value"],
    ),
    (
        "claim that is not a mapping",
        GOOD_FACT.replace("      - value: 20\n        source: doc-a\n", "      - 20\n"),
        ["data/facts.yaml:7: fact 'tech.duration': claim 1 must be a mapping, not a number"],
    ),
    (
        "unknown qualifier",
        GOOD_FACT.replace("        source: doc-a\n", "        source: doc-a\n        qualifiers: {plan: Pro}\n"),
        [
            "data/facts.yaml:9: fact 'tech.duration': claim 1: unknown qualifier 'plan' "
            "(use tier, surface, region, model, period)"
        ],
    ),
]

SOURCE_CASES: list[tuple[str, str, str]] = [
    ("non-https address", "url: https://openai.com/index/sora-2/", "url: http://openai.com/"),
    ("javascript address", "url: https://openai.com/index/sora-2/", "url: javascript:alert(1)"),
    ("unknown source kind", "kind: primary", "kind: rumour"),
    ("impossible accessed date", "published: 2025-09-30", "published: 2025-13-01"),
    ("language written out", "language: en", "language: English"),
]


def _problems(tmp_path: Path, facts: str, sources: str = SOURCES) -> list[str]:
    data = tmp_path / "data"
    data.mkdir()
    (data / "sources.yaml").write_text(sources, encoding="utf-8")
    (data / "facts.yaml").write_text(facts, encoding="utf-8")
    _, problems = load_store(data, tmp_path)
    return [str(p) for p in problems if not p.message.endswith("is not cited by any claim")]


@pytest.mark.parametrize(("facts", "expected"), [(c[1], c[2]) for c in CASES], ids=[c[0] for c in CASES])
def test_mistake_gives_exact_line(tmp_path: Path, facts: str, expected: list[str]) -> None:
    problems = _problems(tmp_path, facts)
    if expected[0].endswith("(known: "):
        assert len(problems) == 1 and problems[0].startswith(expected[0])
    else:
        assert problems == expected


@pytest.mark.parametrize(("good", "bad"), [(c[1], c[2]) for c in SOURCE_CASES], ids=[c[0] for c in SOURCE_CASES])
def test_source_mistake_is_reported_on_its_line(tmp_path: Path, good: str, bad: str) -> None:
    assert good in SOURCES
    problems = _problems(tmp_path, GOOD_FACT, SOURCES.replace(good, bad, 1))
    assert len(problems) == 1, problems
    line = next(i for i, text in enumerate(SOURCES.splitlines(), 1) if good in text)
    assert problems[0].startswith(f"data/sources.yaml:{line}: source 'openai-launch': field ")


def test_good_data_has_no_problems(tmp_path: Path) -> None:
    assert _problems(tmp_path, GOOD_FACT) == []


def test_uncited_source_is_reported(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "sources.yaml").write_text(SOURCES, encoding="utf-8")
    (data / "facts.yaml").write_text(GOOD_FACT.replace("        via: doc-b\n", ""), encoding="utf-8")
    _, problems = load_store(data, tmp_path)
    assert [str(p) for p in problems] == ["data/sources.yaml:24: source 'doc-b' is not cited by any claim"]


def test_duplicate_id_across_files(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.yaml").write_text(SOURCES, encoding="utf-8")
    (data / "b.yaml").write_text(GOOD_FACT, encoding="utf-8")
    (data / "c.yaml").write_text(GOOD_FACT, encoding="utf-8")
    _, problems = load_store(data, tmp_path)
    assert [str(p) for p in problems] == [
        "data/c.yaml:2: fact 'tech.duration': duplicate id (first defined at data/b.yaml:2)"
    ]


def test_check_command_exits_nonzero_with_one_line_per_problem_and_no_traceback(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "sources.yaml").write_text(SOURCES, encoding="utf-8")
    (data / "facts.yaml").write_text(GOOD_FACT.replace("source: doc-a", "source: dco-a"), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "macros", "check", "data"],
        cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "data/facts.yaml:8: fact 'tech.duration': claim 1 names unknown source 'dco-a' (did you mean 'doc-a'?)",
        "1 problem(s) in data/",
    ]


def test_real_data_is_valid() -> None:
    _, problems = load_store(ROOT / "data", ROOT)
    assert [str(p) for p in problems] == []


def test_source_without_an_evidence_tier_is_one_line(tmp_path: Path) -> None:
    sources = SOURCES.replace("    kind: primary\n    tier: primary\n", "    kind: primary\n")
    assert _problems(tmp_path, GOOD_FACT, sources) == [
        "data/sources.yaml:5: source 'openai-launch': missing required field 'tier'"
    ]
