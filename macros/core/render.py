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
from .words import say


class RenderError(Exception):
    """A page asked for something the data cannot give (unknown id, nothing to show)."""


MONTHS = ("January February March April May June July August September October November December").split()


def format_date(iso: str, lang: str = "en") -> str:
    parts = [int(p) for p in iso.split("-")]
    if lang == "zh":
        return "".join(f"{n}{unit}" for n, unit in zip(parts, "年月日", strict=False))
    if len(parts) == 3:
        return f"{parts[2]} {MONTHS[parts[1] - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{MONTHS[parts[1] - 1]} {parts[0]}"
    return str(parts[0])


def format_value(fact: Fact, claim: Claim, lang: str = "en") -> str:
    """The value of one claim as plain text (not yet escaped), in the edition's language."""
    value: Value = claim.value
    if fact.type == "number":
        assert not isinstance(value, str)
        if not units.known(fact.unit):  # reported by validation; `mkdocs serve` renders on regardless
            raise RenderError(f"fact '{fact.id}' has no known unit")
        return units.format_number(value, fact.unit, claim.modifier, lang)
    if fact.type == "date":
        assert isinstance(value, str)
        return format_date(value, lang)
    if lang == "zh":
        if claim.value_zh is None:
            raise RenderError(f"fact '{fact.id}': claim {claim.index} has no value_zh, which the Chinese edition shows")
        return claim.value_zh
    return str(value)


def label(fact: Fact, lang: str = "en") -> str:
    """What the figure is, in the edition's language (`label`, `label_zh`)."""
    if lang == "zh":
        if fact.label_zh is None:
            raise RenderError(f"fact '{fact.id}' has no label_zh, which the Chinese edition shows")
        return fact.label_zh
    return fact.label


def title(event: Fact, lang: str = "en") -> str:
    """What happened, for the timeline (`title`, `title_zh`; the label when there is no title)."""
    if lang == "zh":
        return event.title_zh or label(event, lang)
    return event.title or event.label


def note(fact: Fact, lang: str = "en") -> str | None:
    if lang == "zh" and fact.note is not None:
        if fact.note_zh is None:
            raise RenderError(f"fact '{fact.id}' has no note_zh, which the Chinese edition shows")
        return fact.note_zh
    return fact.note


def reason(fact: Fact, claim: Claim, lang: str = "en") -> str:
    """Why a claim is ranked as it is: shown to Chinese readers for corrections (`rank_reason_zh`)."""
    if lang == "zh" and claim.verdict and claim.rank_reason:
        if claim.rank_reason_zh is None:
            message = f"fact '{fact.id}': claim {claim.index} has no rank_reason_zh, which the Chinese edition shows"
            raise RenderError(message)
        return claim.rank_reason_zh
    return claim.rank_reason or ""


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
    lang: str = "en"  # the edition's language: en or zh

    def say(self, phrase: str, /, **values: object) -> str:
        return say(self.lang, phrase, **values)

    def ref(self, source_id: str, via_id: str | None = None) -> str:
        label = source_id if via_id is None else f"{source_id}--via--{via_id}"
        if label not in self.definitions:
            self.definitions[label] = footnote_text(self.store, source_id, via_id, self.lang)
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


def _source_words(source: Source, lang: str = "en") -> str:
    if lang == "zh":  # the publisher and title as the source gives them
        cited = f"<cite>{esc(source.title)}</cite>"
        when = esc(format_date(source.published, lang)) if source.published else ""
        words = "{publisher}, {title}, {date}." if when else "{publisher}, {title}."
        text = say(lang, words, publisher=esc(source.publisher), title=cited, date=when)
        if source.url:
            text += f' <a href="{attr(source.url)}">{esc(source.url)}</a>'
        return text
    parts = [esc(source.display_publisher)]
    cited = f"<cite>{esc(source.title)}</cite>"
    if source.title_en != source.title:
        cited += f" ({esc(source.title_en)})"
    parts.append(cited)
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


def footnote_text(store: Store, source_id: str, via_id: str | None, lang: str = "en") -> str:
    source = get_source(store, source_id)
    text = _source_words(source, lang)
    if via_id is not None:
        text += say(lang, " Reported in: {source}", source=_source_words(get_source(store, via_id), lang))
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


def _attribution(store: Store, fact: Fact, lang: str = "en") -> str:
    """How the page qualifies a figure its status does not confirm (nothing for a confirmed one)."""
    rule = store.status_rule(fact)
    claim = fact.shown_claims[0]
    source = get_source(store, claim.source)
    if rule.id == "weak-only":
        text = say(lang, " (unconfirmed report, according to {who})", who=esc(source.short_publisher))
        return f'<span class="from-data unconfirmed">{text}</span>'
    if rule.id == "primary-via" and claim.via:
        via = get_source(store, claim.via)
        words = " ({source}, as reported by {via})"
        return data(say(lang, words, source=esc(source.short_publisher), via=esc(via.short_publisher)))
    if rule.id in ("single", "primary-via"):
        return data(say(lang, " (according to {who})", who=esc(source.short_publisher)))
    return ""


