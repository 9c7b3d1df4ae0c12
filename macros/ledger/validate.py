"""Validate every file under data/ and build the fact store.

All problems are collected, one `path:line: what is wrong` each, so a contributor sees every
mistake in one run. Nothing here raises on bad data; `load_store` returns the problems instead.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import io
import os
import pickle
import re
import tempfile
import threading
from collections.abc import Container, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, cast

from . import evidence, fastcheck, plausible, schema, units
from .loading import LineDict, LineList, Problem, load_yaml
from .model import Claim, Fact, Name, Source, Store, Value

_R = TypeVar("_R")

_PATTERNS = {
    "kebab": (re.compile(schema.KEBAB), "a kebab-case id like 'openai-sora-2-launch'"),
    "dotted": (re.compile(schema.DOTTED), "a dotted id like 'tech.max-duration'"),
    "language": (re.compile(schema.LANGUAGE), "a language tag like 'en' or 'zh-Hans'"),
}
_URL = re.compile(r"https://[^\s/]+\.[^\s]+")


def _shorten(value: Any, limit: int = 60) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= limit else text[: limit - 4] + "…'"


def close_matches(word: str, choices: list[str]) -> list[str]:
    """The one choice closest to a mistyped word, if any is close. difflib is imported only here:
    a ledger without mistakes never needs it, and `python -m macros check` starts sooner without."""
    import difflib

    return difflib.get_close_matches(word, choices, n=1)


def _type_name(value: Any) -> str:
    return {
        bool: "a true/false value",
        int: "a number",
        float: "a number",
        str: "text",
        LineDict: "a mapping",
        LineList: "a list",
        type(None): "empty",
    }.get(type(value), type(value).__name__)


def _year_as_text(value: Any) -> Any:
    """`published: 2025` is a year, however YAML reads it."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def check_date(text: str) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD, and a real calendar date."""
    if not re.fullmatch(schema.DATE, text):
        return False
    parts = [int(p) for p in text.split("-")]
    try:
        dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


class _Context:
    """Where we are, so every message can name the file, the line and the record."""

    def __init__(self, path: str, problems: list[Problem], cited: set[str] | None = None) -> None:
        self.path = path
        self.problems = problems
        # Every source a claim names, even in a claim with mistakes: one mistake, one line, not a
        # second one saying its source is uncited.
        self.cited: set[str] = set() if cited is None else cited

    def add(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))


_OWN_CODE = frozenset(("claims", "names", "qualifiers", "value"))  # kinds of field checked apart


def _check_field(ctx: _Context, where: str, spec: schema.Field, value: Any, line: int) -> bool:
    """Check one scalar field against its spec; report and return False when it is wrong."""
    name = spec.name
    if spec.kind in _OWN_CODE:
        return True  # checked by their own code
    if spec.kind == "flag":
        if not isinstance(value, bool):
            ctx.add(line, f"{where}: field '{name}' must be true or false, not {_shorten(value)}")
            return False
        return True
    if not isinstance(value, str) or not value.strip():
        got = "empty" if isinstance(value, str) else _type_name(value)
        ctx.add(line, f"{where}: field '{name}' must be text, not {got}")
        return False
    if len(value) > spec.max_length:
        ctx.add(
            line,
            f"{where}: field '{name}' is {len(value)} characters long; the limit is {spec.max_length}",
        )
        return False
    if spec.kind in _PATTERNS:
        rx, hint = _PATTERNS[spec.kind]
        if not rx.fullmatch(value):
            ctx.add(line, f"{where}: field '{name}' must be {hint}, not {_shorten(value)}")
            return False
    elif spec.kind == "date":
        if not check_date(value):
            ctx.add(
                line,
                f"{where}: field '{name}' is not a valid date: {_shorten(value)} (use YYYY-MM-DD, YYYY-MM or YYYY)",
            )
            return False
    elif spec.kind == "url":
        if not _URL.fullmatch(value):
            ctx.add(line, f"{where}: field '{name}' must be an https:// address, not {_shorten(value)}")
            return False
    elif spec.kind == "enum" and value not in spec.choices:
        ctx.add(
            line,
            f"{where}: field '{name}' must be one of {', '.join(spec.choices)}, not {_shorten(value)}",
        )
        return False
    return True


