"""The data contract (macros/schema.py) and the typed records (macros/model.py) name the same fields."""

from __future__ import annotations

import dataclasses

from macros.ledger import model, schema


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
