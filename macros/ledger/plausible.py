"""Checks that a well-formed value is also a possible one: dates that have happened, in order;
durations and counts that are not negative; names that are names, not figures.

Each check takes the record's fields and an `add(line, message)` that reports one problem.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from typing import Any

from . import units
from .model import Claim

Add = Callable[[int, str], None]

# A whole number, a decimal or a number word: what the site's figure check looks for on a page.
_FIGURE_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred hundreds thousand "
    "thousands million millions billion billions trillion trillions dozen dozens"
).split()
_FIGURES_RX = re.compile(r"\d+|\b(?:" + "|".join(_FIGURE_WORDS) + r")\b", re.IGNORECASE)


def today() -> dt.date:
    """The day of the build, by the clock (a build is made on the day it runs)."""
    return dt.date.today()


def _after(first: str, second: str) -> bool:
    """Is date `first` certainly after `second`, at the precision each was given (YYYY, YYYY-MM)?"""
    n = min(len(first), len(second))
    return first[:n] > second[:n]


def latest_date() -> str:
    """The latest date a source may carry: tomorrow, a day's grace for time zones."""
    return (today() + dt.timedelta(days=1)).isoformat()


def check_source_dates(
    add: Add, where: str, good: dict[str, Any], lines: dict[str, int], line: int, latest: str | None = None
) -> None:
    """A source is read after it is published, and not after today (a day's grace for time zones).
    latest: `latest_date()`, when the caller has it already (asking the clock takes longer than
    the checks: validation asks once a file, not once a source)."""
    accessed, published = good.get("accessed"), good.get("published")
    if latest is None:
        latest = latest_date()
    if isinstance(accessed, str) and _after(accessed, latest):
        add(lines.get("accessed", line), f"{where}: accessed {accessed} is in the future (today is {today()})")
    elif isinstance(published, str) and isinstance(accessed, str) and _after(published, accessed):
        add(lines.get("published", line), f"{where}: published {published} is after accessed {accessed}")
    if isinstance(published, str) and _after(published, latest):
        add(lines.get("published", line), f"{where}: published {published} is in the future (today is {today()})")


def is_only_figures(text: str) -> bool:
    """Text with nothing but figures, number words, spaces and punctuation: '0', 'million', '2 000'."""
    return not any(char.isalpha() for char in _FIGURES_RX.sub("", text))


def check_name_is_a_name(add: Add, where: str, line: int, spellings: Iterable[Any]) -> None:
    """A registered name exempts its spelling from the site's figure check, so a name that is only
    a figure ('0', 'million') would switch the check off for that figure on every page."""
    for spelling in spellings:
        if isinstance(spelling, str) and spelling.strip() and is_only_figures(spelling):
            add(
                line,
                f"{where}: '{spelling}' is a figure or a number word, not a name; names must hold letters "
                "beyond number words",
            )


def check_signs(add: Add, where: str, unit: str, claims: Iterable[Claim]) -> None:
    """Durations, counts of things and prices are never below zero."""
    if not units.known(unit) or units.UNITS[unit].signed:
        return
    for claim in claims:
        values = claim.value if isinstance(claim.value, tuple) else (claim.value,)
        if any(isinstance(v, int | float) and v < 0 for v in values):
            add(claim.line_of("value"), f"{where}: claim {claim.index}: value is negative; {unit} cannot be below zero")