def _check_record(ctx: _Context, where: str, record: schema.Record, item: LineDict) -> dict[str, Any]:
    """Check the fields of one mapping; return the fields that passed."""
    # Every field, copied at once; those that fail are taken out again below.
    good: dict[str, Any] = dict(item)
    quick = _QUICK[record.singular]
    for key, value in item.items():
        # Most fields are plain text within their limit, or checked by their own code, or a text
        # the full check has passed before: taken here, without the full check (a large ledger
        # has hundreds of thousands of them).
        known = quick.get(key)
        if known is not None:
            kind = type(known)
            if kind is int:
                if known < 0 or (type(value) is str and 0 < len(value) <= known and not value.isspace()):  # type: ignore[operator]
                    continue
            elif kind is tuple:
                limit, pattern = cast(tuple[int, re.Pattern[str]], known)
                if type(value) is str and len(value) <= limit and pattern.fullmatch(value) and value.strip():
                    continue
            elif type(value) is str and value in known:  # type: ignore[operator]
                continue
        spec = record.by_name.get(key)
        line = item.key_lines.get(key, item.line)
        if spec is None:
            del good[key]
            close = close_matches(key, list(record.by_name))
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            ctx.add(line, f"{where}: unknown field '{key}'{hint}")
            continue
        if spec.kind == "date":
            value = _year_as_text(value)
        if _check_field(ctx, where, spec, value, line):
            good[key] = value  # a year YAML read as a number is kept as its text
            if spec.kind != "flag":
                fastcheck.remember(record.singular, key, value)
        else:
            del good[key]
    for name in _REQUIRED[record.singular]:
        if name not in item:
            ctx.add(item.line, f"{where}: missing required field '{name}'")
    return good


# What `_check_field` requires of a field checked by a pattern: text within the length limit that
# the pattern matches (and that is not blank, which no pattern matches anyway).
_MATCHED = {kind: pattern for kind, (pattern, _) in _PATTERNS.items()} | {"url": _URL}


def _quick(field: schema.Field, record: schema.Record) -> int | tuple[int, re.Pattern[str]] | set[str]:
    if field.kind in _OWN_CODE:
        return -1
    if field.kind == "string":
        return field.max_length
    if field.kind in _MATCHED:
        return (field.max_length, _MATCHED[field.kind])
    return fastcheck.passed(record.singular).setdefault(field.name, set())


# For `_check_record`, by kind of record and field: -1 for a field checked by its own code, the
# length limit of a plain text field (non-blank text within it passes at once), the length limit
# and pattern of an id, a language tag or an address (ids are all different, so remembering them
# would not help), or for the others the texts the full check has passed (`fastcheck`'s own set,
# which grows as it passes more).
_QUICK: dict[str, dict[str, int | tuple[int, re.Pattern[str]] | set[str]]] = {
    r.singular: {f.name: _quick(f, r) for f in r.fields} for r in (*schema.RECORDS.values(), schema.CLAIM)
}


_REQUIRED = {r.singular: [f.name for f in r.fields if f.required] for r in (*schema.RECORDS.values(), schema.CLAIM)}


def _record_label(record: schema.Record, item: LineDict, index: int) -> str:
    ident = item.get("id")
    if isinstance(ident, str) and ident:
        if len(ident) <= 78:  # what `_shorten` leaves whole
            return f"{record.singular} '{ident}'"
        return f"{record.singular} '{_shorten(ident, 80)[1:-1]}'"
    return f"{record.singular} {index}"


_LARGEST = 10**15  # no figure in the briefing comes near; beyond it a float loses digits and formatting fails
_SMALLEST = 1e-6  # below it (other than zero) a figure would be printed as a row of zeros
_NUMBER_LIKE = re.compile(r"[-+]?[0-9.][0-9_:.eE+-]*")  # what YAML 1.2 or a person reads as a number


def _number_problem(number: float) -> str | None:
    if number != number or number in (float("inf"), float("-inf")):
        return "must be a finite number"
    if abs(number) >= _LARGEST:
        return "is too large for a figure (the limit is 1,000 trillion)"
    if 0 < abs(number) < _SMALLEST:
        return "is too small for a figure (the smallest is 0.000001)"
    return None


