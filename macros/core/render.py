"""Plain functions from records to Markdown: figures with footnotes, tables, the register.

Every string from the data goes through the markup toolkit (markup.py): escaped, and marked as a
figure or as data text for the site checks.
"""

from __future__ import annotations

import functools
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field

from ..ledger import evidence, schema, units
from ..ledger.model import Claim, Fact, Source, Store, Value, _value_key
from .markup import attr, data, esc, fig, table


class RenderError(Exception):
    """A page asked for something the data cannot give (unknown id, nothing to show)."""


MONTHS = ("January February March April May June July August September October November December").split()


def format_date(iso: str) -> str:
    parts = [int(p) for p in iso.split("-")]
    if len(parts) == 3:
        return f"{parts[2]} {MONTHS[parts[1] - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{MONTHS[parts[1] - 1]} {parts[0]}"
    return str(parts[0])


def format_value(fact: Fact, claim: Claim) -> str:
    """The value of one claim as plain text (not yet escaped)."""
    value: Value = claim.value
    if fact.type == "number":
        assert not isinstance(value, str)
        if not units.known(fact.unit):  # reported by validation; `mkdocs serve` renders on regardless
            raise RenderError(f"fact '{fact.id}' has no known unit")
        return units.format_number(value, fact.unit, claim.modifier)
    if fact.type == "date":
        assert isinstance(value, str)
        return format_date(value)
    return str(value)


@dataclass
class PageNotes:
    """The footnotes of one page, numbered by Python-Markdown in order of first reference."""

    store: Store
    src_path: str = "index.md"
    definitions: dict[str, str] = field(default_factory=dict)
    # The page holding each topic's part of the fact register; a topic not listed is on facts.md.
    registers: dict[str, str] = field(default_factory=dict)
    # The facts the page shows, in order of first use: recorded by every figure as it is made.
    shown: dict[str, None] = field(default_factory=dict)

    def ref(self, source_id: str, via_id: str | None = None) -> str:
        label = source_id if via_id is None else f"{source_id}--via--{via_id}"
        if label not in self.definitions:
            self.definitions[label] = footnote_text(self.store, source_id, via_id)
        return f"[^{label}]"

    def claim_ref(self, claim: Claim) -> str:
        return self.ref(claim.source, claim.via)

    def link(self, target: str, anchor: str = "") -> str:
        """A Markdown link target to another page of docs/, relative to this page."""
        rel = _relative(target, posixpath.dirname(self.src_path) or ".")
        return f"{rel}#{anchor}" if anchor else rel

    def register_link(self, fact: Fact) -> str:
        """A Markdown link target to the fact's entry in the fact register."""
        return self.link(self.registers.get(fact.topic, "facts.md"), fact.id)

    def site_root(self) -> str:
        """Relative path from this page's URL to the site root (directory URLs)."""
        stem = self.src_path[: -len(".md")] if self.src_path.endswith(".md") else self.src_path
        depth = 0 if stem in ("index", "") or stem.endswith("/index") else stem.count("/") + 1
        depth += stem.count("/") if stem.endswith("/index") else 0
        return "../" * depth

    def render_definitions(self) -> str:
        if not self.definitions:
            return ""
        lines = [f'[^{label}]: <span class="from-data">{text}</span>' for label, text in self.definitions.items()]
        return "\n\n" + "\n".join(lines) + "\n"


@functools.cache
def _relative(target: str, folder: str) -> str:
    """posixpath.relpath, remembered: a register links every claim to a handful of pages."""
    return posixpath.relpath(target, folder)


def _source_words(source: Source) -> str:
    parts = [esc(source.display_publisher)]
    title = f"<cite>{esc(source.title)}</cite>"
    if source.title_en != source.title:
        title += f" ({esc(source.title_en)})"
    parts.append(title)
    if source.published:
        parts.append(esc(format_date(source.published)))
    text = ", ".join(parts) + "."
    if source.url:
        text += f' <a href="{attr(source.url)}">{esc(source.url)}</a>'
    return text


def get_source(store: Store, source_id: str) -> Source:
    source = store.sources.get(source_id)
    if source is None:
        raise RenderError(f"unknown source '{source_id}'")
    return source


def footnote_text(store: Store, source_id: str, via_id: str | None) -> str:
    source = get_source(store, source_id)
    text = _source_words(source)
    if via_id is not None:
        text += f" Reported in: {_source_words(get_source(store, via_id))}"
    return text


