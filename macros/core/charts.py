"""Charts drawn at build time: Vega-Lite specs rendered to static SVG by vl-convert, offline.

Each chart is a `<figure>`: a caption naming the chart and footnoting every source it draws, the
SVG inline with a text alternative (`role="img"`, `<title>`, `<desc>`), and the same figures in
a table one click away. Readers get no script and no request to any host. Rows and line wrapping
are laid out here so labels never collide; Vega-Lite draws the scales, axes and marks. Text and
axes use `currentColor`, so a chart follows the page's light or dark scheme, and every mark
colour keeps a 3:1 contrast against both backgrounds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import re
import textwrap
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from importlib.metadata import version
from typing import Any

import vl_convert

from .. import memo
from ..ledger import units
from ..ledger.model import Claim, Fact, Store
from ..sidecar import SIDECAR, first_line
from . import markup, render
from .render import PageNotes, RenderError
from .words import say

WIDTH = 400  # the drawing's own width in pixels; CSS scales it down to fit a phone
PLOT = 270  # the value axis of a bar chart; the rest is room for the value written after a bar
LINE = 16  # height of one line of label text
BAR = 14
CHARS = 56  # characters of label text per line at 13px in WIDTH
# Blue, vermilion, green, purple, teal, brown: each at least 3:1 against white and against
# Material's slate background, so marks stay visible in both schemes.
PALETTE = ("#4c78a8", "#d9480f", "#2b8a3e", "#ae3ec9", "#0c8599", "#9d755d")
SHAPES = ("circle", "square", "diamond", "triangle-up", "cross", "triangle-down")
VEGA_LITE = "v6.4"  # pinned, so a vl-convert upgrade cannot change the drawings unannounced

_CONFIG: dict[str, Any] = {
    "aria": False,
    "background": None,
    "font": "sans-serif",
    "view": {"stroke": None},
    "axis": {
        "labelColor": "currentColor",
        "titleColor": "currentColor",
        "domainColor": "currentColor",
        "tickColor": "currentColor",
        "gridColor": "currentColor",
        "gridOpacity": 0.2,
        "labelFontSize": 12,
        "titleFontSize": 12,
        "titleFontWeight": "normal",
    },
    "legend": {
        "labelColor": "currentColor",
        "labelFontSize": 12,
        "labelLimit": WIDTH,
        "orient": "bottom",
        "direction": "vertical",
        "title": None,
    },
    "text": {"color": "currentColor", "fontSize": 13},
}


@dataclass(frozen=True)
class _Item:
    """One value drawn: a fact, the claims that give it (same value, one footnote each), a label."""

    fact: Fact
    claims: tuple[Claim, ...]
    label: str
    lang: str = "en"

    @property
    def claim(self) -> Claim:
        return self.claims[0]

    @property
    def text(self) -> str:
        return render.format_value(self.fact, self.claim, self.lang)


# --- values -------------------------------------------------------------------------------------


def _span(fact: Fact, claim: Claim) -> tuple[float, float]:
    """A claim's value as the interval it covers: (v, v) for a number, (lo, hi) for a range."""
    value = claim.value
    if isinstance(value, tuple):
        return float(value[0]), float(value[1])
    if isinstance(value, int | float):
        return float(value), float(value)
    raise RenderError(f"fact '{fact.id}' is not a number; only numbers can be charted")


def _groups(fact: Fact, every_source: bool) -> list[tuple[Claim, ...]]:
    """What a chart draws for a fact: each value the page shows (agreeing sources together), or,
    with `every_source`, each live claim on its own."""
    if every_source:
        return [(c,) for c in fact.live_claims]
    return [(first, *[c for c in same if c is not first]) for first, same in render.grouped(fact)]


def _claim_date(store: Store, fact: Fact, claim: Claim) -> str:
    """When a claim's value held: its `as_of`, else the date of its source."""
    when = claim.as_of or render.get_source(store, claim.source).published
    if not when:
        raise RenderError(f"fact '{fact.id}': claim {claim.index} has no as_of date, and its source no date")
    return when