def _check_value(ctx: _Context, where: str, fact_type: str, value: Any, line: int) -> Value | None:
    if fact_type == "number":
        if type(value) is int and -_LARGEST < value < _LARGEST:  # the most common figure: nothing to say
            return value
        if isinstance(value, str) and _NUMBER_LIKE.fullmatch(value):
            ctx.add(
                line,
                f"{where}: value {_shorten(value)} is not a plain decimal number; write digits with at most "
                "one decimal point, such as 90 or 0.5 (a leading 0, a colon or an exponent reads differently)",
            )
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float, LineDict)):
            ctx.add(line, f"{where}: value must be a number or {{min, max}}, not {_type_name(value)}")
            return None
        if isinstance(value, LineDict):
            lo, hi = value.get("min"), value.get("max")
            nums = [v for v in (lo, hi) if isinstance(v, (int, float)) and not isinstance(v, bool)]
            if set(value) != {"min", "max"} or len(nums) != 2:
                ctx.add(line, f"{where}: a range value must be {{min: number, max: number}}")
                return None
            wrong = _number_problem(lo) or _number_problem(hi)  # type: ignore[arg-type]
            if wrong:
                ctx.add(line, f"{where}: value {wrong}")
                return None
            if lo >= hi:  # type: ignore[operator]
                ctx.add(line, f"{where}: range min {lo} is not below max {hi}")
                return None
            return (lo, hi)  # type: ignore[return-value]
        wrong = _number_problem(value)
        if wrong:
            ctx.add(line, f"{where}: value {wrong}")
            return None
        return value
    if fact_type == "date":
        value = _year_as_text(value)
    if not isinstance(value, str) or not value.strip():
        ctx.add(line, f"{where}: value must be {'a date' if fact_type == 'date' else 'text'}, not {_type_name(value)}")
        return None
    if fact_type == "date" and not check_date(value):
        ctx.add(line, f"{where}: value is not a valid date: {_shorten(value)} (use YYYY-MM-DD)")
        return None
    if len(value) > schema.LONG:
        ctx.add(line, f"{where}: value is {len(value)} characters long; the limit is {schema.LONG}")
        return None
    return value


def _build_claims(ctx: _Context, where: str, fact_type: str, unit: str, raw: Any, line: int) -> list[Claim]:
    if not isinstance(raw, LineList) or not raw:
        got = "an empty list" if isinstance(raw, LineList) else _type_name(raw)
        ctx.add(line, f"{where}: field 'claims' must be a non-empty list of claims, not {got}")
        return []
    claims: list[Claim] = []
    for index, (item, item_line) in enumerate(zip(raw, raw.item_lines, strict=True), start=1):
        cwhere = f"{where}: claim {index}"
        if not isinstance(item, LineDict):
            ctx.add(item_line, f"{cwhere} must be a mapping, not {_type_name(item)}")
            continue
        good = _check_record(ctx, cwhere, schema.CLAIM, item)
        value = None
        if "value" in item:
            value = _check_value(ctx, cwhere, fact_type, item["value"], item.key_lines["value"])
        rank = good.get("rank", "normal")
        if rank != "normal" and "rank_reason" not in item:
            ctx.add(item.line, f"{cwhere}: rank '{rank}' needs a rank_reason")
        if rank == "deprecated" and "verdict" not in item:
            ctx.add(item.line, f"{cwhere}: a deprecated claim needs a verdict ({', '.join(schema.VERDICTS)})")
        if "verdict" in item and rank != "deprecated":
            ctx.add(item.key_lines["verdict"], f"{cwhere}: a verdict belongs only on a deprecated claim")
        if ("quote" in item) != ("quote_en" in item):
            missing = "quote_en" if "quote" in item else "quote"
            ctx.add(item.line, f"{cwhere}: a quotation needs both quote and quote_en; '{missing}' is missing")
        if "quote" in item and "wording" not in item:
            ctx.add(
                item.line,
                f"{cwhere}: a quotation needs 'wording' ({', '.join(schema.WORDINGS)}): was the speaker's own "
                "wording seen?",
            )
        elif "wording" in item and "quote" not in item:
            ctx.add(item.key_lines["wording"], f"{cwhere}: 'wording' belongs only on a claim with a quote")
        if "unit" in good and good["unit"] != unit:
            ctx.add(
                item.key_lines["unit"],
                f"{cwhere}: unit '{good['unit']}' differs from the fact's unit '{unit or '(none)'}'",
            )
        if "modifier" in good and fact_type != "number":
            ctx.add(item.key_lines["modifier"], f"{cwhere}: a modifier applies only to numbers")
        qualifiers: list[tuple[str, str]] = []
        raw_q = item.get("qualifiers")
        if raw_q is not None:
            if not isinstance(raw_q, LineDict):
                ctx.add(
                    item.key_lines["qualifiers"], f"{cwhere}: qualifiers must be a mapping, not {_type_name(raw_q)}"
                )
            else:
                for key, qv in raw_q.items():
                    qline = raw_q.key_lines.get(key, raw_q.line)
                    if key not in schema.QUALIFIERS:
                        ctx.add(qline, f"{cwhere}: unknown qualifier '{key}' (use {', '.join(schema.QUALIFIERS)})")
                    elif not isinstance(qv, str) or not qv.strip() or len(qv) > schema.SHORT:
                        ctx.add(qline, f"{cwhere}: qualifier '{key}' must be short text, not {_type_name(qv)}")
                    else:
                        qualifiers.append((key, qv))
        if value is None or "source" not in good:
            continue
        # As `Claim(...)` would be given them: the fields worked out here, the others as they passed
        # the checks, or their defaults.
        row = list(map(good.get, *_CLAIM))
        row[_C_VALUE], row[_C_LINE], row[_C_INDEX] = value, item.line, index
        row[_C_RANK], row[_C_QUALIFIERS], row[_C_KEY_LINES] = rank, tuple(qualifiers), tuple(item.key_lines.items())
        claims.append(_record(Claim, _CLAIM[0], row))
    preferred = [c for c in claims if c.rank == "preferred"]
    if len(preferred) > 1:
        ctx.add(
            preferred[1].line,
            f"{where}: claims {', '.join(str(c.index) for c in preferred)} are all preferred; at most one may be",
        )
    return claims


