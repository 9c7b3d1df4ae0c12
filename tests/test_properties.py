"""Random input never crashes the loader or the renderers, and never becomes markup.

Hypothesis writes random YAML texts, random structures and random ledgers shaped like the real one
into a data folder: `load_store` must answer with one-line problems only, never an exception. Every
fact of whatever store results is then rendered by every macro, as `mkdocs serve` would render it
even with problems in the data: a RenderError is the only exception allowed, and the Markdown
produced holds no tag but render's own, no template syntax and no footnote reference but its own.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from macros.core import markup, render
from macros.ledger import plausible, schema
from macros.ledger.loading import FORBIDDEN, Problem
from macros.ledger.model import Store
from macros.ledger.validate import load_store

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Characters YAML, Markdown, HTML and Jinja react to, with letters, digits and some Chinese.
NASTY = "<>&\"'`*_{}[]()#!|~^:-?,%@=/\\\t\n\r\u00a0\u200b\u202e " + "abcxyz019" + "中文"
nasty_text = st.text(alphabet=NASTY, max_size=40) | st.text(max_size=40)

LINE_RX = re.compile(r"^data/[\w.-]+:\d+: [^\n\r]+$")


def _load(files: dict[str, str]) -> tuple[Store, list[Problem]]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "data").mkdir()
        for name, text in files.items():
            (root / "data" / name).write_text(text, encoding="utf-8")
        return load_store(root / "data", root)


def _assert_one_line_problems(problems: list[Problem]) -> None:
    for problem in problems:
        assert isinstance(problem, Problem)
        assert LINE_RX.match(str(problem)), repr(str(problem))


# --- what the renderers may produce --------------------------------------------------------------

_OWN_TAG = re.compile(
    r'<(?:span class="(?:fig(?: deprecated)?|from-data(?: unconfirmed)?|quote from-data|reported from-data|as-of)"'
    r'(?: data-fact="[^"<>]*")?'
    r'|q(?: lang="[^"<>]*")?|cite|a href="[^"<>]*"|div class="timeline" markdown)>'
    r"|</(?:span|q|cite|a|div)>"
)
_OWN_REF = re.compile(r"\[\^[a-z0-9-]+(?:--via--[a-z0-9-]+)?\]")


def _assert_inert(markdown: str) -> None:
    """No tag but render's own, no template syntax, no footnote reference but render's own."""
    bare = _OWN_TAG.sub("", markdown)
    assert "<" not in bare and ">" not in bare, bare
    assert "{{" not in markdown and "{%" not in markdown and "{#" not in markdown
    assert "[^" not in _OWN_REF.sub("", markdown)


def _render_everything(store: Store) -> None:
    notes = render.PageNotes(store, "topic/page.md")
    calls: list[tuple[Any, tuple[Any, ...]]] = [
        (render.fact_register, ()),
        (render.contested_table, ()),
        (render.source_list, ()),
        (render.timeline, ()),
        (render.facts_table, (list(store.facts),)),
        (render.document_summary, (list(store.sources),)),
    ]
    for fact_id in store.facts:
        calls += [(render.fact, (fact_id,)), (render.date, (fact_id,)), (render.quote, (fact_id,))]
    for source_id in store.sources:
        calls.append((render.cite, (source_id,)))
    for func, args in calls:
        try:
            out = func(store, notes, *args)
        except render.RenderError:
            continue
        _assert_inert(out)
    _assert_inert(notes.render_definitions())


# --- strategies ----------------------------------------------------------------------------------

kebab = st.from_regex(r"\A[a-z]{1,6}(-[a-z0-9]{1,4}){0,2}\Z")
scalars = st.none() | st.booleans() | st.integers() | st.floats() | nasty_text
structures = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(nasty_text, inner, max_size=4), max_leaves=20
)


dates = st.sampled_from(["2025-09-30", "2025-10", "2025"])
bad_dates = st.sampled_from(["2025-02-30", "30/09/2025", "", "2025-13"])
urls = st.sampled_from(["https://example.org/a", "https://example.org/<b>?q=\"x\"&y='z'"])
bad_urls = st.sampled_from(["http://example.org/", "javascript:alert(1)", "https://x", "data:text/html,x"])
# Text a valid ledger may hold: the nasty characters but those validation refuses (tab, carriage
# return, direction override); random structures in broken ledgers bring those too.
words = st.text(alphabet=FORBIDDEN.sub("", NASTY), min_size=1, max_size=30).filter(str.strip)


@st.composite
def ledgers(draw: st.DrawFn) -> dict[str, Any]:
    """A data file shaped like the real ledger with random text; in half of them, wrong values too."""
    broken = draw(st.booleans())

    def pick(good: st.SearchStrategy[Any], bad: st.SearchStrategy[Any] | None = None) -> Any:
        return draw(st.one_of(good, good, good, structures if bad is None else bad, structures) if broken else good)

    source_ids = draw(st.lists(kebab, min_size=1, max_size=3, unique=True))
    sources = [
        {
            "id": _id,
            "title": pick(words),
            "title_en": pick(words),
            "publisher": pick(words),
            "publisher_en": pick(words),
            "author": pick(words),
            "published": pick(dates, bad_dates),
            "accessed": pick(st.sampled_from(["2025-10-01", "2025-11", "2026"]), bad_dates),
            "url": pick(urls, bad_urls),
            "language": pick(st.sampled_from(["en", "zh-Hans"])),
            "kind": pick(st.sampled_from(schema.SOURCE_KINDS), words),
            "tier": pick(st.sampled_from(schema.TIERS), words),
            "note": pick(words),
        }
        for _id in source_ids
    ]
    refs = st.sampled_from(source_ids)
    numbers = st.integers(0, 10**14) | st.floats(0, 1e14, allow_nan=False)
    if broken:
        numbers |= st.integers(-(10**14), -1)
    values = {
        "number": numbers | st.builds(lambda a, b: {"min": min(a, b), "max": max(a, b) + 1}, numbers, numbers),
        "date": dates,
        "text": words,
    }
    bad_values = st.integers() | st.floats() | words | bad_dates | st.just({"min": 5, "max": 1})
    facts: list[dict[str, Any]] = []
    for n in range(draw(st.integers(1, 3))):
        fact_type = draw(st.sampled_from(schema.FACT_TYPES))
        claims: list[dict[str, Any]] = []
        for _ in range(draw(st.integers(1, 3))):
            rank = pick(st.sampled_from(schema.RANKS))
            claim = {
                "value": pick(values[fact_type], bad_values),
                "source": pick(refs, st.just("missing-source")),
                "via": pick(refs, st.just("missing-source")),
                "quote": pick(words),
                "quote_en": pick(words),
                "speaker": pick(words),
                "wording": pick(st.sampled_from(schema.WORDINGS), words),
                "locator": pick(words),
                "qualifiers": pick(st.fixed_dictionaries({"tier": words, "region": words})),
                "rank": rank,
                "rank_reason": pick(words),
                "verdict": pick(st.sampled_from(schema.VERDICTS)),
                "modifier": pick(st.sampled_from(schema.MODIFIERS)),
            }
            optional = ["via", "quote", "speaker", "locator", "qualifiers", "rank", "rank_reason"]
            for key in draw(st.sets(st.sampled_from(optional))):
                del claim[key]
            if "quote" not in claim:
                claim.pop("quote_en")
                claim.pop("wording")
            elif not broken:  # quotation marks only where the rules allow them
                seen = "via" not in claim and "locator" in claim and "speaker" not in claim
                claim["wording"] = "own-words" if seen else "reported"
            if claim.get("via") == claim["source"] or (broken is False and claim.get("via") is None):
                claim.pop("via", None)
            if not broken:
                if claim.get("rank", "normal") != "deprecated":
                    claim.pop("verdict")
                if fact_type != "number":
                    claim.pop("modifier")
                if claim.get("rank", "normal") != "normal":
                    claim["rank_reason"] = claim.get("rank_reason", "a reason")
                if claim.get("rank") == "preferred" and any(c.get("rank") == "preferred" for c in claims):
                    claim["rank"] = "normal"
            claims.append(claim)
        fact: dict[str, Any] = {
            "id": f"{draw(st.sampled_from(['tech', 'industry']))}.fact-{n}",
            "label": pick(words),
            "topic": pick(st.sampled_from(schema.TOPICS)),
            "type": fact_type,
            "note": pick(words),
            "claims": claims,
        }
        if fact_type == "number" or broken:
            fact["unit"] = pick(st.sampled_from(["seconds", "USD", "percent", "count"]), words)
        facts.append(fact)
    cited = {
        c.get(role) for f in facts for c in f["claims"] for role in ("source", "via") if isinstance(c.get(role), str)
    }
    facts[0]["claims"] += [{"value": facts[0]["claims"][0]["value"], "source": s} for s in source_ids if s not in cited]
    events = [
        {
            "id": "event.launch",
            "title": pick(words),
            "label": pick(words),
            "topic": "technology",
            "claims": [{"value": pick(dates, bad_dates), "source": draw(refs)}],
        }
    ]
    name_words = words.filter(lambda w: not plausible.is_only_figures(w))  # a figure is not a name
    names = [{"id": "sora-2", "name": pick(name_words), "aliases": [pick(name_words)]}]
    return {"sources": sources, "facts": facts, "events": events, "names": names}


# --- properties ----------------------------------------------------------------------------------


@SETTINGS
@given(st.text(alphabet=NASTY + "\x00\x07\ufeff", max_size=200))
def test_random_yaml_text_gives_problems_never_an_exception(text: str) -> None:
    store, problems = _load({"facts.yaml": text})
    _assert_one_line_problems(problems)
    _render_everything(store)


@SETTINGS
@given(structures)
def test_random_structure_gives_problems_never_an_exception(data: Any) -> None:
    store, problems = _load({"facts.yaml": yaml.safe_dump(data, allow_unicode=True)})
    _assert_one_line_problems(problems)
    _render_everything(store)


@SETTINGS
@given(ledgers())
def test_random_ledger_loads_and_renders_without_crash_or_markup(ledger: dict[str, Any]) -> None:
    store, problems = _load({"ledger.yaml": yaml.safe_dump(ledger, allow_unicode=True)})
    _assert_one_line_problems(problems)
    _render_everything(store)


@SETTINGS
@given(st.text())
def test_esc_output_is_inert_and_reads_as_the_input(text: str) -> None:
    out = markup.esc(text)
    assert not set(re.sub(r"&#\d+;", "", out)) & set("&<>\"'`*_{}[]()#!|~^:\\")
    assert _entity_decode(out) == " ".join(markup.visible(text).split())


def _entity_decode(text: str) -> str:
    return re.sub(r"&#(\d+);", lambda m: chr(int(m.group(1))), text)


def test_the_ledger_strategy_also_reaches_clean_stores() -> None:
    # Were every random ledger wrong somewhere, the renderers would only ever see half-empty stores.
    clean: list[Store] = []

    @settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
    @given(ledgers())
    def probe(ledger: dict[str, Any]) -> None:
        store, problems = _load({"ledger.yaml": yaml.safe_dump(ledger, allow_unicode=True)})
        if not problems:
            clean.append(store)

    probe()
    assert len(clean) >= 10