def _day(when: str) -> str:
    """A YYYY, YYYY-MM or YYYY-MM-DD date as a full day, for a time scale."""
    return "-".join([*when.split("-"), "01", "01"][:3])


def _source_name(store: Store, claim: Claim, lang: str = "en") -> str:
    name = render.get_source(store, claim.source).short_publisher
    if claim.via:
        name += say(lang, " via ") + render.get_source(store, claim.via).short_publisher
    return name


def _sources_of(store: Store, claims: tuple[Claim, ...], lang: str = "en") -> str:
    return ("；" if lang == "zh" else "; ").join(dict.fromkeys(_source_name(store, c, lang) for c in claims))


def _facts(store: Store, ids: list[str]) -> list[Fact]:
    if isinstance(ids, str) or not ids:
        raise RenderError("a chart needs a list of fact ids")
    return [render.get_fact(store, fact_id) for fact_id in ids]


def _one_unit(facts: list[Fact]) -> str:
    found = {f.unit for f in facts}
    if len(found) != 1 or any(f.type != "number" for f in facts):
        kinds = ", ".join(f"{f.id} ({f.unit or f.type})" for f in facts)
        raise RenderError(f"the facts of one chart must be numbers in one unit; got {kinds}")
    return found.pop()


# --- drawing ------------------------------------------------------------------------------------


def _wrap(text: str) -> list[str]:
    return textwrap.wrap(" ".join(text.split()), width=CHARS, break_on_hyphens=False) or [""]


def _axis_format(unit: str, top: float) -> str:
    """d3 number format of an axis: "$" for money in dollars, "200k" style for large numbers."""
    return ("$" if unit.startswith("USD") else "") + ("~s" if top >= 10000 else ",~r")


def _rows_scale(height: float) -> dict[str, Any]:
    """A vertical position in pixels from the top, for rows laid out here."""
    return {"field": "y", "type": "quantitative", "axis": None, "scale": {"domain": [0, height], "reverse": True}}


def _draw(spec: dict[str, Any], key: str, title: str, desc: str) -> str:
    """One Vega-Lite spec drawn as an accessible SVG; the data is all in the spec and nothing may be
    fetched. Drawings are kept by the hash of everything that decides them, so a rebuild under
    `serve` redraws only the charts whose figures changed.

    While the build's second process runs (sidecar.py), the drawing is left to it and a mark
    stands in the page until `fill` puts the drawing there: the pages after this one are
    converted meanwhile. The mark is inside the chart's raw-HTML block, which no Markdown step
    reads, and the site checks refuse a page where one is left."""
    full = _drawable({**spec, "config": _CONFIG})
    name = memo.key(json.dumps([full, VEGA_LITE, version("vl-convert-python")], sort_keys=True, ensure_ascii=False))
    kept = memo.recall("charts", f"{name}.svg")
    if kept is not None:
        return _accessible(kept, key, title, desc)
    if SIDECAR.running:
        mark = f"<!--{MARK}{next(_NUMBERS)}-->"
        _PENDING[mark] = _Pending(SIDECAR.submit("macros.core.charts:render_svg", full), name, key, title, desc)
        return mark
    try:
        svg = render_svg(full)
    except Exception as error:  # the renderer's own errors; text it cannot draw never reaches it
        raise RenderError(f"the chart could not be drawn: {str(error).splitlines()[0][:200]}") from None
    return _kept(name, svg, key, title, desc)


def render_svg(full: dict[str, Any]) -> str:
    """vl-convert's SVG of a complete spec (in the sidecar, or here)."""
    svg: str = vl_convert.vegalite_to_svg(full, vl_version=VEGA_LITE, allowed_base_urls=[])
    return svg


