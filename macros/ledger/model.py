"""Typed records of the ledger, and what is derived from them (never typed by hand)."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import evidence

Range = tuple[float, float]
Value = float | int | str | Range


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    title_en: str
    publisher: str
    accessed: str
    language: str
    kind: str
    tier: str
    path: str
    line: int
    publisher_en: str | None = None
    author: str | None = None
    published: str | None = None
    url: str | None = None
    archive_url: str | None = None
    note: str | None = None

    @property
    def display_publisher(self) -> str:
        if self.publisher_en and self.publisher_en != self.publisher:
            return f"{self.publisher_en} ({self.publisher})"
        return self.publisher

    @property
    def short_publisher(self) -> str:
        return self.publisher_en or self.publisher


@dataclass(frozen=True)
class Claim:
    value: Value
    source: str
    line: int
    index: int  # 1-based position in the fact's list, as editors count
    value_zh: str | None = None
    via: str | None = None
    as_of: str | None = None
    modifier: str | None = None
    qualifiers: tuple[tuple[str, str], ...] = ()
    locator: str | None = None
    quote: str | None = None
    quote_en: str | None = None
    quote_zh: str | None = None
    speaker: str | None = None
    wording: str | None = None
    rank: str = "normal"
    rank_reason: str | None = None
    rank_reason_zh: str | None = None
    verdict: str | None = None
    key_lines: tuple[tuple[str, int], ...] = ()

    def line_of(self, key: str) -> int:
        """The line of one of the claim's fields, or of the claim itself."""
        return dict(self.key_lines).get(key, self.line)


@dataclass(frozen=True)
class Fact:
    id: str
    label: str
    topic: str
    type: str
    unit: str
    claims: tuple[Claim, ...]
    path: str
    line: int
    product: str | None = None
    note: str | None = None
    title: str | None = None  # events only
    label_zh: str | None = None
    note_zh: str | None = None
    title_zh: str | None = None  # events only
    is_event: bool = False
    product_line: int = 0
    time_sensitive: bool = False

    @property
    def preferred(self) -> Claim | None:
        return next((c for c in self.claims if c.rank == "preferred"), None)

    @property
    def live_claims(self) -> tuple[Claim, ...]:
        """Claims that may be shown: all but the deprecated."""
        return tuple(c for c in self.claims if c.rank != "deprecated")

    @property
    def deprecated_claims(self) -> tuple[Claim, ...]:
        return tuple(c for c in self.claims if c.rank == "deprecated")

    @property
    def disagreeing(self) -> bool:
        """Do the live claims give different values?"""
        return len({_value_key(c.value) for c in self.live_claims}) > 1

    @property
    def contested(self) -> bool:
        return self.preferred is None and self.disagreeing

    @property
    def shown_claims(self) -> tuple[Claim, ...]:
        """The claims whose value the page shows: the preferred one, or all live ones."""
        if self.preferred is not None:
            return (self.preferred,)
        return self.live_claims


def _value_key(value: Value) -> str:
    """Equal values give equal keys: 125 and 125.0 are one value (figures are below 2**53)."""
    if isinstance(value, tuple):
        return repr(tuple(float(v) for v in value))
    return repr(float(value)) if isinstance(value, int | float) else repr(value)


@dataclass
class Store:
    """Every record of the ledger, by id."""

    sources: dict[str, Source] = field(default_factory=dict)
    facts: dict[str, Fact] = field(default_factory=dict)
    names: dict[str, Name] = field(default_factory=dict)

    def status(self, fact: Fact) -> str:
        """confirmed, attributed, contested, unconfirmed or rejected, by the rules in `evidence`.

        'corrected' (a deprecated claim exists) is reported apart, since it combines with the others.
        """
        return evidence.assess(self, fact).status

    def status_rule(self, fact: Fact) -> evidence.Rule:
        """The rule of `evidence.RULES` that gives the fact its status."""
        return evidence.assess(self, fact)

    def name_strings(self) -> list[str]:
        """Every spelling of every registered name, longest first."""
        spellings = {s for n in self.names.values() for s in (n.name, *n.aliases)}
        return sorted(spellings, key=len, reverse=True)


@dataclass(frozen=True)
class Name:
    id: str
    name: str
    path: str
    line: int
    maker: str | None = None
    aliases: tuple[str, ...] = ()
    note: str | None = None
