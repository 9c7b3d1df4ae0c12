"""The data contract: every field of every record kind, in one table.

The validator reads these specs, and `python -m macros schema` turns them into `data/schema.json`
for editors, so the contract is written once. Descriptions double as the contributor's manual.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import evidence

KEBAB = r"^[a-z0-9]+(-[a-z0-9]+)*$"
DOTTED = r"^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)+$"
DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
LANGUAGE = r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$"

TOPICS = ("technology", "industry", "copyright", "risks", "after-launch")
SOURCE_KINDS = ("primary", "news", "analysis", "blog", "research")
TIERS = tuple(evidence.TIERS)
WORDINGS = tuple(evidence.WORDINGS)
RANKS = ("preferred", "normal", "deprecated")
VERDICTS = ("wrong", "superseded", "other-product", "unverified")
FACT_TYPES = ("number", "date", "text")
MODIFIERS = ("about", "over", "under", "up-to")
QUALIFIERS = ("tier", "surface", "region", "model", "period")

SHORT = 300  # labels, titles, names
LONG = 2000  # notes and statements
QUOTE = 300  # one sentence at most


@dataclass(frozen=True)
class Field:
    """One field of a record: its kind decides how it is checked."""

    name: str
    kind: str  # kebab | dotted | string | date | url | language | enum | flag | value | qualifiers | names | claims
    description: str
    required: bool = False
    choices: tuple[str, ...] = ()
    max_length: int = SHORT
    example: Any = None


@dataclass(frozen=True)
class Record:
    kind: str  # the list key in a data file: sources, facts, events, names
    singular: str
    fields: tuple[Field, ...]
    by_name: dict[str, Field] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {f.name: f for f in self.fields})


SOURCE = Record(
    "sources",
    "source",
    (
        Field("id", "kebab", "Stable kebab-case id, never reused.", True, example="openai-sora-2-launch"),
        Field("title", "string", "Title in the original language.", True),
        Field("title_en", "string", "Title in English (repeat it for English titles).", True),
        Field("publisher", "string", "Outlet or organisation, original language.", True),
        Field("publisher_en", "string", "English name of the publisher, if it differs."),
        Field("author", "string", "Author, where known."),
        Field("published", "date", "Publication date: YYYY-MM-DD, YYYY-MM or YYYY."),
        Field("accessed", "date", "When we read it.", True),
        Field("url", "url", "Address, https only."),
        Field("archive_url", "url", "Archived copy, https only."),
        Field("language", "language", "Language tag: en, zh-Hans, zh-Hant, ja.", True, example="zh-Hans"),
        Field("kind", "enum", "What kind of document this is.", True, SOURCE_KINDS),
        Field(
            "tier",
            "enum",
            "Evidence tier: primary (the company, person, court, regulator or data firm itself), established "
            "(news agencies and outlets reporting first-hand), secondary (trade press, analyses, blogs, the five "
            "documents), weak (aggregators, forums, unsigned pages).",
            True,
            TIERS,
        ),
        Field("note", "string", "Free text for editors.", max_length=LONG),
    ),
)

CLAIM = Record(
    "claims",
    "claim",
    (
        Field("value", "value", "The value this source gives: number, {min, max}, date or text.", True),
        Field(
            "value_zh",
            "string",
            "For a text fact: the value in Chinese (for the Chinese edition).",
            max_length=LONG,
        ),
        Field("source", "kebab", "Id of the source that makes the claim.", True),
        Field("via", "kebab", "Id of the document through which the claim was reached."),
        Field("as_of", "date", "When the value held."),
        Field("unit", "string", "Unit, only to confirm it equals the fact's unit."),
        Field("modifier", "enum", "about, over, under or up-to the value.", choices=MODIFIERS),
        Field("qualifiers", "qualifiers", "Why values differ: tier, surface, region, model, period."),
        Field("locator", "string", "Where in the source: section, paragraph, entry."),
        Field("quote", "string", "The source's words, one sentence at most, original language.", max_length=QUOTE),
        Field("quote_en", "string", "English translation of the quote.", max_length=QUOTE),
        Field(
            "quote_zh",
            "string",
            "Chinese translation of a quote that is not in Chinese, ours (for the Chinese edition).",
            max_length=QUOTE,
        ),
        Field("speaker", "string", "Who spoke the quoted words, if not the publisher."),
        Field(
            "wording",
            "enum",
            "With a quote: own-words (the speaker's own post, statement, filing or transcript, or a document "
            "quoting itself, read here), direct-quote (a primary or established source read here quotes the "
            "speaker directly), reported (a paraphrase or second-hand: shown without quotation marks).",
            choices=WORDINGS,
        ),
        Field("rank", "enum", "preferred: shown; normal: kept alongside; deprecated: never shown.", choices=RANKS),
        Field("rank_reason", "string", "Why this rank (required unless normal).", max_length=LONG),
        Field("rank_reason_zh", "string", "The rank_reason in Chinese (for the Chinese edition).", max_length=LONG),
        Field("verdict", "enum", "For deprecated claims: what is wrong with the value.", choices=VERDICTS),
    ),
)

FACT = Record(
    "facts",
    "fact",
    (
        Field("id", "dotted", "Dotted stable id: the permalink.", True, example="tech.max-duration-pro-web"),
        Field("label", "string", "What the figure is, in a reader's words.", True),
        Field("label_zh", "string", "The label in Chinese (for the Chinese edition)."),
        Field("topic", "enum", "Which page's subject.", True, TOPICS),
        Field("type", "enum", "number (default), date or text.", choices=FACT_TYPES),
        Field("unit", "string", "Unit of a number (see data/README.md).", example="seconds"),
        Field("product", "kebab", "Id of the product in names this fact is about."),
        Field(
            "time_sensitive",
            "flag",
            "true when the figure changes over time (limits, prices, lengths, availability, rankings, counts): "
            "every claim then needs as_of. Default: true for downloads, users, videos, prompts, prices and ranks.",
        ),
        Field("note", "string", "Free text for editors and the register.", max_length=LONG),
        Field("note_zh", "string", "The note in Chinese (for the Chinese edition).", max_length=LONG),
        Field("claims", "claims", "One claim per source.", True),
    ),
)

EVENT = Record(
    "events",
    "event",
    (
        Field("id", "dotted", "Dotted stable id, starting with event.", True, example="event.sora-2-launch"),
        Field("title", "string", "What happened, for the timeline.", True),
        Field("title_zh", "string", "The title in Chinese (for the Chinese edition)."),
        Field("label", "string", "What the date is, in a reader's words.", True),
        Field("label_zh", "string", "The label in Chinese (for the Chinese edition)."),
        Field("topic", "enum", "Which timeline.", True, TOPICS),
        Field("product", "kebab", "Id of the product in names this event is about."),
        Field("note", "string", "Free text for editors and the register.", max_length=LONG),
        Field("note_zh", "string", "The note in Chinese (for the Chinese edition).", max_length=LONG),
        Field("claims", "claims", "One claim per source; values are dates.", True),
    ),
)

NAME = Record(
    "names",
    "name",
    (
        Field("id", "kebab", "Stable kebab-case id.", True, example="veo-3-1"),
        Field("name", "string", "The name as written.", True, example="Veo 3.1"),
        Field("maker", "string", "Who makes it."),
        Field("aliases", "names", "Other spellings found in sources."),
        Field("note", "string", "Free text.", max_length=LONG),
    ),
)

RECORDS = {r.kind: r for r in (SOURCE, FACT, EVENT, NAME)}

# Optional fields kept on a record exactly as written; the others are checked or converted apart.
# The validator, the downloads and the fact diff read these lists, so a new text field is an edit
# here and one in macros/model.py (tests/test_schema_model.py fails when the two disagree).
CLAIM_TEXT_FIELDS = tuple(
    f.name for f in CLAIM.fields if f.name not in ("value", "source", "rank", "qualifiers", "unit")
)
FACT_TEXT_FIELDS = tuple(
    dict.fromkeys(
        f.name for r in (FACT, EVENT) for f in r.fields if f.kind == "string" and f.name not in ("label", "unit")
    )
)


def _json_field(f: Field) -> dict[str, Any]:
    out: dict[str, Any] = {"description": f.description}
    if f.example is not None:
        out["examples"] = [f.example]
    if f.kind == "kebab":
        out.update(type="string", pattern=KEBAB)
    elif f.kind == "dotted":
        out.update(type="string", pattern=DOTTED)
    elif f.kind == "date":
        out.update(type="string", pattern=DATE)
    elif f.kind == "language":
        out.update(type="string", pattern=LANGUAGE)
    elif f.kind == "url":
        out.update(type="string", pattern=r"^https://[^\s]+$")
    elif f.kind == "enum":
        out.update(type="string", enum=list(f.choices))
    elif f.kind == "string":
        out.update(type="string", minLength=1, maxLength=f.max_length)
    elif f.kind == "flag":
        out.update(type="boolean")
    elif f.kind == "names":
        out.update(type="array", items={"type": "string", "minLength": 1})
    elif f.kind == "qualifiers":
        out.update(
            type="object",
            additionalProperties=False,
            properties={q: {"type": "string"} for q in QUALIFIERS},
        )
    elif f.kind == "value":
        out["anyOf"] = [
            {"type": "number"},
            {"type": "string", "minLength": 1, "maxLength": LONG},
            {
                "type": "object",
                "required": ["min", "max"],
                "additionalProperties": False,
                "properties": {"min": {"type": "number"}, "max": {"type": "number"}},
            },
        ]
    elif f.kind == "claims":
        out.update(type="array", minItems=1, items={"$ref": "#/$defs/claim"})
    return out


def _json_record(record: Record) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [f.name for f in record.fields if f.required],
        "properties": {f.name: _json_field(f) for f in record.fields},
    }


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a data file, generated from the specs above."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Sora 2 briefing book data file",
        "description": "A data file holds any of four lists: sources, facts, events, names.",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            kind: {"type": "array", "items": {"$ref": f"#/$defs/{record.singular}"}} for kind, record in RECORDS.items()
        },
        "$defs": {r.singular: _json_record(r) for r in (SOURCE, FACT, EVENT, NAME, CLAIM)},
    }


def json_schema_text() -> str:
    import json  # here, not above: `python -m macros check` imports this module and never writes JSON

    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