def _kept(name: str, svg: str, key: str, title: str, desc: str) -> str:
    memo.keep("charts", f"{name}.svg", svg)
    memo.prune("charts")
    return _accessible(svg, key, title, desc)


MARK = "briefing-chart:"
_MARK_RX = re.compile(r"<!--briefing-chart:\d+-->")


@dataclass(frozen=True)
class _Pending:
    drawing: Future[str]
    name: str
    key: str
    title: str
    desc: str


_PENDING: dict[str, _Pending] = {}
_NUMBERS = itertools.count()


def fill(html: str) -> tuple[str, list[str]]:
    """A page's HTML with the drawings its marks stand for, once they are drawn; and a line for each
    chart that could not be drawn (where the drawing would go, the page says so)."""
    problems: list[str] = []

    def drawing(match: re.Match[str]) -> str:
        pending = _PENDING.pop(match.group(), None)
        if pending is None:  # pragma: no cover - every mark is made by _draw in this process
            problems.append("a chart mark with no drawing behind it")
            return ""
        try:
            svg = pending.drawing.result()
        except Exception as error:
            text = first_line(error)[:200]
            problems.append(f"the chart could not be drawn: {text}")
            return f'<strong class="briefing-error">{markup.esc("⚠ " + problems[-1])}</strong>'
        return _kept(pending.name, svg, pending.key, pending.title, pending.desc)

    return _MARK_RX.sub(drawing, html), problems


def _drawable(value: Any) -> Any:
    """The spec with every character the renderer cannot draw replaced by U+FFFD. A NUL or an ESC in
    a label aborts vl-convert's process outright (no exception to catch), so the data with problems
    that `mkdocs serve` still renders must never reach it raw; validation refuses such text anyway."""
    if isinstance(value, str):
        return markup.visible(value)
    if isinstance(value, dict):
        return {key: _drawable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_drawable(item) for item in value]
    return value


_VEGA_ARIA_RX = re.compile(r' (?:role|aria-[a-z]+)="[^"]*"')
_ROOT_RX = re.compile(r"<svg\b([^>]*)>")
# Characters the site checks would read as leftover template or footnote syntax: as character
# references they look the same to a reader and stay inert.
_INERT_SVG = {"{": "&#123;", "}": "&#125;", "[": "&#91;", "]": "&#93;"}


def _accessible(svg: str, key: str, title: str, desc: str) -> str:
    """The SVG as one image with a name and a description, Vega's own ARIA marks removed."""
    svg = _VEGA_ARIA_RX.sub("", svg)
    root = _ROOT_RX.match(svg)
    if root is None:  # pragma: no cover - vl-convert always returns one <svg> element
        raise RenderError("the chart renderer returned no SVG")
    head = (
        f'<svg{root.group(1)} role="img" focusable="false" aria-labelledby="{key}-title" aria-describedby="{key}-desc">'
        f'<title id="{key}-title">{markup.attr(title)}</title><desc id="{key}-desc">{markup.attr(desc)}</desc>'
    )
    return re.sub(r"[{}\[\]]", lambda m: _INERT_SVG[m.group()], head + svg[root.end() :])


def _key(kind: str, title: str, data: Any) -> str:
    """An id for the figure, stable across builds, distinct for different charts on a page."""
    digest = hashlib.sha1(json.dumps([kind, title, data], sort_keys=True).encode()).hexdigest()
    return f"chart-{digest[:10]}"


# --- the figure around the drawing --------------------------------------------------------------


def _caption(store: Store, notes: PageNotes, title: str, items: list[_Item], facts: list[Fact]) -> str:
    refs: dict[tuple[str, str | None], str] = {}
    for claim in (c for item in items for c in item.claims):
        if (claim.source, claim.via) not in refs:
            name = markup.data(markup.esc(_source_name(store, claim, notes.lang)))
            refs[(claim.source, claim.via)] = name + notes.claim_ref(claim)
    text = f"<strong>{markup.esc(title)}</strong>"
    space = "" if notes.lang == "zh" else " "
    if any(f.contested for f in facts):
        text += space + markup.data(notes.say("Sources differ: every value is drawn."))
        text += f"{space}[{notes.say('Contested figures')}]({notes.link('contested.md')}){notes.say('.')}"
    text += space + markup.data(notes.say("Source: " if len(refs) == 1 else "Sources: "))
    return text + markup.data(notes.say("; ")).join(refs.values())