def _layout(cls: type) -> tuple[tuple[str, ...], tuple[Any, ...]]:
    """A record class's fields in the order it declares them, and their defaults (None for a field
    without one, which is always given). `_record` does what the class's `__init__` would only for
    fields with plain defaults or none, and no `__post_init__`: any other class stops every command
    here, at once, rather than giving records that differ from what `__init__` would give."""
    fields = dataclasses.fields(cls)
    if hasattr(cls, "__post_init__") or any(
        not f.init or f.default_factory is not dataclasses.MISSING for f in fields
    ):  # fmt: skip
        raise TypeError(f"validate._record cannot build {cls.__name__}: it needs its own __init__")
    return tuple(f.name for f in fields), tuple(None if f.default is dataclasses.MISSING else f.default for f in fields)


# A record is built from the fields that passed its checks, each looked up by its name with its
# default, and those worked out by the validator, set at these places.
_CLAIM, _FACT, _SOURCE = _layout(Claim), _layout(Fact), _layout(Source)
_C_VALUE, _C_LINE, _C_INDEX, _C_RANK, _C_QUALIFIERS, _C_KEY_LINES = (
    _CLAIM[0].index(name) for name in ("value", "line", "index", "rank", "qualifiers", "key_lines")
)
_F_TYPE, _F_UNIT, _F_CLAIMS, _F_PATH, _F_LINE, _F_IS_EVENT, _F_PRODUCT_LINE, _F_TIME_SENSITIVE = (
    _FACT[0].index(name)
    for name in ("type", "unit", "claims", "path", "line", "is_event", "product_line", "time_sensitive")
)
_S_PATH, _S_LINE = (_SOURCE[0].index(name) for name in ("path", "line"))

_new = object.__new__


def _record(cls: type[_R], names: tuple[str, ...], values: list[Any]) -> _R:
    """A frozen record, built as its own `__init__` would build it, three times as fast: there, each
    field is set by a call of `object.__setattr__` (the record cannot be changed afterwards). Its
    attributes are filled in one step, in the order `__init__` sets them, so they share their
    layout with every other record of the class (in another order, each record would carry a
    dictionary of its own: larger and slower to read). At 10,000 facts: 30,000 records."""
    record = _new(cls)
    record.__dict__.update(zip(names, values, strict=True))
    return record


_NO_PROBLEMS: tuple[Problem, ...] = ()


