"""Speed only: nothing here decides what is right or wrong in the ledger.

`validate._check_field` defines what a field may hold. For text, its verdict depends on nothing
but the field and the text, and a ledger repeats the same texts thousands of times (a source's id
in every claim citing it, an evidence tier, a date, a language tag). `passed` holds, per kind of
record and field, the texts the full check has already passed, and `validate._check_record` takes
a repeat without checking it again. Only passes are remembered: a text the check refused goes
through the full check, and its message, every time.
"""

from __future__ import annotations

from typing import Any

_LIMIT = 200_000  # texts remembered before starting afresh (a large ledger holds about 60,000 distinct ones)
_passed: dict[str, dict[str, set[str]]] = {}  # kind of record -> field -> texts
_count = 0


def passed(record: str) -> dict[str, set[str]]:
    """For one kind of record, the texts the full check has already passed, by field. The mapping
    and its sets are live: they grow as `remember` is called, and are emptied, never replaced."""
    return _passed.setdefault(record, {})


def remember(record: str, field: str, value: Any) -> None:
    """The full check passed this value: remember it when it is text."""
    global _count
    if type(value) is not str:
        return
    if _count >= _LIMIT:
        for fields in _passed.values():
            for texts in fields.values():
                texts.clear()  # emptied, not replaced: `validate` holds these sets
        _count = 0
    passed(record).setdefault(field, set()).add(value)
    _count += 1
