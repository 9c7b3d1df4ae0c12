"""The evidence rules (macros/evidence.py), proven on small sites built for real: one per rule."""

from __future__ import annotations

import html as htmllib
import json
import re
from pathlib import Path

from macros.ledger.evidence import summary
from macros.ledger.validate import load_store
from tests.sites import FACTS, SOURCES, basic_files, build, error_lines, make_site

WEAK_SOURCE = """\
  - id: forum-thread
    title: A thread
    title_en: A thread
    publisher: Example Forum
    accessed: 2026-11-21
    url: https://forum.example.org/thread
    language: en
    kind: blog
    tier: weak
  - id: agency
    title: Agency report
    title_en: Agency report
    publisher: Example Agency
    accessed: 2026-11-21
    url: https://agency.example.org/report
    language: en
    kind: news
    tier: established
  - id: paper
    title: Paper report
    title_en: Paper report
    publisher: Example Paper
    accessed: 2026-11-21
    url: https://paper.example.org/report
    language: en
    kind: news
    tier: established
"""

EXTRA_FACTS = """\
  - id: tech.via-only
    label: A figure OpenAI gave, read only as a document reports it
    topic: technology
    unit: seconds
    claims:
      - value: 15
        source: openai-launch
        via: doc-a
  - id: industry.forum-figure
    label: A figure only a forum gives
    topic: industry
    unit: count
    claims:
      - value: 40
        source: forum-thread
  - id: industry.two-outlets
    label: A figure two outlets report
    topic: industry
    unit: count
    claims:
      - value: 7
        source: agency
      - value: 7
        source: paper
  - id: risks.remark
    label: A remark only a document reports
    topic: risks
    type: text
    claims:
      - value: The app was made for fun
        source: doc-a
        speaker: Sam Altman
        quote: 这个应用是为了好玩
        quote_en: The app was made for fun
        wording: reported
  - id: risks.statement
    label: A statement in the company's own words
    topic: risks
    type: text
    claims:
      - value: Consent comes first
        source: openai-launch
        locator: second paragraph
        quote: Consent comes first.
        quote_en: Consent comes first.
        wording: own-words
"""

PAGE = """\
# Briefing

Clips ran to {{ fact("tech.via-only") }}. A forum counted {{ fact("industry.forum-figure") }}.
Outlets counted {{ fact("industry.two-outlets") }}. The app reached {{ fact("industry.downloads") }}.

{{ quote("risks.remark") }}

{{ quote("risks.statement") }}
"""


def _site(tmp_path: Path, facts: str = FACTS + EXTRA_FACTS, page: str = PAGE) -> Path:
    files = basic_files(**{"data/sources.yaml": SOURCES + WEAK_SOURCE, "data/facts.yaml": facts, "docs/index.md": page})
    return make_site(tmp_path, files)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", "", html)))


def test_each_status_comes_from_its_rule_in_the_register_and_the_downloads(tmp_path: Path) -> None:
    result = build(_site(tmp_path))
    assert result.returncode == 0, result.output
    facts = {f["id"]: f for f in json.loads((result.site / "data" / "facts.json").read_text())["facts"]}
    assert {i: (f["status"], f["status_rule"]) for i, f in facts.items()} == {
        "tech.max-duration": ("confirmed", "primary-read"),
        "tech.via-only": ("attributed", "primary-via"),
        "industry.forum-figure": ("unconfirmed", "weak-only"),
        "industry.two-outlets": ("confirmed", "two-established"),
        "industry.downloads": ("contested", "disagree"),
        "risks.remark": ("attributed", "single"),
        "risks.statement": ("confirmed", "primary-read"),
    }
    register = _text(result.article("facts/index.html"))
    assert "tech.via-only · status: attributed (rule primary-via:" in register
    assert "Example Forum (weak)" in register
    sources = {s["id"]: s for s in json.loads((result.site / "data" / "sources.json").read_text())["sources"]}
    assert sources["forum-thread"]["tier"] == "weak"
    header = (result.site / "data" / "facts.csv").read_text().splitlines()[0].split(",")
    assert {"status_rule", "source_tier", "wording"} <= set(header)


def test_a_primary_source_reached_only_through_a_document_is_not_confirmed(tmp_path: Path) -> None:
    result = build(_site(tmp_path))
    assert result.returncode == 0, result.output
    text = _text(result.article())
    assert "Clips ran to 15 seconds1 (OpenAI, as reported by Dingjiao One)." in text


def test_a_figure_only_weak_sources_give_is_marked_as_an_unconfirmed_report(tmp_path: Path) -> None:
    result = build(_site(tmp_path))
    assert result.returncode == 0, result.output
    article = result.article()
    assert re.search(
        r'data-fact="industry.forum-figure">40</span><sup[^>]*>.*?</sup>'
        r'<span class="from-data unconfirmed"> \(unconfirmed report, according to Example Forum\)</span>',
        article,
    )
    assert "Outlets counted 7" in _text(article)
    assert "according to Example Agency" not in _text(article)


def test_a_paraphrase_is_shown_as_reported_speech_without_quotation_marks(tmp_path: Path) -> None:
    result = build(_site(tmp_path))
    assert result.returncode == 0, result.output
    article = result.article()
    reported = re.search(r'<span class="reported from-data">(.*?)</span>', article)
    assert reported, article
    assert "<q" not in reported.group(1) and "“" not in reported.group(1)
    assert _text(reported.group(1)) == (
        "Sam Altman said, according to Dingjiao One (our translation), in substance: The app was made for fun"
    )
    own = re.search(r'<span class="quote from-data">(.*?)</span>', article)
    assert own and own.group(1).startswith('<q lang="en">Consent comes first.</q>, OpenAI')