@dataclass
class _Entry:
    """One record with an id, as read from its file: merged into the store in file order, so a
    duplicate across files is found the same way whichever process read the file."""

    key: str  # namespace:id
    line: int
    where: str
    namespace: str
    record: Source | Fact | Name | None  # None when the record is too broken to keep
    # Found while building it; dropped with it if its id is a duplicate. Most records have none:
    # they share one empty tuple instead of a list each, which the second process would pickle, this
    # one unpickle, and both free again (30,000 of them at 10,000 facts).
    problems: Sequence[Problem]


@dataclass
class _FileResult:
    readable: bool
    problems: list[Problem] = field(default_factory=list)
    cited: set[str] = field(default_factory=set)
    entries: list[_Entry] = field(default_factory=list)


def _load_file(path: Path, display: str) -> _FileResult:
    """Read and check one file on its own; references to other files are checked after the merge."""
    data, file_problems = load_yaml(path, display)
    result = _FileResult(readable=not (file_problems and data is None), problems=file_problems)
    if not result.readable:
        return result
    ctx = _Context(display, result.problems, result.cited)
    if data is None:
        ctx.add(1, "the file is empty; expected a mapping with sources, facts, events or names")
        return result
    # A file whose top level is wrong (not a mapping, a list under a wrong or repeated key) hides
    # records: checking references without them would bury its one line under a false line for each.
    if not isinstance(data, LineDict):
        ctx.add(1, f"the file must be a mapping with sources, facts, events or names, not {_type_name(data)}")
        result.readable = False
        return result
    result.readable = not data.incomplete
    here: dict[str, int] = {}
    latest = plausible.latest_date()  # the latest date a source may carry
    for kind, items in data.items():
        line = data.key_lines[kind]
        record = schema.RECORDS.get(kind)
        if record is None:
            ctx.add(line, f"unknown list '{kind}' (expected sources, facts, events or names)")
            result.readable = False
            continue
        if items is None:
            continue
        if not isinstance(items, LineList):
            ctx.add(line, f"'{kind}' must be a list, not {_type_name(items)}")
            result.readable = False
            continue
        strays = ""
        for index, (item, item_line) in enumerate(zip(items, items.item_lines, strict=True), start=1):
            if not isinstance(item, LineDict):
                ctx.add(item_line, f"{record.singular} {index} must be a mapping, not {_type_name(item)}")
                continue
            where = _record_label(record, item, index)
            stray = _other_kind(record, item)
            if stray is not None:  # a list's key line is missing: one line for the cause, not one per field
                if stray.kind != strays:
                    ctx.add(
                        item_line,
                        f"{where} has the fields of a {stray.singular}: is the line '{stray.kind}:' missing above it?",
                    )
                strays = stray.kind
                result.readable = False
                continue
            strays = ""
            good = _check_record(ctx, where, record, item)
            _note_citations(ctx, item.get("claims"))
            ident = good.get("id")
            if ident is None:
                continue
            namespace = "names" if kind == "names" else ("sources" if kind == "sources" else "facts")
            key = f"{namespace}:{ident}"
            if key in here:
                ctx.add(item.line, f"{where}: duplicate id (first defined at {display}:{here[key]})")
                continue
            here[key] = item.line
            own = _Context(display, [], result.cited)
            built = _build_record(own, kind, where, good, item, latest)
            result.entries.append(_Entry(key, item.line, where, namespace, built, own.problems or _NO_PROBLEMS))
    return result


def _other_kind(record: schema.Record, item: LineDict) -> schema.Record | None:
    """The other kind of record whose fields this item has, when they are not its own kind's."""
    if item.keys() <= record.by_name.keys():
        return None
    return next((r for r in schema.RECORDS.values() if r is not record and item.keys() <= r.by_name.keys()), None)


def _merge(results: list[tuple[str, _FileResult]]) -> tuple[Store, dict[str, tuple[str, int]], list[Problem], set[str]]:
    store = Store()
    seen: dict[str, tuple[str, int]] = {}
    problems: list[Problem] = []
    cited: set[str] = set()
    for display, result in results:
        problems.extend(result.problems)
        cited |= result.cited
        for entry in result.entries:
            if entry.key in seen:
                first_path, first_line = seen[entry.key]
                message = f"{entry.where}: duplicate id (first defined at {first_path}:{first_line})"
                problems.append(Problem(display, entry.line, message))
                continue
            seen[entry.key] = (display, entry.line)
            problems.extend(entry.problems)
            if entry.record is not None:
                getattr(store, entry.namespace)[entry.record.id] = entry.record
    return store, seen, problems, cited