def figure(notes: PageNotes, fact: Fact, text: str, extra: str = "", when: str = "") -> str:
    """A figure of the page, recorded as shown there; `when` (markup, from `_as_of`) says when it held."""
    notes.shown.setdefault(fact.id, None)
    return fig(fact.id, text, extra, when)


def get_fact(store: Store, fact_id: str) -> Fact:
    fact = store.facts.get(fact_id)
    if fact is None:
        raise RenderError(f"unknown fact '{fact_id}'")
    if not fact.live_claims:
        raise RenderError(f"fact '{fact_id}' has only deprecated claims; it cannot be shown as fact")
    return fact


def _attribution(store: Store, fact: Fact) -> str:
    """How the page qualifies a figure its status does not confirm (nothing for a confirmed one)."""
    rule = store.status_rule(fact)
    claim = fact.shown_claims[0]
    source = get_source(store, claim.source)
    if rule.id == "weak-only":
        text = f"unconfirmed report, according to {esc(source.short_publisher)}"
        return f'<span class="from-data unconfirmed"> ({text})</span>'
    if rule.id == "primary-via" and claim.via:
        via = get_source(store, claim.via)
        return data(f" ({esc(source.short_publisher)}, as reported by {esc(via.short_publisher)})")
    if rule.id in ("single", "primary-via"):
        return data(f" (according to {esc(source.short_publisher)})")
    return ""


def _as_of(fact: Fact, claims: list[Claim]) -> str:
    """When a figure that changes over time held: the latest date its claims give."""
    if not fact.time_sensitive:
        return ""
    dates = sorted(c.as_of for c in claims if c.as_of)
    return f'<span class="as-of">, as of {esc(format_date(dates[-1]))}</span>' if dates else ""


def grouped(fact: Fact) -> list[tuple[Claim, list[Claim]]]:
    """Shown claims grouped by value, first appearance first."""
    groups: dict[str, tuple[Claim, list[Claim]]] = {}
    for claim in fact.shown_claims:
        key = _value_key(claim.value) + repr(claim.modifier) + (repr(claim.as_of) if fact.time_sensitive else "")
        groups.setdefault(key, (claim, []))[1].append(claim)
    return list(groups.values())


def _refs(notes: PageNotes, claims: list[Claim]) -> str:
    seen: list[str] = []
    for claim in claims:
        ref = notes.claim_ref(claim)
        if ref not in seen:
            seen.append(ref)
    return "".join(seen)


def fact(store: Store, notes: PageNotes, fact_id: str) -> str:
    """The shown value of a fact with its footnote(s); every value and a mark when contested."""
    item = get_fact(store, fact_id)
    # Claims that agree on the value (whatever their modifiers or dates) are one figure with every
    # footnote; only disagreeing values are shown side by side.
    groups = grouped(item) if item.contested else [(item.shown_claims[0], list(item.shown_claims))]
    rendered = [
        figure(notes, item, format_value(item, c), when=_as_of(item, same)) + _refs(notes, same) for c, same in groups
    ]
    if item.contested:
        mark = f"[sources differ]({notes.link('contested.md', item.id)}){{ .sources-differ }}"
        joined = ", ".join(rendered[:-1]) + data(" or ") + rendered[-1]
        return joined + data(" (") + mark + data(")")
    return rendered[0] + _attribution(store, item)


def date(store: Store, notes: PageNotes, fact_id: str) -> str:
    item = get_fact(store, fact_id)
    if item.type != "date":
        raise RenderError(f"date() needs a date or an event; '{fact_id}' is a {item.type}")
    return fact(store, notes, fact_id)


def quote(store: Store, notes: PageNotes, fact_id: str) -> str:
    """A short quotation: in quotation marks, in its original language with our translation, only
    when its wording was seen (`evidence.QUOTED_WORDINGS`); otherwise reported speech, unquoted."""
    item = get_fact(store, fact_id)
    claim = next((c for c in item.shown_claims if c.quote), None)
    if claim is None or claim.quote is None or claim.quote_en is None:
        raise RenderError(f"fact '{fact_id}' has no quotation to show")
    source = get_source(store, claim.source)
    speaker = claim.speaker or source.short_publisher
    translated = claim.quote_en.strip() != claim.quote.strip()
    if claim.wording not in evidence.QUOTED_WORDINGS:
        ours = " (our translation)" if translated else ""
        # Who reports the words: the document they were read in, when that is another one.
        reporter = get_source(store, claim.via).short_publisher if claim.via else source.short_publisher
        if claim.speaker:
            said = f"{esc(claim.speaker)} said, according to {esc(reporter)}{ours}, in substance"
        else:
            said = f"according to {esc(reporter)}{ours}, in substance"
        # Reported speech is not the speaker's wording: its closing full stop is the page's to write.
        text = f"{said}: {esc(claim.quote_en.rstrip().rstrip('.'))}"
        return f'<span class="reported from-data">{text}</span>{notes.claim_ref(claim)}'
    text = f'<q lang="{attr(source.language)}">{esc(claim.quote)}</q>'
    if translated:
        text += f" (our translation: “{esc(claim.quote_en)}”)"
    text += f", {esc(speaker)}"
    reported = ""
    if claim.wording == "direct-quote" and claim.speaker:
        reported = f", as quoted by {esc(source.short_publisher)}"
    return f'<span class="quote from-data">{text}{reported}</span>{notes.claim_ref(claim)}'


