"""The ledger as downloads: facts.json, sources.json and facts.csv, and the sources as BibTeX
(sources.bib) and CSL-JSON (sources.csl.json) for reference managers; byte-stable across builds."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from ..core.markup import bib_text
from ..ledger import schema
from ..ledger.model import Claim, Fact, Source, Store


def _claim(claim: Claim) -> dict[str, Any]:
    value: Any = claim.value
    if isinstance(value, tuple):
        value = {"min": value[0], "max": value[1]}
    out: dict[str, Any] = {"value": value, "source": claim.source, "rank": claim.rank}
    for key in schema.CLAIM_TEXT_FIELDS:
        if getattr(claim, key) is not None:
            out[key] = getattr(claim, key)
    if claim.qualifiers:
        out["qualifiers"] = dict(claim.qualifiers)
    return out


def fact_record(store: Store, fact: Fact) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": fact.id,
        "label": fact.label,
        "topic": fact.topic,
        "type": fact.type,
        "status": store.status(fact),
        "status_rule": store.status_rule(fact).id,
        "corrected": bool(fact.deprecated_claims),
    }
    if fact.unit:
        out["unit"] = fact.unit
    out["time_sensitive"] = fact.time_sensitive
    for key in ("title", "product", "note", *(k for k in schema.FACT_TEXT_FIELDS if k not in ("title", "note"))):
        if getattr(fact, key):
            out[key] = getattr(fact, key)
    out["event"] = fact.is_event
    out["claims"] = [_claim(c) for c in fact.claims]
    return out


def source_record(source: Source) -> dict[str, Any]:
    return {f.name: getattr(source, f.name) for f in schema.SOURCE.fields if getattr(source, f.name) is not None}


# The JSON downloads' layout: json.dumps(document, ensure_ascii=False, indent=2), then a line end.
_JSON = json.JSONEncoder(ensure_ascii=False, indent=2)
# The JSON downloads are written this many of the encoder's pieces (a key, a value, a comma) at a time.
_JSON_BATCH = 1 << 16


def facts_document(store: Store) -> dict[str, Any]:
    return {"facts": [fact_record(store, f) for f in sorted(store.facts.values(), key=lambda f: f.id)]}


def sources_document(store: Store) -> dict[str, Any]:
    return {"sources": [source_record(s) for s in sorted(store.sources.values(), key=lambda s: s.id)]}


def write_json(path: Path, document: Any) -> None:
    """Write the same text as `json.dumps(document, ensure_ascii=False, indent=2) + "\\n"`, a batch
    of the encoder's pieces at a time: json.dumps keeps every piece (a key, a value, a comma: a
    Python object each) in a list until it joins them, at 10,000 facts about 50 MB for facts.json,
    which the C library then kept to the end of the build."""
    with path.open("w", encoding="utf-8") as out:
        batch: list[str] = []
        for piece in _JSON.iterencode(document):
            batch.append(piece)
            if len(batch) >= _JSON_BATCH:
                out.write("".join(batch))
                batch.clear()
        batch.append("\n")
        out.write("".join(batch))


CSV_COLUMNS = [
    "fact_id",
    "label",
    "topic",
    "type",
    "unit",
    "status",
    "status_rule",
    "claim",
    "value",
    "value_min",
    "value_max",
    "modifier",
    "source",
    "source_tier",
    "via",
    "as_of",
    "qualifiers",
    "rank",
    "verdict",
    "rank_reason",
    "wording",
]


def _cell(value: Any) -> Any:
    """Neutralise text a spreadsheet would run as a formula, and write every line break as a line
    feed (the csv module quotes a field holding the line terminator, but not one holding a lone
    carriage return, which readers then take for the end of the row)."""
    if not isinstance(value, str):
        return value
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    if value[:1] in ("=", "+", "-", "@", "\t", "\n"):
        return "'" + value
    return value


def facts_csv(store: Store) -> str:
    """One row per claim, so a spreadsheet shows every source's value side by side."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for fact in sorted(store.facts.values(), key=lambda f: f.id):
        for claim in fact.claims:
            lo = hi = ""
            value: Any = claim.value
            if isinstance(value, tuple):
                lo, hi, value = str(value[0]), str(value[1]), ""
            writer.writerow(
                _cell(c)
                for c in [
                    fact.id,
                    fact.label,
                    fact.topic,
                    fact.type,
                    fact.unit,
                    store.status(fact),
                    store.status_rule(fact).id,
                    claim.index,
                    value,
                    lo,
                    hi,
                    claim.modifier or "",
                    claim.source,
                    store.sources[claim.source].tier if claim.source in store.sources else "",
                    claim.via or "",
                    claim.as_of or "",
                    "; ".join(f"{k}={v}" for k, v in claim.qualifiers),
                    claim.rank,
                    claim.verdict or "",
                    claim.rank_reason or "",
                    claim.wording or "",
                ]
            )
    return buffer.getvalue()