def _figure(key: str, kind: str, caption: str, svg: str, table: str, lang: str = "en") -> str:
    # The caption and the table go through Markdown (footnote references, the table); the SVG
    # must not: markdown="0" keeps Python-Markdown away from its text. The search index skips the
    # drawing, whose words and figures are in the table beside it.
    summary = say(lang, "The figures in this chart, as a table")
    return (
        f'\n\n<figure class="chart chart--{kind}" id="{key}" markdown="1">\n'
        f'<figcaption markdown="span">{caption}</figcaption>\n'
        f'<div class="chart__plot" data-search-exclude markdown="0">{svg}</div>\n'
        f'<details class="chart__data" markdown="1">\n<summary>{summary}</summary>\n'
        f"{table}\n</details>\n</figure>\n\n"
    )


def _register_link(notes: PageNotes, item: _Item, from_page: bool) -> str:
    """The row's label linked to the fact's register entry. A label typed on the page is left to
    the site's figure check (it may not hold a figure); a label from the data is marked so."""
    text = markup.esc(item.label)
    return f"[{text if from_page else markup.data(text)}]({notes.register_link(item.fact)})"


def _value_cell(notes: PageNotes, item: _Item) -> str:
    refs = "".join(dict.fromkeys(notes.claim_ref(c) for c in item.claims))
    return render.figure(notes, item.fact, item.text) + refs


def _source_cell(store: Store, item: _Item) -> str:
    return markup.data(markup.esc(_sources_of(store, item.claims, item.lang)))


def _applies_cell(item: _Item) -> str:
    """What the value applies to: the claim's qualifiers and the date it held."""
    parts = [value for _, value in item.claim.qualifiers]
    if item.claim.as_of:
        held = render.format_date(item.claim.as_of, item.lang)
        # A period qualifier that already names the date ("November 2025") says it once.
        if held not in parts:
            parts.append(say(item.lang, "as of {date}", date=held))
    return markup.data(markup.esc(", ".join(parts))) if parts else ""


def _unit_title(unit: str, lang: str) -> str:
    """The value axis's title: the unit's name (in Chinese, its measure word)."""
    return units.UNITS[unit].zh.replace("{n}", "").strip() or unit if lang == "zh" else unit


def _month_format(lang: str) -> str:
    return "%Y年%-m月" if lang == "zh" else "%b %Y"


def _day_format(lang: str) -> str:
    return "%-m月%-d日" if lang == "zh" else "%-d %b"


# --- the charts ---------------------------------------------------------------------------------


