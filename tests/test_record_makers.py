"""`validate`'s quicker record builders give exactly the records the classes themselves build."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from macros.ledger import validate
from macros.ledger.model import Claim, Fact, Name, Source


def test_a_claim_built_quickly_is_the_claim_the_class_builds() -> None:
    values = {"value": (1.5, 2), "source": "src-a", "line": 3, "index": 1, "as_of": "2025", "rank": "preferred"}
    quick, plain = validate._make_claim(**values), Claim(**values)  # type: ignore[arg-type]
    assert type(quick) is Claim and quick == plain and repr(quick) == repr(plain) and hash(quick) == hash(plain)
    assert vars(quick) == vars(plain)
    with pytest.raises(AttributeError):
        quick.rank = "normal"  # type: ignore[misc]  # still frozen


def test_every_record_kind_is_built_the_same_way() -> None:
    claim = Claim(value=1, source="s", line=1, index=1)
    cases = [
        (
            validate._make_fact,
            Fact,
            {
                "id": "a.b",
                "label": "L",
                "topic": "t",
                "type": "number",
                "unit": "count",
                "claims": (claim,),
                "path": "p",
                "line": 2,
                "is_event": True,
            },
        ),
        (
            validate._make_source,
            Source,
            {
                "id": "s",
                "title": "T",
                "title_en": "T",
                "publisher": "P",
                "accessed": "2025",
                "language": "en",
                "kind": "news",
                "tier": "weak",
                "path": "p",
                "line": 1,
            },
        ),
        (validate._make_name, Name, {"id": "n", "name": "N", "path": "p", "line": 1, "aliases": ("M",)}),
    ]
    for make, cls, values in cases:
        assert make(**values) == cls(**values) and vars(make(**values)) == vars(cls(**values))


def test_wrong_or_missing_names_are_refused_as_the_class_refuses_them() -> None:
    with pytest.raises(TypeError):
        validate._make_claim(value=1, source="s", line=1, index=1, colour="red")
    with pytest.raises(TypeError):
        validate._make_claim(value=1, source="s", line=1)


def test_a_class_with_slots_or_factories_builds_its_own_records() -> None:
    @dataclass(frozen=True, slots=True)
    class Slotted:
        a: int

    @dataclass(frozen=True)
    class Factory:
        a: list[int] = field(default_factory=list)

    assert validate._maker(Slotted) is Slotted
    assert validate._maker(Factory) is Factory