def _as_of(fact: Fact, claims: list[Claim], lang: str = "en") -> str:
    """When a figure that changes over time held: the latest date its claims give."""
    if not fact.time_sensitive:
        return ""
    dates = sorted(c.as_of for c in claims if c.as_of)
    if not dates:
        return ""
    return f'<span class="as-of">{say(lang, ", as of {date}", date=esc(format_date(dates[-1], lang)))}</span>'


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
        figure(notes, item, format_value(item, c, notes.lang), when=_as_of(item, same, notes.lang)) + _refs(notes, same)
        for c, same in groups
    ]
    if item.contested:
        mark = f"[{notes.say('sources differ')}]({notes.link('contested.md', item.id)}){{ .sources-differ }}"
        comma = "、" if notes.lang == "zh" else ", "
        joined = comma.join(rendered[:-1]) + data(notes.say(" or ")) + rendered[-1]
        return joined + data(notes.say(" (")) + mark + data(notes.say(")"))
    return rendered[0] + _attribution(store, item, notes.lang)


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
    lang = notes.lang
    # The reader's language: English, or Chinese (the words themselves when they are Chinese).
    if lang == "zh":
        chinese = source.language.startswith("zh") or (claim.quote_zh is None and _is_chinese(claim.quote))
        if not chinese and claim.quote_zh is None:
            raise RenderError(f"fact '{fact_id}': the quotation has no quote_zh, which the Chinese edition shows")
        rendering = claim.quote if chinese else (claim.quote_zh or "")
    else:
        rendering = claim.quote_en
    translated = rendering.strip() != claim.quote.strip()
    if claim.wording not in evidence.QUOTED_WORDINGS:
        ours = say(lang, " (our translation)") if translated else ""
        # Who reports the words: the document they were read in, when that is another one.
        reporter = get_source(store, claim.via).short_publisher if claim.via else source.short_publisher
        if claim.speaker:
            words = "{speaker} said, according to {reporter}{ours}, in substance"
            said = say(lang, words, speaker=esc(claim.speaker), reporter=esc(reporter), ours=ours)
        else:
            said = say(lang, "according to {reporter}{ours}, in substance", reporter=esc(reporter), ours=ours)
        # Reported speech is not the speaker's wording: its closing full stop is the page's to write.
        colon = "：" if lang == "zh" else ": "
        text = f"{said}{colon}{esc(rendering.rstrip().rstrip('.。'))}"
        return f'<span class="reported from-data">{text}</span>{notes.claim_ref(claim)}'
    text = f'<q lang="{attr(source.language)}">{esc(claim.quote)}</q>'
    if translated:
        text += say(lang, " (our translation: “{text}”)", text=esc(rendering))
    text += say(lang, ", {speaker}", speaker=esc(speaker))
    reported = ""
    if claim.wording == "direct-quote" and claim.speaker:
        reported = say(lang, ", as quoted by {source}", source=esc(source.short_publisher))
    return f'<span class="quote from-data">{text}{reported}</span>{notes.claim_ref(claim)}'


def _is_chinese(text: str) -> bool:
    return any("\u3400" <= c <= "\u9fff" for c in text)


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
    lang = notes.lang
    for claim in wrong:
        source = get_source(store, claim.source)
        value = esc(format_value(item, claim, lang))
        said = say(lang, "{who} gave {value}", who=esc(source.short_publisher), value=value)
        judged = say(lang, _VERDICTS.get(claim.verdict or "", "not verified"))
        line = say(lang, "{said}: {judged}. {reason}", said=said, judged=judged, reason=esc(reason(item, claim, lang)))
        lines.append(
            f'- <span class="from-data correction" data-corrects="{attr(item.id)}">{line}</span>'
            + notes.claim_ref(claim)
        )
    return "\n" + "\n".join(lines) + "\n"


_VERDICTS = {"wrong": "wrong", "superseded": "superseded", "other-product": "true of another product"}


def evidence_rules(store: Store, notes: PageNotes) -> str:
    """The tiers and the status ladder, as the build applies them (`evidence`), for the methodology page."""
    say = notes.say
    tiers = [
        [f"**{esc(tier_name(name, notes.lang))}**", data(esc(tier_text(name, notes.lang)))] for name in evidence.TIERS
    ]
    ladder = [
        [
            f"`{esc(rule.id)}`",
            f"**{esc(status_name(rule.status, notes.lang))}**",
            data(esc(rule_text(rule, notes.lang))),
        ]
        for rule in evidence.RULES
    ]
    wordings = [[f"`{esc(name)}`", data(esc(wording_text(name, notes.lang)))] for name in evidence.WORDINGS]
    return "\n\n".join(
        [
            table([say("Tier"), say("Which sources")], tiers),
            say("The first rule that applies gives a fact its status:"),
            table([say("Rule"), say("Status"), say("When it applies")], ladder),
            say("How the wording of a quotation was seen:"),
            table([say("Wording"), say("Meaning")], wordings),
        ]
    )