def chart_bars(
    store: Store,
    notes: PageNotes,
    ids: list[str],
    title: str,
    labels: list[str] | None = None,
    every_source: bool = False,
) -> str:
    """Horizontal bars comparing facts in one unit; a range runs from its low to its high end.

    `labels`, one per fact, are short names written on the page (they may not hold figures);
    without them each fact's own label is used. A fact whose sources differ gets a bar per
    value, named by source. With `every_source`, every live claim gets its own bar, named by its
    source, under its fact's label: the figures "as each source reports them".
    """
    facts = _facts(store, ids)
    unit = _one_unit(facts)
    if labels is not None and len(labels) != len(facts):
        raise RenderError(f"{len(labels)} labels for {len(facts)} facts")
    names = labels or [render.label(f, notes.lang) for f in facts]

    rows: list[dict[str, Any]] = []
    items: list[_Item] = []
    y = 0.0

    def text_rows(text: str, kind: str) -> None:
        nonlocal y
        for line in _wrap(text):
            rows.append({"kind": kind, "y": y, "text": line})
            y += LINE

    for fact, name in zip(facts, names, strict=True):
        groups = _groups(fact, every_source)
        by_source = every_source or len(groups) > 1
        if by_source:
            text_rows(name, "head")
        for claims in groups:
            item = _Item(fact, claims, name, notes.lang)
            lo, hi = _span(fact, item.claim)
            text_rows(_sources_of(store, claims) if by_source else name, "label")
            start = lo if lo != hi else min(0.0, hi)
            rows.append({"kind": "bar", "y": y + 1, "y2": y + 1 + BAR, "lo": start, "hi": hi})
            rows.append({"kind": "value", "y": y + 1 + BAR / 2, "hi": hi, "text": item.text})
            y += BAR + 10
            items.append(item)
        y += 6

    top = max(max(_span(i.fact, i.claim)) for i in items)
    x_scale = {"domain": [0, top], "nice": True, "zero": True}
    y_enc = _rows_scale(y)
    spec: dict[str, Any] = {
        "width": PLOT,
        "height": y,
        "data": {"values": rows},
        "layer": [
            {
                "name": "bars",
                "transform": [{"filter": "datum.kind === 'bar'"}],
                "mark": {"type": "rect", "color": PALETTE[0]},
                "encoding": {
                    "x": {
                        "field": "lo",
                        "type": "quantitative",
                        "scale": x_scale,
                        "title": _unit_title(unit, notes.lang),
                        "axis": {"format": _axis_format(unit, top), "tickCount": 5},
                    },
                    "x2": {"field": "hi"},
                    "y": y_enc,
                    "y2": {"field": "y2"},
                },
            },
            *(
                {
                    "name": f"{kind}s",
                    "transform": [{"filter": f"datum.kind === '{kind}'"}],
                    "mark": {
                        "type": "text",
                        "align": "left",
                        "baseline": "top",
                        "x": 0,
                        "limit": WIDTH,
                        "fontWeight": weight,
                    },
                    "encoding": {"y": y_enc, "text": {"field": "text"}},
                }
                for kind, weight in (("head", "bold"), ("label", "normal"))
            ),
            {
                "name": "values",
                "transform": [{"filter": "datum.kind === 'value'"}],
                "mark": {"type": "text", "align": "left", "baseline": "middle", "dx": 4},
                "encoding": {
                    "x": {"field": "hi", "type": "quantitative", "scale": x_scale},
                    "y": y_enc,
                    "text": {"field": "text"},
                },
            },
        ],
    }
    key = _key("bars", title, rows)
    desc = (
        notes.say("Bar chart. ")
        + notes.say("; ").join(
            notes.say(
                "{label}, {sources}: {value}", label=i.label, sources=_sources_of(store, i.claims, i.lang), value=i.text
            )
            for i in items
        )
        + notes.say(".")
    )
    table = markup.table(
        [notes.say(h) for h in ("Figure", "Source", "Applies to", "Value")],
        [
            [
                _register_link(notes, i, labels is not None),
                _source_cell(store, i),
                _applies_cell(i),
                _value_cell(notes, i),
            ]
            for i in items
        ],
    )
    svg = _draw(spec, key, title, desc)
    return _figure(key, "bars", _caption(store, notes, title, items, facts), svg, table, notes.lang)


def _series_name(store: Store, fact: Fact, claim: Claim, by: str, lang: str = "en") -> str:
    """A series is a product and one qualifier of the claim: "Sora 2, Pro"."""
    product = store.names[fact.product].name if fact.product in store.names else ""
    detail = dict(claim.qualifiers).get(by, "")
    if product and detail and detail.lower() not in product.lower():
        return f"{product}, {detail}"
    return product or detail or render.label(fact, lang)