# BibTeX counts every brace, escaped or not, to find where a field ends: a brace from the data is
# written as a command whose own braces balance (\{ would leave one unmatched).
def _bib_url(url: str) -> str:
    # A url field is read verbatim, but its braces must balance and a backslash would escape one.
    return url.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")


def sources_bibtex(store: Store) -> str:
    """Every source as a biblatex entry keyed by its id: @online when it has an address."""
    out = ["% Sources of the Sora 2 briefing book in biblatex format, one entry per source, keyed by its id.\n"]
    for source in sorted(store.sources.values(), key=lambda s: s.id):
        fields = []
        if source.author:
            fields.append(("author", f"{{{bib_text(source.author)}}}"))  # braced: never split into names
        fields.append(("title", f"{{{bib_text(source.title)}}}"))
        if source.title_en != source.title:
            fields.append(("titleaddon", f"[{bib_text(source.title_en)}]"))
        fields.append(("organization", bib_text(source.display_publisher)))
        if source.published:
            fields.append(("date", source.published))
        if source.url:
            fields += [("url", _bib_url(source.url)), ("urldate", source.accessed)]
        if source.archive_url:
            fields.append(("addendum", f"Archived copy: \\url{{{_bib_url(source.archive_url)}}}"))
        kind = "online" if source.url else "misc"
        body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields)
        out.append(f"@{kind}{{{source.id},\n{body}}}\n")
    return "\n".join(out)


# The closest CSL item type for each kind of source; container_title: the publisher is the outlet
# the item appeared in (a newspaper, a blog, a website) rather than its publisher.
_CSL_TYPES = {
    "primary": ("webpage", True),
    "news": ("article-newspaper", True),
    "blog": ("post-weblog", True),
    "research": ("article", True),
    "analysis": ("report", False),
}


def _csl_date(iso: str) -> dict[str, Any]:
    return {"date-parts": [[int(p) for p in iso.split("-")]]}


def source_csl(source: Source) -> dict[str, Any]:
    kind, contained = _CSL_TYPES.get(source.kind, ("document", False))
    if kind == "webpage" and not source.url:
        kind = "document"
    item: dict[str, Any] = {"id": source.id, "type": kind, "title": source.title}
    if source.author:
        item["author"] = [{"literal": source.author}]
    item["container-title" if contained else "publisher"] = source.display_publisher
    if source.published:
        item["issued"] = _csl_date(source.published)
    if source.url:
        item["URL"] = source.url
        item["accessed"] = _csl_date(source.accessed)
    item["language"] = source.language
    notes = []
    if source.title_en != source.title:
        notes.append(f"English title: {source.title_en}")
    if source.archive_url:
        notes.append(f"Archived copy: {source.archive_url}")
    if notes:
        item["note"] = "\n".join(notes)
    return item


def sources_csl_document(store: Store) -> list[dict[str, Any]]:
    """Every source as CSL-JSON, the format Zotero, Pandoc and most reference managers import."""
    return [source_csl(s) for s in sorted(store.sources.values(), key=lambda s: s.id)]


def write_downloads(store: Store, site_dir: Path) -> list[Path]:
    out_dir = site_dir / "data"
    out_dir.mkdir(parents=True, exist_ok=True)
    # Each file made only once the one before is written: with thousands of facts they are
    # megabytes each, and held all at once they made the build's largest moment larger.
    documents = {
        "facts.json": facts_document,
        "sources.json": sources_document,
        "sources.csl.json": sources_csl_document,
    }
    texts = {"facts.csv": facts_csv, "sources.bib": sources_bibtex}
    written = []
    for name, document in documents.items():
        write_json(out_dir / name, document(store))
        written.append(out_dir / name)
    for name, text in texts.items():
        (out_dir / name).write_text(text(store), encoding="utf-8")
        written.append(out_dir / name)
    return written