def corrections(store: Store, notes: PageNotes, fact_id: str) -> str:
    """The values in circulation that the register holds to be wrong, from the data: each source's
    value, the verdict and the reason, never typed into a page."""
    item = store.facts.get(fact_id)
    if item is None:
        raise RenderError(f"unknown fact '{fact_id}'")
    wrong = item.deprecated_claims
    if not wrong:
        raise RenderError(f"fact '{fact_id}' has no deprecated claim: the register holds no correction")
    lines = []
    for claim in wrong:
        source = get_source(store, claim.source)
        said = f"{esc(source.short_publisher)} gave {esc(format_value(item, claim))}"
        verdict = {"wrong": "wrong", "superseded": "superseded", "other-product": "true of another product"}
        judged = verdict.get(claim.verdict or "", "not verified")
        lines.append("- " + data(f"{said}: {judged}. {esc(claim.rank_reason or '')}") + notes.claim_ref(claim))
    return "\n" + "\n".join(lines) + "\n"


def evidence_rules(store: Store, notes: PageNotes) -> str:
    """The tiers and the status ladder, as the build applies them (`evidence`), for the methodology page."""
    tiers = [[f"**{esc(name)}**", data(esc(text))] for name, text in evidence.TIERS.items()]
    ladder = [[f"`{esc(rule.id)}`", f"**{esc(rule.status)}**", data(esc(rule.text))] for rule in evidence.RULES]
    wordings = [[f"`{esc(name)}`", data(esc(text))] for name, text in evidence.WORDINGS.items()]
    return "\n\n".join(
        [
            table(["Tier", "Which sources"], tiers),
            "The first rule that applies gives a fact its status:",
            table(["Rule", "Status", "When it applies"], ladder),
            "How the wording of a quotation was seen:",
            table(["Wording", "Meaning"], wordings),
        ]
    )


def cite(store: Store, notes: PageNotes, source_id: str, via: str | None = None) -> str:
    if source_id not in store.sources:
        raise RenderError(f"unknown source '{source_id}'")
    if via is not None and via not in store.sources:
        raise RenderError(f"unknown source '{via}'")
    return notes.ref(source_id, via)


def _qualifiers(claim: Claim) -> str:
    parts = [v for _, v in claim.qualifiers]
    if claim.as_of:
        parts.append(f"as of {format_date(claim.as_of)}")
    return data(esc(", ".join(parts))) if parts else ""


def _cell_value(notes: PageNotes, item: Fact, claim: Claim) -> str:
    extra = "deprecated" if claim.rank == "deprecated" else ""
    return figure(notes, item, format_value(item, claim), extra) + notes.claim_ref(claim)


def _source_cell(store: Store, notes: PageNotes, claim: Claim) -> str:
    source = get_source(store, claim.source)
    anchor = notes.link("sources.md", f"src-{source.id}")
    text = f"[{data(esc(source.short_publisher))}]({anchor})" + data(f" ({esc(source.tier)})")
    if claim.via:
        via = get_source(store, claim.via)
        text += data(" via ") + f"[{data(esc(via.short_publisher))}]({notes.link('sources.md', f'src-{via.id}')})"
    return text


def _select(store: Store, ids: list[str] | str | None) -> list[Fact]:
    if ids is None:
        return sorted(store.facts.values(), key=lambda f: f.id)
    if isinstance(ids, str):  # a topic
        return sorted((f for f in store.facts.values() if f.topic == ids and not f.is_event), key=lambda f: f.id)
    return [get_fact(store, i) for i in ids]


def facts_table(store: Store, notes: PageNotes, ids: list[str] | str) -> str:
    """Figures side by side: label, shown value(s) with footnotes, and the register link."""
    rows = []
    for item in _select(store, ids):
        if not item.live_claims:
            continue
        label = f"[{data(esc(item.label))}]({notes.register_link(item)})"
        rows.append([label, fact(store, notes, item.id)])
    return table(["Figure", "Value"], rows)