def chart_by_date(store: Store, notes: PageNotes, ids: list[str], title: str, series: str = "tier") -> str:
    """Values over time, one stepped line per series (a limit holds until it changes).

    A value sits at its claim's `as_of` date (else its source's date). Its series is the fact's
    product and the claim's `series` qualifier, tier by default: "Sora 2, Pro".
    """
    facts = _facts(store, ids)
    unit = _one_unit(facts)
    items: list[_Item] = []
    for fact in facts:
        for claims in _groups(fact, every_source=False):
            items.append(_Item(fact, claims, _series_name(store, fact, claims[0], series, notes.lang), notes.lang))
    items.sort(key=lambda i: (_day(_claim_date(store, i.fact, i.claim)), i.label))
    points: list[dict[str, Any]] = [
        {
            "date": _day(_claim_date(store, i.fact, i.claim)),
            "value": _span(i.fact, i.claim)[1],
            "series": i.label,
            "text": i.text,
        }
        for i in items
    ]
    order = list(dict.fromkeys(i.label for i in items))
    if len(order) > len(PALETTE):
        raise RenderError(f"{len(order)} series in one chart; at most {len(PALETTE)} stay readable")
    top = max(_span(i.fact, i.claim)[1] for i in items)
    spec: dict[str, Any] = {
        "width": WIDTH - 110,  # room on the left for the axis, on the right for the last value
        "height": 240,
        "data": {"values": points},
        "encoding": {
            "x": {
                "field": "date",
                "type": "temporal",
                "timeUnit": "utcyearmonthdate",  # dates are days, read as UTC wherever the build runs
                "scale": {"padding": 16},
                "title": None,
                "axis": {"format": _month_format(notes.lang), "tickCount": 5, "labelAngle": 0, "grid": False},
            },
            "y": {
                "field": "value",
                "type": "quantitative",
                "title": _unit_title(unit, notes.lang),
                "scale": {"domain": [0, top * 1.15], "nice": True},
                "axis": {"format": _axis_format(unit, top), "tickCount": 5},
            },
            "color": {
                "field": "series",
                "type": "nominal",
                "sort": order,
                "scale": {"domain": order, "range": list(PALETTE[: len(order)])},
            },
        },
        "layer": [
            {"name": "lines", "mark": {"type": "line", "interpolate": "step-after", "strokeWidth": 2}},
            {
                "name": "points",
                "mark": {"type": "point", "filled": True, "size": 80, "opacity": 1},
                "encoding": {
                    "shape": {"field": "series", "sort": order, "scale": {"domain": order, "range": list(SHAPES)}}
                },
            },
            {
                "name": "values",
                "mark": {"type": "text", "align": "left", "dx": 7, "dy": -10},
                "encoding": {"text": {"field": "text"}, "color": {"value": "currentColor"}},
            },
        ],
    }
    key = _key("by-date", title, points)
    lang = notes.lang
    desc = say(lang, "Chart over time. ") + say(lang, "; ").join(
        say(
            lang,
            "{label}, {sources}: {value}",
            label=render.format_date(p["date"], lang),
            sources=p["series"],
            value=p["text"],
        )
        for p in points
    )
    table = markup.table(
        [notes.say(h) for h in ("Date", "Series", "Source", "Applies to", "Value")],
        [
            [
                markup.data(markup.esc(render.format_date(_claim_date(store, i.fact, i.claim), notes.lang))),
                _register_link(notes, i, from_page=False),
                _source_cell(store, i),
                _applies_cell(i),
                _value_cell(notes, i),
            ]
            for i in items
        ],
    )
    svg = _draw(spec, key, title, desc + ".")
    return _figure(key, "by-date", _caption(store, notes, title, items, facts), svg, table, notes.lang)