def tier_name(tier: str, lang: str = "en") -> str:
    return evidence.TIER_NAMES_ZH[tier] if lang == "zh" else tier


def tier_text(tier: str, lang: str = "en") -> str:
    return evidence.TIERS_ZH[tier] if lang == "zh" else evidence.TIERS[tier]


def wording_text(wording: str, lang: str = "en") -> str:
    return evidence.WORDINGS_ZH[wording] if lang == "zh" else evidence.WORDINGS[wording]


def rule_text(rule: evidence.Rule, lang: str = "en") -> str:
    return evidence.RULE_TEXTS_ZH[rule.id] if lang == "zh" else rule.text


def status_name(status: str, lang: str = "en") -> str:
    return evidence.STATUSES_ZH[status] if lang == "zh" else status


def cite(store: Store, notes: PageNotes, source_id: str, via: str | None = None) -> str:
    if source_id not in store.sources:
        raise RenderError(f"unknown source '{source_id}'")
    if via is not None and via not in store.sources:
        raise RenderError(f"unknown source '{via}'")
    return notes.ref(source_id, via)


def _qualifiers(claim: Claim, lang: str = "en") -> str:
    parts = [v for _, v in claim.qualifiers]
    if claim.as_of:
        parts.append(say(lang, "as of {date}", date=format_date(claim.as_of, lang)))
    return data(esc(", ".join(parts))) if parts else ""


def _cell_value(notes: PageNotes, item: Fact, claim: Claim) -> str:
    extra = "deprecated" if claim.rank == "deprecated" else ""
    return figure(notes, item, format_value(item, claim, notes.lang), extra) + notes.claim_ref(claim)


def _source_cell(store: Store, notes: PageNotes, claim: Claim) -> str:
    source = get_source(store, claim.source)
    anchor = notes.link("sources.md", f"src-{source.id}")
    tier = esc(tier_name(source.tier, notes.lang))
    text = f"[{data(esc(source.short_publisher))}]({anchor})" + data(notes.say(" (") + tier + notes.say(")"))
    if claim.via:
        via = get_source(store, claim.via)
        via_link = f"[{data(esc(via.short_publisher))}]({notes.link('sources.md', f'src-{via.id}')})"
        text += data(notes.say(" via ")) + via_link
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
        name = f"[{data(esc(label(item, notes.lang)))}]({notes.register_link(item)})"
        rows.append([name, fact(store, notes, item.id)])
    return table([notes.say("Figure"), notes.say("Value")], rows)


def timeline(store: Store, notes: PageNotes, topic: str | None = None) -> str:
    events = [f for f in store.facts.values() if f.is_event and (topic is None or f.topic == topic)]
    events = [e for e in events if e.live_claims]
    events.sort(key=lambda e: (str(e.shown_claims[0].value), e.id))
    lines = ['<div class="timeline" markdown>', ""]
    for event in events:
        colon = "：" if notes.lang == "zh" else ": "
        lines.append(f"- {fact(store, notes, event.id)}{data(colon + esc(title(event, notes.lang)))}")
    lines += ["", "</div>"]
    return "\n" + "\n".join(lines) + "\n"


def _rank_cell(item: Fact, claim: Claim, lang: str = "en") -> str:
    if lang == "zh":
        text = say(lang, claim.rank)
        if claim.verdict:
            text += "（" + say(lang, _VERDICTS.get(claim.verdict, "not verified")) + "）"
        why = reason(item, claim, lang)
        return esc(text + ("：" + why if why else ""))
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
            after = f" ({esc(claim.quote_en)})"
            if notes.lang == "zh":  # the Chinese, when the words are not Chinese already
                after = f"（{esc(claim.quote_zh)}）" if claim.quote_zh else ""
            if claim.wording in evidence.QUOTED_WORDINGS:
                quote = f"<q>{esc(claim.quote)}</q>{after}"
            else:  # the source's report of someone's words, not their wording: no quotation marks
                quote = f"{notes.say('reported: ')}{esc(claim.quote)}{after}"
        where = esc(claim.locator or "")
        rows.append(
            [
                _cell_value(notes, item, claim),
                _source_cell(store, notes, claim),
                _qualifiers(claim, notes.lang),
                data(" ".join(x for x in (where, quote) if x)),
                data(_rank_cell(item, claim, notes.lang)),
            ]
        )
    return rows


CLAIM_HEADER = ["Value", "Source", "Applies to", "Where / quotation", "Rank"]


