"""Behaviour proven end to end: each test builds a small MkDocs project for real and reads it."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from tests.sites import FACTS, SOURCES, basic_files, build, error_lines, make_site


def test_contested_fact_renders_every_value_with_its_footnote(tmp_path: Path) -> None:
    result = build(make_site(tmp_path, basic_files()))
    assert result.returncode == 0, result.output
    article = result.article()
    figures = re.findall(
        r'<span class="fig" data-fact="industry.downloads">([^<]*)<span class="as-of">([^<]*)</span></span>'
        r'<sup id="fnref[^"]*"><a class="footnote-ref" href="#fn:([^"]+)">',
        article,
    )
    assert figures == [
        ("over 1 million downloads", ", as of 8 October 2025", "doc-a"),
        ("627,000 downloads", ", as of 6 October 2025", "doc-b"),
    ]
    assert 'class="sources-differ" href="contested/#industry.downloads"' in article
    contested = result.article("contested/index.html")
    assert 'id="industry.downloads"' in contested
    assert "627,000 downloads" in contested and "over 1 million downloads" in contested


def test_deprecated_claim_never_renders_inline(tmp_path: Path) -> None:
    result = build(make_site(tmp_path, basic_files()))
    assert result.returncode == 0, result.output
    assert "60 seconds" not in result.article()
    assert "25 seconds" in result.article()
    register = result.article("facts/index.html")
    assert re.search(r'<span class="fig deprecated" data-fact="tech.max-duration">60 seconds</span>', register)


def test_unknown_source_fails_the_build_naming_file_and_line(tmp_path: Path) -> None:
    facts = FACTS.replace("        source: openai-launch\n", "        source: openai-lanch\n")
    result = build(make_site(tmp_path, basic_files(**{"data/facts.yaml": facts})))
    assert result.returncode != 0
    assert "Traceback" not in result.output
    assert error_lines(result.output)[0] == (
        "data/facts.yaml:8: fact 'tech.max-duration': claim 1 names unknown source 'openai-lanch' "
        "(did you mean 'openai-launch'?)"
    )
    assert not (tmp_path / "site" / "index.html").exists()


def test_number_typed_into_a_page_fails_the_figure_check(tmp_path: Path) -> None:
    page = "# Briefing\n\nThe app reached 627,000 downloads in its first week.\n"
    result = build(make_site(tmp_path, basic_files(**{"docs/index.md": page})))
    assert result.returncode != 0
    assert 'index.html: figure not from data: "The app reached 627,000 downloads in its first…"' in error_lines(
        result.output
    )


def test_number_written_in_words_fails_the_figure_check(tmp_path: Path) -> None:
    page = "# Briefing\n\nThe app passed one million downloads in three days. {{ fact('tech.max-duration') }}\n"
    result = build(make_site(tmp_path, basic_files(**{"docs/index.md": page})))
    assert result.returncode != 0
    lines = error_lines(result.output)
    assert any(line.startswith('index.html: figure not from data: "The app passed one million') for line in lines)
    assert any("in three days" in line for line in lines), lines


def test_a_multiple_written_as_a_word_fails_the_figure_check(tmp_path: Path) -> None:
    page = (
        "# Briefing\n\nDownloads roughly doubled in a week and sales grew twice as fast.\n\n"
        "{{ fact('tech.max-duration') }}\n"
    )
    result = build(make_site(tmp_path, basic_files(**{"docs/index.md": page})))
    assert result.returncode != 0
    lines = error_lines(result.output)
    assert any("roughly doubled in a week" in line for line in lines), lines
    assert any("grew twice as fast" in line for line in lines), lines


def test_registered_names_are_not_figures(tmp_path: Path) -> None:
    page = "# Briefing\n\nSora 2 is the subject. {{ fact('tech.max-duration') }}\n"
    result = build(make_site(tmp_path, basic_files(**{"docs/index.md": page})))
    assert result.returncode == 0, result.output


def test_script_and_template_syntax_in_data_come_out_as_text(tmp_path: Path) -> None:
    hostile = "<script>alert(1)</script> {{ 7*7 }} *x* [^1] [a](javascript:alert(1))"
    facts = FACTS + (
        "  - id: industry.hostile\n"
        f"    label: {json.dumps(hostile)}\n"
        "    topic: industry\n"
        "    type: text\n"
        "    claims:\n"
        f"      - value: {json.dumps(hostile)}\n"
        "        source: doc-a\n"
    )
    page = "# Briefing\n\nSaid: {{ fact('industry.hostile') }}. {{ fact('tech.max-duration') }}\n"
    result = build(make_site(tmp_path, basic_files(**{"data/facts.yaml": facts, "docs/index.md": page})))
    assert result.returncode == 0, result.output
    for name in ("index.html", "facts/index.html"):
        article = result.article(name)
        assert "<script" not in article
        assert "49" not in article
        assert "javascript:" not in article
        text = html.unescape(re.sub(r"<[^>]+>", "", article))
        assert hostile in text


def test_footnotes_are_numbered_by_first_use(tmp_path: Path) -> None:
    # A list, a Markdown-in-HTML block (as timeline() writes) and a table come first: Python-Markdown's
    # own "document order" walks some of those out of reading order.
    page = (
        "# Briefing\n\n- First {{ fact('industry.downloads') }}\n- then {{ fact('tech.max-duration') }}\n\n"
        '<div class="timeline" markdown>\n\n- {{ fact("tech.max-duration") }}\n\n</div>\n\n'
        "| a | b |\n|---|---|\n| {{ fact('tech.max-duration') }} | x |\n\n"
        "And again {{ fact('industry.downloads') }}.\n"
    )
    result = build(make_site(tmp_path, basic_files(**{"docs/index.md": page})))
    assert result.returncode == 0, result.output
    numbers = re.findall(r'href="#fn:([^"]+)">(\d+)</a>', result.article())
    assert numbers[:3] == [("doc-a", "1"), ("doc-b", "2"), ("openai-launch", "3")]
    assert numbers[3:] == [("openai-launch", "3"), ("openai-launch", "3"), ("doc-a", "1"), ("doc-b", "2")]
    assert re.findall(r'<li id="fn:([^"]+)"', result.article()) == ["doc-a", "doc-b", "openai-launch"]


def test_single_secondary_source_reads_as_attributed(tmp_path: Path) -> None:
    facts = FACTS + (
        "  - id: industry.rank\n    label: Chart position\n    topic: industry\n    unit: rank\n"
        "    claims:\n      - value: 1\n        source: doc-b\n        as_of: 2025-10-03\n"
    )
    page = "# Briefing\n\n{{ fact('industry.rank') }} {{ fact('tech.max-duration') }}\n"
    result = build(make_site(tmp_path, basic_files(**{"data/facts.yaml": facts, "docs/index.md": page})))
    assert result.returncode == 0, result.output
    article = result.article()
    assert re.search(
        r">No\. 1<span class=\"as-of\">, as of 3 October 2025</span></span><sup[^>]*>.*?</sup>"
        r"<span class=\"from-data\"> \(according to Jiedian Caijing\)",
        article,
    )
    assert "according to OpenAI" not in article


def test_unknown_fact_on_a_page_fails_with_one_line(tmp_path: Path) -> None:
    page = "# Briefing\n\n{{ fact('tech.no-such-fact') }}\n"
    result = build(make_site(tmp_path, basic_files(**{"docs/index.md": page})))
    assert result.returncode != 0
    assert "Traceback" not in result.output
    assert "index.md: fact(): unknown fact 'tech.no-such-fact'" in error_lines(result.output)


def test_downloads_hold_every_claim(tmp_path: Path) -> None:
    result = build(make_site(tmp_path, basic_files()))
    assert result.returncode == 0, result.output
    facts = json.loads((result.site / "data" / "facts.json").read_text())["facts"]
    by_id = {f["id"]: f for f in facts}
    assert [c["value"] for c in by_id["tech.max-duration"]["claims"]] == [25, 60]
    assert by_id["industry.downloads"]["status"] == "contested"
    sources = json.loads((result.site / "data" / "sources.json").read_text())["sources"]
    assert {s["id"] for s in sources} == {"openai-launch", "doc-a", "doc-b"}
    rows = (result.site / "data" / "facts.csv").read_text().splitlines()
    assert len(rows) == 1 + 4


def test_sources_page_counts_claims_per_document(tmp_path: Path) -> None:
    result = build(make_site(tmp_path, basic_files()))
    assert result.returncode == 0, result.output
    text = html.unescape(re.sub(r"<[^>]+>", "", result.article("sources/index.html")))
    assert "Claims: 1 used, 1 corrected, 0 rejected as unverified." in text


def test_sources_stay_valid_without_their_page(tmp_path: Path) -> None:
    # A source nobody cites is a data error even when no page uses it.
    sources = SOURCES + (
        "  - id: orphan\n    title: T\n    title_en: T\n    publisher: P\n    accessed: 2026-11-21\n"
        "    language: en\n    kind: blog\n    tier: secondary\n"
    )
    result = build(make_site(tmp_path, basic_files(**{"data/sources.yaml": sources})))
    assert result.returncode != 0
    assert "data/sources.yaml:33: source 'orphan' is not cited by any claim" in error_lines(result.output)


def test_a_topic_register_page_holds_its_facts_and_every_link_goes_there(tmp_path: Path) -> None:
    """With docs/facts/<topic>.md, a topic's facts move from facts.md to that page, and so do the
    links to their entries; the other topics stay on facts.md."""
    files = basic_files(
        **{
            "docs/facts.md": "# Register\n\n{{ register_contents() }}\n\n{{ fact_register() }}\n",
            "docs/facts/technology.md": "# Technology\n\n{{ fact_register('technology') }}\n",
            "docs/more.md": "# More\n\n{{ facts_table(['tech.max-duration', 'industry.downloads']) }}\n",
        }
    )
    result = build(make_site(tmp_path, files))
    assert result.returncode == 0, result.output
    technology = result.article("facts/technology/index.html")
    assert '<h2 id="tech.max-duration">' in technology and 'id="industry.downloads"' not in technology
    register = result.article("facts/index.html")
    assert 'id="industry.downloads"' in register and 'id="tech.max-duration"' not in register
    assert '<a href="technology/">Technology</a>' in register  # the contents link to the topic's page
    assert '<a href="#industry">Industry</a>' in register  # a topic left on this page, under its heading
    more = result.article("more/index.html")
    assert 'href="../facts/technology/#tech.max-duration"' in more
    assert 'href="../facts/#industry.downloads"' in more


def test_an_unknown_register_topic_is_one_line_naming_the_page(tmp_path: Path) -> None:
    files = basic_files(**{"docs/facts/technology.md": "# T\n\n{{ fact_register('tech') }}\n"})
    result = build(make_site(tmp_path, files))
    assert result.returncode != 0 and "Traceback" not in result.output
    assert (
        "facts/technology.md: fact_register(): unknown topic 'tech' (use technology, industry, copyright, risks, "
        "after-launch)" in ("\n".join(error_lines(result.output)))
    )
