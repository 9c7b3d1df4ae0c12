"""The changelog of facts, `data/changelog.yaml`: read and checked against the ledger with the
same one-line-per-problem messages as the facts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import schema
from .loading import LineDict, LineList, Problem, load_yaml
from .model import Store
from .validate import CHANGELOG, check_date, close_matches

NAME = CHANGELOG

# What an entry records. Every kind but `removed` means someone compared the facts it names with
# their sources that day, so it also counts as a verification date.
CHANGE_KINDS = ("added", "updated", "corrected", "checked", "removed")
_FIELDS = ("date", "kind", "facts", "change", "reason", "change_zh", "reason_zh")
_REQUIRED = ("date", "kind", "change", "reason")
_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DOTTED = re.compile(schema.DOTTED)


@dataclass(frozen=True)
class ChangeEntry:
    """One change to the ledger: when, what kind, which facts (none: all of them), what and why."""

    date: str
    kind: str
    change: str
    reason: str
    facts: tuple[str, ...]
    path: str
    line: int
    change_zh: str | None = None
    reason_zh: str | None = None

    def covers(self, fact_id: str) -> bool:
        return not self.facts or fact_id in self.facts


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "a true/false value"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, LineDict):
        return "a mapping"
    if isinstance(value, LineList):
        return "a list"
    if value is None:
        return "empty"
    return "text"


def _entry_fields(path: str, index: int, item: LineDict, problems: list[Problem]) -> dict[str, Any]:
    """The fields of one entry that are well formed; a problem for each one that is not."""
    where = f"changelog entry {index}"
    good: dict[str, Any] = {}
    for key, value in item.items():
        line = item.key_lines.get(key, item.line)
        if key not in _FIELDS:
            close = close_matches(key, list(_FIELDS))
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(Problem(path, line, f"{where}: unknown field '{key}'{hint}"))
        elif key == "facts":
            ids = _fact_ids(path, where, value, line, problems)
            if ids is not None:
                good[key] = ids
        elif not isinstance(value, str) or not value.strip():
            problems.append(Problem(path, line, f"{where}: field '{key}' must be text, not {_type_name(value)}"))
        elif key == "date" and not (_FULL_DATE.fullmatch(value) and check_date(value)):
            problems.append(Problem(path, line, f"{where}: field 'date' must be a date YYYY-MM-DD, not '{value}'"))
        elif key == "kind" and value not in CHANGE_KINDS:
            choices = ", ".join(CHANGE_KINDS)
            problems.append(Problem(path, line, f"{where}: field 'kind' must be one of {choices}, not '{value}'"))
        elif len(value) > schema.LONG:
            message = f"{where}: field '{key}' is {len(value)} characters long; the limit is {schema.LONG}"
            problems.append(Problem(path, line, message))
        else:
            good[key] = value
    for key in _REQUIRED:
        if key not in item:
            problems.append(Problem(path, item.line, f"{where}: missing required field '{key}'"))
    return good


def _fact_ids(path: str, where: str, value: Any, line: int, problems: list[Problem]) -> list[tuple[str, int]] | None:
    if isinstance(value, LineList) and not value:
        message = f"{where}: field 'facts' is an empty list; name the facts, or leave the field out for all of them"
        problems.append(Problem(path, line, message))
        return None
    if not isinstance(value, LineList):
        problems.append(
            Problem(path, line, f"{where}: field 'facts' must be a list of fact ids, not {_type_name(value)}")
        )
        return None
    ids: list[tuple[str, int]] = []
    for item, item_line in zip(value, value.item_lines, strict=True):
        if not isinstance(item, str) or not _DOTTED.fullmatch(item):
            shown = f"'{item}'" if isinstance(item, str) else _type_name(item)
            problems.append(Problem(path, item_line, f"{where}: {shown} is not a fact id like 'tech.max-duration'"))
        elif item in (i for i, _ in ids):
            problems.append(Problem(path, item_line, f"{where}: fact '{item}' is listed twice"))
        else:
            ids.append((item, item_line))
    return ids


def load_changelog(path: Path, root: Path, store: Store) -> tuple[list[ChangeEntry], list[Problem]]:
    """Read and check data/changelog.yaml against the ledger; a missing file is an empty changelog.

    A fact id must name a fact of the ledger, or one that an entry of kind `removed` took out.
    """
    if not path.exists():
        return [], []
    try:
        display = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        display = path.as_posix()
    data, problems = load_yaml(path, display)
    if data is None:
        if not problems:
            problems.append(Problem(display, 1, "the file is empty; expected a mapping with a 'changelog' list"))
        return [], problems
    if not isinstance(data, LineDict):
        problems.append(Problem(display, 1, f"expected a mapping with a 'changelog' list, not {_type_name(data)}"))
        return [], problems
    for key in data:
        if key != "changelog":
            problems.append(Problem(display, data.key_lines[key], f"unknown list '{key}' (expected changelog)"))
    items = data.get("changelog")
    if not isinstance(items, LineList):
        line = data.key_lines.get("changelog", 1)
        problems.append(Problem(display, line, f"'changelog' must be a list of entries, not {_type_name(items)}"))
        return [], problems
    checked: list[tuple[int, dict[str, Any], LineDict]] = []
    for index, (item, item_line) in enumerate(zip(items, items.item_lines, strict=True), start=1):
        if not isinstance(item, LineDict):
            problems.append(
                Problem(display, item_line, f"changelog entry {index} must be a mapping, not {_type_name(item)}")
            )
            continue
        checked.append((index, _entry_fields(display, index, item, problems), item))
    removed = {i for _, good, _ in checked if good.get("kind") == "removed" for i, _ in good.get("facts", [])}
    entries: list[ChangeEntry] = []
    for index, good, item in checked:
        for fact_id, line in good.get("facts", []):
            if fact_id not in store.facts and fact_id not in removed:
                close = close_matches(fact_id, list(store.facts))
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                message = f"changelog entry {index}: fact '{fact_id}' is not in the data{hint}"
                problems.append(Problem(display, line, message))
        if all(key in good for key in _REQUIRED):
            facts = tuple(i for i, _ in good.get("facts", []))
            entries.append(
                ChangeEntry(
                    good["date"],
                    good["kind"],
                    good["change"],
                    good["reason"],
                    facts,
                    display,
                    item.line,
                    good.get("change_zh"),
                    good.get("reason_zh"),
                )
            )
    problems.sort(key=lambda p: p.line)
    return entries, problems