def _claim_header(lang: str) -> list[str]:
    return [say(lang, h) for h in CLAIM_HEADER]


def _status_line(store: Store, item: Fact, lang: str = "en") -> str:
    rule = store.status_rule(item)
    status = say(
        lang,
        "status: **{status}** (rule `{rule}`: {text})",
        status=status_name(rule.status, lang),
        rule=esc(rule.id),
        text=esc(rule_text(rule, lang)),
    )
    bits = [f"`{esc(item.id)}`", status]
    if item.deprecated_claims:
        bits.append(say(lang, "**corrected**"))
    if item.product and item.product in store.names:
        bits.append(say(lang, "about {name}", name=esc(store.names[item.product].name)))
    line = data(" · ".join(bits))
    text = note(item, lang)
    if text:
        line += "\n\n" + data(esc(text))
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
            out.append(f"\n## {esc(topic_name(part, notes.lang))}\n")
        else:
            level = "##"
        for item in sorted((f for f in store.facts.values() if f.topic == part), key=lambda f: f.id):
            out.append(f"\n{level} {data(esc(label(item, notes.lang)))} {{ #{item.id} }}\n")
            out.append(_status_line(store, item, notes.lang) + "\n")
            out.append(table(_claim_header(notes.lang), _claim_rows(store, notes, item)))
            if footer is not None:
                out.append(footer(item))
    return "\n".join(out)


TOPICS_ZH = {"technology": "技术", "industry": "产业", "copyright": "版权", "risks": "风险", "after-launch": "发布之后"}


def topic_name(topic: str, lang: str = "en") -> str:
    return TOPICS_ZH[topic] if lang == "zh" else topic.capitalize()


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
        rows.append([f"[{esc(topic_name(topic, notes.lang))}]({link})", data(str(len(facts))), data(str(disputed))])
    return table([notes.say("Topic"), notes.say("Facts"), notes.say("With disagreeing or corrected claims")], rows)


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
            out.append(f"\n## {notes.say(heading)}\n")
        for item in members:
            out.extend(_contested_entry(store, notes, item))
    return "\n".join(out)


def _contested_entry(store: Store, notes: PageNotes, item: Fact) -> list[str]:
    out = []
    out.append(f"\n### {data(esc(label(item, notes.lang)))} {{ #{item.id} }}\n")
    out.append(_status_line(store, item, notes.lang))
    if item.preferred is not None:
        why = esc(item.preferred.rank_reason or "")
        if notes.lang == "zh" and why:  # the reason for a preferred value is an editors' note, in English
            why = f'<span lang="en">{why}</span>'
        out.append("\n" + data(notes.say("Resolution: the site shows the preferred value. ") + why))
    elif item.contested:
        out.append(
            "\n" + data(notes.say("Unresolved: no source settles it, so every value is shown wherever it is used."))
        )
    out.append(f"\n[{notes.say('Register entry')}]({notes.register_link(item)})\n")
    out.append(table(_claim_header(notes.lang), _claim_rows(store, notes, item)))
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
        lang = notes.lang
        heading_tier = tier_name(tier, lang) if lang == "zh" else tier.capitalize()
        out.append(f"\n## {esc(say(lang, '{tier} sources', tier=heading_tier))}\n")
        out.append(data(esc(tier_text(tier, lang))) + "\n")
        for source in sources:
            used, corrected, rejected = counts.get(source.id, (0, 0, 0))
            # The original title goes in the heading too, so a search in its language ranks it first.
            title = esc(source.title_en)
            if source.title != source.title_en:
                title += f" · {esc(source.title)}"
            heading = data(f"{esc(source.short_publisher)}: {title}")
            out.append(f"\n### {heading} {{ #src-{source.id} }}\n")
            lines = [_source_words(source, lang)]
            if source.author:
                lines.append(say(lang, "Author: {author}.", author=esc(source.author)))
            lines.append(
                say(
                    lang,
                    "Kind: {kind}. Language: {language}. Accessed {date}.",
                    kind=esc(source.kind),
                    language=esc(source.language),
                    date=esc(format_date(source.accessed, lang)),
                )
            )
            if source.archive_url:
                stop = "。" if lang == "zh" else "."
                lines.append(f'<a href="{attr(source.archive_url)}">{say(lang, "Archived copy")}</a>{stop}')
            counts_line = "Claims: {used} used, {corrected} corrected, {rejected} rejected as unverified."
            lines.append(say(lang, counts_line, used=used, corrected=corrected, rejected=rejected))
            if source.note:  # an editors' note, in English in both editions
                lines.append(esc(source.note) if lang == "en" else f'<span lang="en">{esc(source.note)}</span>')
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
    return table([notes.say(h) for h in ("Document", "Publisher", "Used", "Corrected", "Rejected")], rows)
