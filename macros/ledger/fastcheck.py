"""Speed only: nothing here decides what is right or wrong in the ledger.

`validate._check_field` defines what a field may hold. For text, its verdict depends on nothing
but the field and the text, and a ledger repeats the same texts thousands of times (a source's id
in every claim citing it, an evidence tier, a date, a language tag). `accepted` remembers, per
field, the texts the full check has already passed, so a repeat is taken without checking it
again. Only passes are remembered: a text the check refused goes through the full check, and its
message, every time.
"""

from __future__ import annotations

from typing import Any

_LIMIT = 200_000  # texts remembered before starting afresh (a large ledger holds about 60,000 distinct ones)
_passed: dict[tuple[str, str], set[str]] = {}
_count = 0


def accepted(record: str, field: str, value: Any) -> bool:
    """Has the full check already passed this text for this field of this kind of record?"""
    seen = _passed.get((record, field))
    return seen is not None and type(value) is str and value in seen


def remember(record: str, field: str, value: Any) -> None:
    """The full check passed this value: remember it when it is text."""
    global _count
    if type(value) is not str:
        return
    if _count >= _LIMIT:
        _passed.clear()
        _count = 0
    _passed.setdefault((record, field), set()).add(value)
    _count += 1