def timeline(store: Store, notes: PageNotes, topic: str | None = None) -> str:
    events = [f for f in store.facts.values() if f.is_event and (topic is None or f.topic == topic)]
    events = [e for e in events if e.live_claims]
    events.sort(key=lambda e: (str(e.shown_claims[0].value), e.id))
    lines = ['<div class="timeline" markdown>', ""]
    for event in events:
        title = esc(event.title or event.label)
        lines.append(f"- {fact(store, notes, event.id)}{data(': ' + title)}")
    lines += ["", "</div>"]
    return "\n" + "\n".join(lines) + "\n"


def _rank_cell(claim: Claim) -> str:
    text = claim.rank
    if claim.verdict:
        text += f" ({claim.verdict})"
    if claim.rank_reason:
        text += f": {claim.rank_reason}"
    return esc(text)


def _claim_rows(store: Store, notes: PageNotes, item: Fact) -> list[list[str]]:
    rows = []
    for claim in item.claims:
        quote = ""
        if claim.quote and claim.quote_en:
            if claim.wording in evidence.QUOTED_WORDINGS:
                quote = f"<q>{esc(claim.quote)}</q> ({esc(claim.quote_en)})"
            else:  # the source's report of someone's words, not their wording: no quotation marks
                quote = f"reported: {esc(claim.quote)} ({esc(claim.quote_en)})"
        where = esc(claim.locator or "")
        rows.append(
            [
                _cell_value(notes, item, claim),
                _source_cell(store, notes, claim),
                _qualifiers(claim),
                data(" ".join(x for x in (where, quote) if x)),
                data(_rank_cell(claim)),
            ]
        )
    return rows


CLAIM_HEADER = ["Value", "Source", "Applies to", "Where / quotation", "Rank"]


def _status_line(store: Store, item: Fact) -> str:
    rule = store.status_rule(item)
    bits = [f"`{esc(item.id)}`", f"status: **{rule.status}** (rule `{esc(rule.id)}`: {esc(rule.text)})"]
    if item.deprecated_claims:
        bits.append("**corrected**")
    if item.product and item.product in store.names:
        bits.append(f"about {esc(store.names[item.product].name)}")
    line = data(" · ".join(bits))
    if item.note:
        line += "\n\n" + data(esc(item.note))
    return line


def fact_register(
    store: Store, notes: PageNotes, footer: Callable[[Fact], str] | None = None, topic: str | None = None
) -> str:
    """Every fact at its permalink with all its claims, ranks, reasons and sources; `footer` adds a
    line under each entry (when it was checked, where to edit it). With a topic, that topic's facts
    only, each under a heading of its own; without, every topic that has no register page of its
    own (`notes.registers`), under its heading."""
    if topic is not None and topic not in schema.TOPICS:
        raise RenderError(f"unknown topic '{topic}' (use {', '.join(schema.TOPICS)})")
    out = []
    parts = {f.topic for f in store.facts.values()} - set(notes.registers) if topic is None else {topic}
    for part in sorted(parts):
        level = "###"
        if topic is None:
            out.append(f"\n## {esc(part.capitalize())}\n")
        else:
            level = "##"
        for item in sorted((f for f in store.facts.values() if f.topic == part), key=lambda f: f.id):
            out.append(f"\n{level} {data(esc(item.label))} {{ #{item.id} }}\n")
            out.append(_status_line(store, item) + "\n")
            out.append(table(CLAIM_HEADER, _claim_rows(store, notes, item)))
            if footer is not None:
                out.append(footer(item))
    return "\n".join(out)


def register_contents(store: Store, notes: PageNotes) -> str:
    """The parts of the fact register: each topic's page and how many facts it holds."""
    rows = []
    for topic in schema.TOPICS:
        facts = [f for f in store.facts.values() if f.topic == topic]
        if not facts:
            continue
        if topic in notes.registers:
            link = notes.link(notes.registers[topic])
        else:  # under the topic's heading on facts.md
            link = ("" if notes.src_path == "facts.md" else notes.link("facts.md")) + f"#{topic}"
        disputed = sum(1 for f in facts if f.disagreeing or f.deprecated_claims)
        rows.append([f"[{esc(topic.capitalize())}]({link})", data(str(len(facts))), data(str(disputed))])
    return table(["Topic", "Facts", "With disagreeing or corrected claims"], rows)