def _note_citations(ctx: _Context, claims: Any) -> None:
    """Count the sources a record's claims name, however wrong the rest of the record is."""
    if isinstance(claims, LineList):
        note = ctx.cited.add
        for claim in claims:
            if isinstance(claim, LineDict):
                ref = claim.get("source")
                if isinstance(ref, str):
                    note(ref)
                ref = claim.get("via")
                if isinstance(ref, str):
                    note(ref)


def _build_record(
    ctx: _Context, kind: str, where: str, good: dict[str, Any], item: LineDict, latest: str
) -> Source | Fact | Name | None:
    if kind == "sources":
        plausible.check_source_dates(ctx.add, where, good, item.key_lines, item.line, latest)
        if any(name not in good for name in _REQUIRED["source"]):
            return None
        row = list(map(good.get, *_SOURCE))
        row[_S_PATH], row[_S_LINE] = ctx.path, item.line
        return _record(Source, _SOURCE[0], row)
    elif kind == "names":
        aliases = item.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
            ctx.add(item.key_lines.get("aliases", item.line), f"{where}: aliases must be a list of names")
            aliases = []
        plausible.check_name_is_a_name(ctx.add, where, item.line, [good.get("name"), *aliases])
        if "name" not in good:
            return None
        fields = {k: v for k, v in good.items() if k != "aliases"}
        return Name(path=ctx.path, line=item.line, aliases=tuple(aliases), **fields)
    else:
        is_event = kind == "events"
        fact_type = "date" if is_event else good.get("type", "number")
        unit = good.get("unit", "")
        if is_event and not good["id"].startswith("event."):
            ctx.add(item.line, f"{where}: an event id must start with 'event.'")
        if fact_type == "number" and not unit and "unit" not in item:
            ctx.add(item.line, f"{where}: a number needs a unit (see data/README.md; 'count' for a bare number)")
        elif unit and fact_type != "number":
            ctx.add(item.key_lines["unit"], f"{where}: only numbers have a unit; this fact is a {fact_type}")
        elif unit and not units.known(unit):
            ctx.add(item.key_lines["unit"], f"{where}: unknown unit '{unit}' (known: {', '.join(units.names())})")
        claims = _build_claims(ctx, where, fact_type, unit, item.get("claims"), item.key_lines.get("claims", item.line))
        plausible.check_signs(ctx.add, where, unit, claims)
        if "label" not in good or "topic" not in good or not claims:
            return None
        declared = good.get("time_sensitive")
        changes = fact_type != "date" and evidence.time_sensitive(unit, declared)
        if changes:
            why = "time_sensitive: true" if declared else f"unit '{unit}'"
            for claim in claims:
                if claim.rank != "deprecated" and claim.as_of is None:
                    ctx.add(
                        claim.line,
                        f"{where}: claim {claim.index} has no as_of; a figure that changes over time ({why}) "
                        "must say when it held",
                    )
        _check_ranks(ctx, where, claims)
        row = list(map(good.get, *_FACT))
        row[_F_TYPE], row[_F_UNIT], row[_F_CLAIMS] = fact_type, unit, tuple(claims)
        row[_F_PATH], row[_F_LINE], row[_F_IS_EVENT] = ctx.path, item.line, is_event
        row[_F_PRODUCT_LINE], row[_F_TIME_SENSITIVE] = item.key_lines.get("product", item.line), changes
        return _record(Fact, _FACT[0], row)


def _check_ranks(ctx: _Context, where: str, claims: list[Claim]) -> None:
    """A claim deprecated as wrong cannot give the value the fact shows: one of the two ranks is
    on the wrong claim. (The same value deprecated as superseded or as another product's is fine.)"""
    preferred = next((c for c in claims if c.rank == "preferred"), None)
    if preferred is None:
        return
    for claim in claims:
        if claim.rank == "deprecated" and claim.verdict == "wrong" and claim.value == preferred.value:
            ctx.add(
                claim.line,
                f"{where}: claim {claim.index} is deprecated as wrong but gives the preferred value of claim "
                f"{preferred.index}; one of the two ranks is on the wrong claim",
            )


