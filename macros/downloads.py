"""The ledger as downloads: facts.json, sources.json and facts.csv, byte-stable across builds."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from .model import Claim, Fact, Source, Store


def _claim(claim: Claim) -> dict[str, Any]:
    value: Any = claim.value
    if isinstance(value, tuple):
        value = {"min": value[0], "max": value[1]}
    out: dict[str, Any] = {"value": value, "source": claim.source, "rank": claim.rank}
    for key in ("via", "as_of", "modifier", "locator", "quote", "quote_en", "speaker", "rank_reason", "verdict"):
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
        "corrected": bool(fact.deprecated_claims),
    }
    if fact.unit:
        out["unit"] = fact.unit
    for key in ("title", "product", "note"):
        if getattr(fact, key):
            out[key] = getattr(fact, key)
    out["event"] = fact.is_event
    out["claims"] = [_claim(c) for c in fact.claims]
    return out


def source_record(source: Source) -> dict[str, Any]:
    keys = (
        "id",
        "title",
        "title_en",
        "publisher",
        "publisher_en",
        "author",
        "published",
        "accessed",
        "url",
        "archive_url",
        "language",
        "kind",
        "note",
    )
    return {k: getattr(source, k) for k in keys if getattr(source, k) is not None}


def facts_json(store: Store) -> str:
    facts = [fact_record(store, f) for f in sorted(store.facts.values(), key=lambda f: f.id)]
    return json.dumps({"facts": facts}, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def sources_json(store: Store) -> str:
    sources = [source_record(s) for s in sorted(store.sources.values(), key=lambda s: s.id)]
    return json.dumps({"sources": sources}, ensure_ascii=False, indent=2) + "\n"


CSV_COLUMNS = [
    "fact_id",
    "label",
    "topic",
    "type",
    "unit",
    "status",
    "claim",
    "value",
    "value_min",
    "value_max",
    "modifier",
    "source",
    "via",
    "as_of",
    "qualifiers",
    "rank",
    "verdict",
    "rank_reason",
]


def _cell(value: Any) -> Any:
    """Neutralise text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
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
                    claim.index,
                    value,
                    lo,
                    hi,
                    claim.modifier or "",
                    claim.source,
                    claim.via or "",
                    claim.as_of or "",
                    "; ".join(f"{k}={v}" for k, v in claim.qualifiers),
                    claim.rank,
                    claim.verdict or "",
                    claim.rank_reason or "",
                ]
            )
    return buffer.getvalue()


def write_downloads(store: Store, site_dir: Path) -> list[Path]:
    out_dir = site_dir / "data"
    out_dir.mkdir(parents=True, exist_ok=True)
    files = {"facts.json": facts_json(store), "sources.json": sources_json(store), "facts.csv": facts_csv(store)}
    written = []
    for name, text in files.items():
        path = out_dir / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
