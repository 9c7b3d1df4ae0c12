"""How figures sit in the English pages' sentences.

A figure in running text is followed by its footnote and, when it changes over time or is
attributed, by its date and source ("4 million downloads, as of 31 October 2025 (Appfigures, as
reported by …)"). Words that complete the figure must therefore come before it, and the unit it
is written with must not be said again just before it. These read the pages as editors write
them, so a sentence that would put the date between a figure and its rate fails here, not in a
reader's eyes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from macros.ledger import load_ledger, units
from macros.ledger.model import Store
from tests.sites import ROOT

PAGES = sorted((ROOT / "docs").glob("*.md"))
CALL = re.compile(r"""\{\{\s*fact\(\s*["']([^"']+)["']\s*\)\s*\}\}""")
# A rate or multiplier after a figure belongs to it: "$X a day", "X times", "X per slot".
TRAILING = re.compile(
    r"\A\s*(?:(?:a|an|per|each)\s+(?:day|week|month|year|second|minute|hour|slot|clip|video)\b|times\b)"
)


@pytest.fixture(scope="module")
def store() -> Store:
    return load_ledger(ROOT / "data", ROOT).store


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_no_rate_or_multiplier_follows_a_figure(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    found = [
        f"{page.name}:{text.count(chr(10), 0, m.start()) + 1}: {m.group(1)} {text[m.end() : m.end() + 20]!r}"
        for m in CALL.finditer(text)
        if TRAILING.match(text[m.end() :])
    ]
    assert not found, "put the rate before the figure: " + "; ".join(found)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_a_figure_unit_is_not_said_just_before_it(page: Path, store: Store) -> None:
    text = page.read_text(encoding="utf-8")
    found = []
    for m in CALL.finditer(text):
        fact = store.facts.get(m.group(1))
        if fact is None or fact.unit is None or not units.known(fact.unit):
            continue
        unit = units.UNITS[fact.unit]
        words = {w for w in (unit.singular, unit.plural) if w.isalpha()}
        before = re.sub(r"\{\{.*?\}\}", " ", text[max(0, m.start() - 60) : m.start()], flags=re.S)
        last = [w.strip(".,;:()").lower() for w in before.split()[-3:]]
        if words & set(last):
            found.append(f"{page.name}:{text.count(chr(10), 0, m.start()) + 1}: {' '.join(last)} {m.group(1)}")
    assert not found, "the figure already says its unit: " + "; ".join(found)