def _check_evidence(store: Store, problems: list[Problem]) -> None:
    """Quotation marks only for wording that was seen: each quoted claim against its source's tier."""
    sources = store.sources
    for fact in store.facts.values():
        for claim in fact.claims:
            wording = claim.wording
            if claim.quote is None or wording is None or wording == "reported":
                # No quotation, or words shown as reported speech: nothing to say (most claims; the
                # same tests open `quotation_problem`).
                continue
            source = sources.get(claim.source)
            if source is None:
                continue
            wrong = evidence.quotation_problem(claim, source)
            if wrong:
                kind = "event" if fact.is_event else "fact"
                problems.append(
                    Problem(fact.path, claim.line_of("wording"), f"{kind} '{fact.id}': claim {claim.index}: {wrong}")
                )


def _check_references(store: Store, declared: Container[str], problems: list[Problem], cited: set[str]) -> None:
    """References resolve against every declared id, so one bad field does not cascade."""
    # `cited` holds every source and via a claim names: when all of them are declared (the usual
    # case), no claim's reference needs looking up on its own.
    all_declared = all(f"sources:{ref}" in declared for ref in cited)
    for fact in store.facts.values():
        # Most facts have nothing wrong: their context and kind are made only for a message.
        if fact.product and f"names:{fact.product}" not in declared:
            kind = "event" if fact.is_event else "fact"
            _Context(fact.path, problems).add(
                fact.product_line, f"{kind} '{fact.id}': product '{fact.product}' is not in names"
            )
        for claim in fact.claims:
            if claim.via is None and (all_declared or f"sources:{claim.source}" in declared):
                continue
            ctx = _Context(fact.path, problems)
            kind = "event" if fact.is_event else "fact"
            for role in ("source", "via"):
                ref = getattr(claim, role)
                if ref is None:
                    continue
                if f"sources:{ref}" not in declared:
                    close = close_matches(ref, list(store.sources))
                    hint = f" (did you mean '{close[0]}'?)" if close else ""
                    cited.update(close)  # the typo's target is not "uncited" as well
                    ctx.add(
                        claim.line_of(role),
                        f"{kind} '{fact.id}': claim {claim.index} names unknown {role} '{ref}'{hint}",
                    )
            if claim.via is not None and claim.via == claim.source:
                ctx.add(
                    claim.line_of("via"),
                    f"{kind} '{fact.id}': claim {claim.index} names '{claim.via}' as both source and via",
                )
    for source in store.sources.values():
        if source.id not in cited:
            problems.append(Problem(source.path, source.line, f"source '{source.id}' is not cited by any claim"))


# The history of the ledger, not part of it: `contrib.load_changelog` reads and checks it.
CHANGELOG = "changelog.yaml"


def data_files(data_dir: Path) -> list[Path]:
    """Every YAML file below data_dir but the changelog; .YAML and .YML are YAML files too."""
    return sorted(
        p
        for p in data_dir.rglob("*")
        if p.suffix.lower() in (".yaml", ".yml") and p.is_file() and p.relative_to(data_dir).as_posix() != CHANGELOG
    )


def _outside(path: Path, root: Path) -> bool:
    """Is the file, links followed, outside the project? Such a file is not part of its history."""
    return not path.resolve().is_relative_to(root.resolve())


def load_store(data_dir: Path, root: Path | None = None) -> tuple[Store, list[Problem]]:
    """Load and validate every YAML file below data_dir. Paths in messages are relative to root."""
    root = root or data_dir.parent
    files = data_files(data_dir)
    linked_out = [path for path in files if _outside(path, root)]
    jobs = [(path, _display(path, root)) for path in files if path not in linked_out]
    # Reading allocates hundreds of thousands of objects, none of them in reference cycles: the
    # cycle collector would only walk them over and over (a third of the time at 10,000 facts).
    collecting = gc.isenabled()
    gc.disable()
    try:
        results = _read_in_parallel(jobs) or [_load_file(path, display) for path, display in jobs]
        store, seen, problems, cited = _merge(
            [(display, result) for (_, display), result in zip(jobs, results, strict=True)]
        )
    finally:
        if collecting:
            gc.enable()
    if not files:
        problems.append(Problem(_display(data_dir, root), 0, "no .yaml files found"))
    for path in linked_out:
        shown = Path(os.path.relpath(path.absolute(), root.absolute())).as_posix()
        problems.append(Problem(shown, 1, "is a link to a file outside the project; copy the file into data/ instead"))
    # A file that cannot be read hides its ids and citations: checking references without them
    # would add a false line for each. Its one syntax line comes first; the rest after the fix.
    if not linked_out and all(result.readable for result in results):
        _check_references(store, seen, problems, cited)  # its keys: every id declared
        _check_evidence(store, problems)
    problems.sort(key=lambda p: (p.path, p.line))
    return store, problems