def _events(store: Store, events: list[str] | str) -> list[Fact]:
    if isinstance(events, str):
        chosen = [f for f in store.facts.values() if f.is_event and f.topic == events and f.live_claims]
        if not chosen:
            raise RenderError(f"no events with topic '{events}'")
    else:
        chosen = _facts(store, events)
        if any(not f.is_event for f in chosen):
            raise RenderError("chart_timeline() takes events; not events: " + ", ".join(f.id for f in chosen))
    return sorted(chosen, key=lambda e: (_day(str(e.shown_claims[0].value)), e.id))


def chart_timeline(store: Store, notes: PageNotes, events: list[str] | str, title: str) -> str:
    """Dated events on a time axis drawn to scale, one row each: the date and the event in words,
    and below them a track with a dot where the event falls. Takes event ids, or a topic."""
    chosen = _events(store, events)
    rows: list[dict[str, Any]] = []
    items: list[_Item] = []
    y = 0.0
    for event in chosen:
        groups = _groups(event, every_source=False)
        when = notes.say(" or ").join(render.format_date(str(g[0].value), notes.lang) for g in groups)
        if event.contested:
            when += " (sources differ)"
        for line in _wrap(f"{when}{'：' if notes.lang == 'zh' else ': '}{render.title(event, notes.lang)}"):
            rows.append({"kind": "label", "y": y, "text": line})
            y += LINE
        for claims in groups:
            rows.append({"kind": "dot", "y": y + 8, "date": _day(str(claims[0].value))})
            items.append(_Item(event, claims, render.title(event, notes.lang), notes.lang))
        rows.append({"kind": "track", "y": y + 8})
        y += 26
    dates = [r["date"] for r in rows if r["kind"] == "dot"]
    first, last = min(dates), max(dates)
    days = (dt.date.fromisoformat(last) - dt.date.fromisoformat(first)).days
    y_enc = _rows_scale(y)
    spec: dict[str, Any] = {
        "width": WIDTH - 24,  # room for the last date label to overhang
        "height": y,
        "data": {"values": rows},
        "layer": [
            {
                "name": "tracks",
                "transform": [{"filter": "datum.kind === 'track'"}],
                "mark": {"type": "rule", "x": 0, "x2": WIDTH - 24, "color": "currentColor", "opacity": 0.3},
                "encoding": {"y": y_enc},
            },
            {
                "name": "dots",
                "transform": [{"filter": "datum.kind === 'dot'"}],
                "mark": {"type": "point", "filled": True, "size": 90, "opacity": 1, "color": PALETTE[0]},
                "encoding": {
                    "x": {
                        "field": "date",
                        "type": "temporal",
                        "timeUnit": "utcyearmonthdate",
                        "scale": {"padding": 10},
                        "title": None,
                        "axis": {
                            "format": _day_format(notes.lang) if days <= 120 else _month_format(notes.lang),
                            "tickCount": 6,
                            "labelAngle": 0,
                        },
                    },
                    "y": y_enc,
                },
            },
            {
                "name": "labels",
                "transform": [{"filter": "datum.kind === 'label'"}],
                "mark": {"type": "text", "align": "left", "baseline": "top", "x": 0, "limit": WIDTH - 24},
                "encoding": {"y": y_enc, "text": {"field": "text"}},
            },
        ],
    }
    key = _key("timeline", title, rows)
    desc = (
        notes.say("Timeline. ")
        + notes.say("; ").join(
            f"{render.format_date(str(i.claim.value), notes.lang)}{'：' if notes.lang == 'zh' else ': '}{i.label}"
            for i in items
        )
        + notes.say(".")
    )
    table = markup.table(
        [notes.say(h) for h in ("Date", "Event", "Source")],
        [[_value_cell(notes, i), _register_link(notes, i, from_page=False), _source_cell(store, i)] for i in items],
    )
    svg = _draw(spec, key, title, desc)
    return _figure(key, "timeline", _caption(store, notes, title, items, chosen), svg, table, notes.lang)


CHARTS: tuple[Callable[..., str], ...] = (chart_bars, chart_by_date, chart_timeline)
