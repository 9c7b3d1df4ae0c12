"""Every phrase the core writes around the data has its Chinese (macros/core/words.py), with the
same placeholders; every tier, wording, rule, status and unit has its Chinese too. Read from the
code itself, so a new English phrase without its Chinese fails here before a build does."""

from __future__ import annotations

import ast

from macros.core import render, words
from macros.ledger import evidence, units
from tests.sites import ROOT


def _phrases() -> dict[str, str]:
    """Every string literal passed as the phrase of `say(lang, …)` or `notes.say(…)` in macros/."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "macros").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name != "say":
                continue
            args = node.args[1:] if isinstance(node.func, ast.Name) else node.args
            for arg in args[:1]:
                candidates = [arg]
                if isinstance(arg, ast.IfExp):  # say(lang, "Source: " if one else "Sources: ")
                    candidates = [arg.body, arg.orelse]
                for c in candidates:
                    if isinstance(c, ast.Constant) and isinstance(c.value, str):
                        found[c.value] = f"{path.relative_to(ROOT)}:{node.lineno}"
    return found


def test_the_code_says_phrases_and_the_scan_finds_them() -> None:
    found = _phrases()
    assert len(found) > 60, found  # the scan reads the calls (a scan finding nothing would pass anything)
    assert "according to {reporter}{ours}, in substance" in found


def test_every_phrase_has_its_chinese_with_the_same_placeholders() -> None:
    missing = [f"{where}: {phrase!r}" for phrase, where in _phrases().items() if phrase not in words.ZH]
    assert missing == []
    differ = [p for p, zh in words.ZH.items() if words.placeholders(p) != words.placeholders(zh)]
    assert differ == []


def test_tiers_wordings_rules_statuses_and_units_have_their_chinese() -> None:
    assert set(evidence.TIER_NAMES_ZH) == set(evidence.TIERS) == set(evidence.TIERS_ZH)
    assert set(evidence.WORDINGS_ZH) == set(evidence.WORDINGS)
    assert set(evidence.RULE_TEXTS_ZH) == set(evidence.RULES_BY_ID)
    assert set(evidence.STATUSES_ZH) == set(evidence.STATUSES)
    assert set(render.TOPICS_ZH) >= {"technology", "industry", "copyright", "risks", "after-launch"}
    plain = [name for name, unit in units.UNITS.items() if unit.zh == "{n}" and name != "count"]
    assert plain == []


def test_a_phrase_without_its_chinese_is_one_clear_error() -> None:
    try:
        words.say("zh", "A phrase nobody translated")
    except words.NoWords as error:
        assert str(error) == "no Chinese for the phrase 'A phrase nobody translated' (macros/core/words.py)"
    else:
        raise AssertionError("say() made up a Chinese phrase")
    assert words.say("en", "as of {date}", date="1 May") == "as of 1 May"
    assert words.say("zh", "as of {date}", date="5月1日") == "截至5月1日"


def test_chinese_dates_and_numbers() -> None:
    assert render.format_date("2025-09-30", "zh") == "2025年9月30日"
    assert render.format_date("2025-09", "zh") == "2025年9月"
    assert units.format_number(627000, "downloads", lang="zh") == "62.7万次下载"
    assert units.format_number(1000000, "downloads", "over", "zh") == "超过100万次下载"
    assert units.format_number(1_000_000_000, "USD", lang="zh") == "10亿美元"
    assert units.format_number(1234567, "downloads", lang="zh") == "1,234,567次下载"
    assert units.format_number((4, 12), "seconds", lang="zh") == "4–12秒"