# Below this much YAML, reading in one process is quicker than starting a second (the real ledger
# is a few hundred kilobytes; 10,000 facts are about 7 MB).
PARALLEL_BYTES = 2_000_000


def _read_in_parallel(jobs: list[tuple[Path, str]]) -> list[_FileResult] | None:
    """Read the files in two processes when the ledger is large and a second CPU is free: the
    files are independent until the merge. None when it is not worth it or not possible here.

    A forked child and this process take files from one queue, largest first, until it is empty,
    so both finish at about the same time whatever the files hold (a file of sources takes less
    time per byte than one of facts); the child hands its results back pickled, file by file.
    Fork is used only while this process runs a single thread (as `make check` and `mkdocs build`
    do), never under `mkdocs serve`, whose server threads a fork could leave holding locks."""
    sizes = [path.stat().st_size if path.is_file() else 0 for path, _ in jobs]
    if (
        sum(sizes) < PARALLEL_BYTES
        or len(jobs) < 2
        or not hasattr(os, "fork")
        or len(os.sched_getaffinity(0)) < 2
        or threading.active_count() > 1
    ):
        return None
    # The queue is a pipe holding one 2-byte token per group of files: a read of two bytes takes
    # one token, whole, whichever process reads. It is written in full before the fork, so it
    # must fit in the smallest pipe buffer (4 KiB): past 2,048 files, a token stands for several.
    order = sorted(range(len(jobs)), key=lambda index: -sizes[index])
    per_token = -(-len(order) // _TOKENS)
    groups = [order[start : start + per_token] for start in range(0, len(order), per_token)]
    queue, feed = os.pipe()
    try:
        os.write(feed, b"".join(token.to_bytes(2, "little") for token in range(len(groups))))
    finally:
        os.close(feed)

    def take() -> Iterator[int]:
        """The files this process takes from the queue, one by one, until it is empty."""
        while token := os.read(queue, 2):
            yield from groups[int.from_bytes(token, "little")]

    # The child appends each file's result, pickled, to an unnamed temporary file (a pipe would
    # hold it until this process came to read), and then sends the file's new length through a
    # pipe. Between its own files this process unpickles whatever the child has finished, so that
    # work is shared out by the queue too instead of waiting until both are done.
    theirs: dict[int, _FileResult] = {}
    mine: dict[int, _FileResult] = {}
    notices, notify = os.pipe()
    try:
        with tempfile.TemporaryFile() as exchange:
            pid = os.fork()
            if pid == 0:  # the child: read its share, write it, and leave without running any cleanup
                status = 1
                try:
                    for index in take():
                        pickle.dump((index, _load_file(*jobs[index])), exchange, pickle.HIGHEST_PROTOCOL)
                        exchange.flush()
                        os.write(notify, exchange.tell().to_bytes(8, "little"))
                    status = 0
                finally:
                    os._exit(status)
            os.close(notify)
            read_to = 0

            def collect() -> None:
                """Unpickle the results the child has announced: those announced so far, or
                (blocking) all until it has finished."""
                nonlocal read_to
                while True:
                    try:
                        notice = os.read(notices, 4096)
                    except BlockingIOError:
                        return
                    if not notice:
                        return
                    end = int.from_bytes(notice[-8:], "little")
                    records = io.BytesIO(os.pread(exchange.fileno(), end - read_to, read_to))
                    while records.tell() < end - read_to:
                        index, result = pickle.load(records)
                        theirs[index] = result
                    read_to = end

            os.set_blocking(notices, False)
            for index in take():
                mine[index] = _load_file(*jobs[index])
                collect()
            os.set_blocking(notices, True)
            collect()
            os.waitpid(pid, 0)
    finally:
        os.close(queue)
        os.close(notices)
    # If the child failed, the files it took and did not hand back are read here.
    return [mine[i] if i in mine else theirs[i] if i in theirs else _load_file(*jobs[i]) for i in range(len(jobs))]


_TOKENS = 2048


def _display(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
