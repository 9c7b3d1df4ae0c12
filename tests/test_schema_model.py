"""The data contract (macros/schema.py) and the typed records (macros/model.py) name the same fields,
and the validator builds the records as their own classes would."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import pytest

from macros.ledger import model, schema, validate
from tests.sites import ROOT


def _names(record: type) -> set[str]:
    return {f.name for f in dataclasses.fields(record)}


def test_every_claim_field_of_the_schema_is_on_the_claim_record() -> None:
    missing = {f.name for f in schema.CLAIM.fields} - _names(model.Claim) - {"unit"}
    assert not missing, f"add {sorted(missing)} to model.Claim"


def test_every_fact_and_event_field_of_the_schema_is_on_the_fact_record() -> None:
    wanted = {f.name for r in (schema.FACT, schema.EVENT) for f in r.fields} - {"claims", "time_sensitive"}
    missing = wanted - _names(model.Fact)
    assert not missing, f"add {sorted(missing)} to model.Fact"


def test_every_source_field_of_the_schema_is_on_the_source_record() -> None:
    missing = {f.name for f in schema.SOURCE.fields} - _names(model.Source)
    assert not missing, f"add {sorted(missing)} to model.Source"


# In a fresh interpreter: one record of each class built by `__init__` before anything else, then
# every record of the real ledger against it. (Records built another way can change how every later
# record of the class is laid out, `__init__`'s included, so the comparison cannot share a process.)
SAME_LAYOUT = r"""
import sys
from pathlib import Path
from macros.ledger import load_ledger, model
first = {
    model.Source: model.Source("s", "t", "t", "p", "2025", "en", "news", "weak", "x.yaml", 1),
    model.Fact: model.Fact("a.b", "l", "technology", "number", "count", (), "x.yaml", 1),
    model.Claim: model.Claim(1, "s", 1, 1),
}
store = load_ledger(Path(sys.argv[1]) / "data", Path(sys.argv[1])).store
size = {cls: sys.getsizeof(vars(record)) for cls, record in first.items()}  # (it varies with how many share it)
records = [*store.sources.values(), *store.facts.values()]
records += [claim for fact in store.facts.values() for claim in fact.claims]
assert len(records) > 1000, len(records)
for record in records:
    again = type(record)(**vars(record))
    assert again == record, record
    assert list(vars(again)) == list(vars(record)), record
    assert sys.getsizeof(vars(record)) == size[type(record)], f"{record!r:.100} has a dictionary of its own"
print("same")
"""


def test_records_read_are_built_as_their_own_init_builds_them() -> None:
    """`validate._record` fills a record's attributes without calling its `__init__`: every record
    of the real ledger equals one `__init__` builds from the same fields, has its attributes in the
    same order, and shares its layout with the records `__init__` builds (a dictionary of its own
    would be larger, and slower to read)."""
    run = subprocess.run([sys.executable, "-c", SAME_LAYOUT, str(ROOT)], capture_output=True, text=True, cwd=ROOT)
    assert run.stdout.strip() == "same", run.stderr[-2000:]


def test_fields_left_out_get_the_defaults_init_gives() -> None:
    names, defaults = validate._CLAIM
    row = list(defaults)
    row[names.index("value")], row[names.index("source")] = 90, "openai-sora-2-launch"
    row[names.index("line")], row[names.index("index")] = 3, 1
    built = validate._record(model.Claim, names, row)
    assert built == model.Claim(value=90, source="openai-sora-2-launch", line=3, index=1)
    assert list(vars(built)) == [f.name for f in dataclasses.fields(model.Claim)]


def test_a_record_class_that_needs_its_own_init_is_refused() -> None:
    @dataclasses.dataclass(frozen=True)
    class WithFactory:
        names: list[str] = dataclasses.field(default_factory=list)

    @dataclasses.dataclass(frozen=True)
    class WithPostInit:
        name: str

        def __post_init__(self) -> None:
            pass

    for cls in (WithFactory, WithPostInit):
        with pytest.raises(TypeError, match="needs its own __init__"):
            validate._layout(cls)