def test_a_time_sensitive_figure_says_when_it_held(tmp_path: Path) -> None:
    result = build(_site(tmp_path))
    assert result.returncode == 0, result.output
    assert "The app reached over 1 million downloads, as of 8 October 2025" in _text(result.article())


def test_a_time_sensitive_figure_without_a_date_fails_with_its_file_and_line(tmp_path: Path) -> None:
    facts = FACTS.replace("        as_of: 2025-10-06\n", "") + EXTRA_FACTS
    result = build(_site(tmp_path, facts))
    assert result.returncode != 0
    assert "Traceback" not in result.output
    assert error_lines(result.output)[0] == (
        "data/facts.yaml:25: fact 'industry.downloads': claim 2 has no as_of; a figure that changes over time "
        "(unit 'downloads') must say when it held"
    )
    assert not (tmp_path / "site" / "index.html").exists()


def test_quotation_marks_for_words_nobody_here_saw_fail_the_build(tmp_path: Path) -> None:
    facts = FACTS + EXTRA_FACTS.replace(
        "        wording: reported\n", "        wording: direct-quote\n        locator: paragraph 3\n"
    )
    result = build(_site(tmp_path, facts))
    assert result.returncode != 0
    assert "Traceback" not in result.output
    assert error_lines(result.output)[0] == (
        "data/facts.yaml:62: fact 'risks.remark': claim 1: wording 'direct-quote' needs a primary or established "
        "source; 'doc-a' is secondary, so the wording is 'reported'"
    )


def test_the_correct_value_deprecated_as_wrong_fails_the_build(tmp_path: Path) -> None:
    inverted = FACTS.replace("      - value: 60\n", "      - value: 25\n").replace(
        "        verdict: other-product\n", "        verdict: wrong\n"
    )
    result = build(_site(tmp_path, inverted + EXTRA_FACTS))
    assert result.returncode != 0
    assert error_lines(result.output)[0] == (
        "data/facts.yaml:11: fact 'tech.max-duration': claim 2 is deprecated as wrong but gives the preferred value "
        "of claim 1; one of the two ranks is on the wrong claim"
    )


def test_corrections_are_rendered_from_the_register_not_typed(tmp_path: Path) -> None:
    page = "# Briefing\n\n{{ fact('tech.max-duration') }}\n\n{{ corrections('tech.max-duration') }}\n"
    result = build(_site(tmp_path, page=page))
    assert result.returncode == 0, result.output
    assert "Dingjiao One gave 60 seconds: true of another product. The original Sora's limit" in _text(result.article())
    page = "# Briefing\n\n{{ corrections('industry.downloads') }}\n"
    result = build(_site(tmp_path / "none", page=page))
    assert result.returncode != 0
    assert (
        "index.md: corrections(): fact 'industry.downloads' has no deprecated claim: the register holds no correction"
        in error_lines(result.output)
    )


def test_the_methodology_page_prints_the_rules_the_build_applies(tmp_path: Path) -> None:
    page = "# Method\n\n{{ evidence_rules() }}\n"
    result = build(_site(tmp_path, page=page))
    assert result.returncode == 0, result.output
    text = _text(result.article())
    for words in ("primary-read confirmed", "two-established confirmed", "weak-only unconfirmed", "reported"):
        assert words in text


def test_make_check_summarises_the_strength_of_the_ledger(tmp_path: Path) -> None:
    site = _site(tmp_path)
    store, problems = load_store(site / "data", site)
    assert [p for p in problems if "is not cited" not in p.message] == []
    assert summary(store) == (
        "facts by status: 3 confirmed, 2 attributed, 1 contested, 1 unconfirmed, 0 rejected; "
        "claims resting on a primary source read at its address: 2"
    )


def test_agreeing_claims_are_one_figure_with_every_footnote_and_the_latest_date(tmp_path: Path) -> None:
    facts = (
        FACTS
        + EXTRA_FACTS
        + (
            "  - id: industry.price\n    label: A price\n    topic: industry\n    unit: USD per month\n    claims:\n"
            "      - value: 20\n        source: agency\n        as_of: 2025-10\n"
            "      - value: 20\n        modifier: about\n        source: doc-b\n        as_of: 2025-12-01\n"
        )
    )
    page = "# Briefing\n\nIt cost {{ fact('industry.price') }}.\n"
    result = build(_site(tmp_path, facts, page))
    assert result.returncode == 0, result.output
    assert "It cost $20 a month, as of 1 December 202512 (according to Example Agency)." in _text(result.article())


def test_reported_words_without_a_speaker_are_the_source_s_own_report(tmp_path: Path) -> None:
    facts = FACTS + EXTRA_FACTS.replace("        speaker: Sam Altman\n", "")
    result = build(_site(tmp_path, facts))
    assert result.returncode == 0, result.output
    reported = re.search(r'<span class="reported from-data">(.*?)</span>', result.article())
    assert reported and _text(reported.group(1)) == (
        "according to Dingjiao One (our translation), in substance: The app was made for fun"
    )


def test_reported_words_read_in_another_document_name_that_document(tmp_path: Path) -> None:
    facts = FACTS + EXTRA_FACTS.replace(
        "        source: doc-a\n        speaker: Sam Altman\n",
        "        source: openai-launch\n        via: doc-a\n        speaker: Sam Altman\n",
    )
    result = build(_site(tmp_path, facts))
    assert result.returncode == 0, result.output
    reported = re.search(r'<span class="reported from-data">(.*?)</span>', result.article())
    assert reported and _text(reported.group(1)).startswith("Sam Altman said, according to Dingjiao One")