def contested_table(store: Store, notes: PageNotes) -> str:
    """Facts whose sources disagree, and facts with corrected claims, every value side by side."""
    out = []
    disputed = [f for f in store.facts.values() if f.disagreeing or f.deprecated_claims]
    groups = {
        "Unresolved: sources disagree": "contested",
        "Resolved: sources disagreed, a preferred value was chosen": "resolved",
        "Corrected or rejected: a value in circulation is wrong": "corrected",
    }

    def group(item: Fact) -> str:
        if item.contested:
            return "contested"
        return "resolved" if item.disagreeing and item.preferred is not None else "corrected"

    for heading, name in groups.items():
        members = sorted((f for f in disputed if group(f) == name), key=lambda f: (f.topic, f.id))
        if members:
            out.append(f"\n## {heading}\n")
        for item in members:
            out.extend(_contested_entry(store, notes, item))
    return "\n".join(out)


def _contested_entry(store: Store, notes: PageNotes, item: Fact) -> list[str]:
    out = []
    out.append(f"\n### {data(esc(item.label))} {{ #{item.id} }}\n")
    out.append(_status_line(store, item))
    if item.preferred is not None:
        out.append(
            "\n" + data("Resolution: the site shows the preferred value. " + esc(item.preferred.rank_reason or ""))
        )
    elif item.contested:
        out.append("\n" + data("Unresolved: no source settles it, so every value is shown wherever it is used."))
    out.append(f"\n[Register entry]({notes.register_link(item)})\n")
    out.append(table(CLAIM_HEADER, _claim_rows(store, notes, item)))
    return out


def counts_by_document(store: Store, source_id: str) -> tuple[int, int, int]:
    """Claims a source makes (as source or via): used, corrected, rejected as unverified."""
    return all_counts_by_document(store).get(source_id, (0, 0, 0))


def all_counts_by_document(store: Store) -> dict[str, tuple[int, int, int]]:
    """counts_by_document for every source in one pass over the claims: asked source by source,
    the sources page of a large ledger would read every claim once per source."""
    counts: dict[str, list[int]] = {}
    for item in store.facts.values():
        for claim in item.claims:
            column = 0 if claim.rank != "deprecated" else 2 if claim.verdict == "unverified" else 1
            for source_id in {claim.source, claim.via}:
                if source_id is not None:
                    counts.setdefault(source_id, [0, 0, 0])[column] += 1
    return {source_id: (c[0], c[1], c[2]) for source_id, c in counts.items()}


def source_list(store: Store, notes: PageNotes) -> str:
    out = []
    counts = all_counts_by_document(store)
    for tier in evidence.TIERS:
        sources = sorted((s for s in store.sources.values() if s.tier == tier), key=lambda s: s.id)
        if not sources:
            continue
        out.append(f"\n## {esc(tier.capitalize())} sources\n")
        out.append(data(esc(evidence.TIERS[tier])) + "\n")
        for source in sources:
            used, corrected, rejected = counts.get(source.id, (0, 0, 0))
            # The original title goes in the heading too, so a search in its language ranks it first.
            title = esc(source.title_en)
            if source.title != source.title_en:
                title += f" · {esc(source.title)}"
            heading = data(f"{esc(source.short_publisher)}: {title}")
            out.append(f"\n### {heading} {{ #src-{source.id} }}\n")
            lines = [_source_words(source)]
            if source.author:
                lines.append(f"Author: {esc(source.author)}.")
            lines.append(
                f"Kind: {esc(source.kind)}. Language: {esc(source.language)}. "
                f"Accessed {esc(format_date(source.accessed))}."
            )
            if source.archive_url:
                lines.append(f'<a href="{attr(source.archive_url)}">Archived copy</a>.')
            lines.append(f"Claims: {used} used, {corrected} corrected, {rejected} rejected as unverified.")
            if source.note:
                lines.append(esc(source.note))
            out.append(data(" ".join(lines)) + "\n")
    return "\n".join(out)


def document_summary(store: Store, notes: PageNotes, source_ids: list[str]) -> str:
    """A table for the source documents: how many of their claims are used, corrected, rejected."""
    rows = []
    for source_id in source_ids:
        if source_id not in store.sources:
            raise RenderError(f"unknown source '{source_id}'")
        source = store.sources[source_id]
        used, corrected, rejected = counts_by_document(store, source_id)
        rows.append(
            [
                f"[{data(esc(source.title))}]({notes.link('sources.md', f'src-{source.id}')})",
                data(esc(source.short_publisher)),
                data(str(used)),
                data(str(corrected)),
                data(str(rejected)),
            ]
        )
    return table(["Document", "Publisher", "Used", "Corrected", "Rejected"], rows)
