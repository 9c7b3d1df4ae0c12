"""Charts, proven on fixture sites built for real: static SVG with a text alternative, a caption
footnoting its sources, and the same figures in a table that passes the site's figure check."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from tests.sites import FACTS, Build, basic_files, build, error_lines, make_site

CHART_FACTS = """\
  - id: tech.price-plus
    label: Plus plan
    topic: technology
    unit: USD per month
    claims:
      - value: 20
        source: openai-launch
        as_of: 2025-09-30
        qualifiers: {tier: Plus}
  - id: industry.price-rival
    label: Rival plan
    topic: industry
    unit: USD per month
    claims:
      - value: {min: 30, max: 50}
        source: doc-a
        as_of: 2025-10
        qualifiers: {period: October 2025}
  - id: tech.max-duration-launch
    label: Longest clip at launch
    topic: technology
    unit: seconds
    product: sora-2
    claims:
      - value: 10
        source: openai-launch
        as_of: 2025-09-30
        qualifiers: {tier: standard}
events:
  - id: event.launch
    title: Sora 2 launches
    label: Launch date
    topic: technology
    claims:
      - value: 2025-09-30
        source: openai-launch
  - id: event.reversal
    title: Opt-in promised
    label: Reversal date
    topic: copyright
    claims:
      - value: 2025-10-03
        source: doc-a
      - value: 2025-10-04
        source: doc-b
"""

CHARTS_PAGE = """\
# Charts

{{ chart_bars(["industry.downloads"], title="Downloads as each source reports them", every_source=true) }}

{{ chart_bars(["tech.price-plus", "industry.price-rival"], title="Monthly prices", labels=["Plus", "Rival"]) }}

{{ chart_by_date(["tech.max-duration-launch", "tech.max-duration"], title="Longest clip by date") }}

{{ chart_timeline(["event.launch", "event.reversal"], title="What happened") }}
"""


def _files(page: str = CHARTS_PAGE, facts: str = FACTS + CHART_FACTS) -> dict[str, str]:
    return basic_files(**{"data/facts.yaml": facts, "docs/charts.md": page})


@pytest.fixture(scope="module")
def chart_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The fixture site with a page of charts, built once for the tests that only read it."""
    result = build(make_site(tmp_path_factory.mktemp("charts"), _files()))
    assert result.returncode == 0, result.output
    return result


@pytest.fixture
def charts(chart_site: Build) -> dict[str, str]:
    """Each chart of the fixture site's charts page, by its title."""
    return _figures(chart_site.article("charts/index.html"))


def _figures(article: str) -> dict[str, str]:
    """Each chart of a page by its title."""
    figures = re.findall(r'<figure class="chart[^"]*" id="[^"]+">.*?</figure>', article, re.S)
    titled = {}
    for figure in figures:
        title = re.search(r"<title id=\"[^\"]+\">([^<]*)</title>", figure)
        assert title, figure[:300]
        titled[html.unescape(title.group(1))] = figure
    return titled


def _svg(figure: str) -> str:
    match = re.search(r"<svg .*</svg>", figure, re.S)
    assert match
    return match.group()


def _svg_text(figure: str) -> list[str]:
    return [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", _svg(figure))]


def _table_values(figure: str) -> list[tuple[str, str]]:
    """(value, footnote label) for each figure in the chart's table."""
    table = figure[figure.index("<table>") :]
    found = re.findall(
        r'<span class="fig" data-fact="[^"]+">([^<]*)</span><sup id="fnref[^"]*"><a class="footnote-ref" '
        r'href="#fn:([^"]+)">',
        table,
    )
    return [(html.unescape(v), ref) for v, ref in found]


def test_each_chart_is_inline_svg_with_a_name_a_description_and_a_footnoted_caption(charts: dict[str, str]) -> None:
    figures = charts
    assert sorted(figures) == [
        "Downloads as each source reports them",
        "Longest clip by date",
        "Monthly prices",
        "What happened",
    ]
    for title, figure in figures.items():
        svg = _svg(figure)
        root = re.match(r"<svg ([^>]*)>", svg)
        assert root
        key = re.search(r'aria-labelledby="([^ "]+)-title" aria-describedby="\1-desc"', root.group(1))
        assert key and 'role="img"' in root.group(1), title
        assert f'<desc id="{key.group(1)}-desc">' in svg
        # Nothing runs and nothing is fetched: no script, no link, no external image or font.
        assert not re.search(r"<script|<a |<image|<style|href=|url\(", svg), title
        caption = re.search(r"<figcaption>(.*?)</figcaption>", figure, re.S)
        assert caption and re.search(r'<sup id="fnref[^"]*"><a class="footnote-ref"', caption.group(1)), title
        assert "<details" in figure and "<table>" in figure, title


def test_a_chart_draws_every_value_of_each_source_and_tabulates_it_with_its_footnote(charts: dict[str, str]) -> None:
    figure = charts["Downloads as each source reports them"]
    drawn = _svg_text(figure)
    assert "over 1 million downloads" in drawn and "627,000 downloads" in drawn
    assert "Dingjiao One" in drawn and "Jiedian Caijing" in drawn
    assert _table_values(figure) == [("over 1 million downloads", "doc-a"), ("627,000 downloads", "doc-b")]
    desc = re.search(r"<desc[^>]*>([^<]*)</desc>", figure)
    assert desc and "over 1 million downloads" in html.unescape(desc.group(1))
    assert "627,000 downloads" in html.unescape(desc.group(1))
    assert 'href="../contested/"' in figure  # sources differ: the caption says so and links the page


def test_ranges_and_page_labels_are_drawn_and_tabulated(charts: dict[str, str]) -> None:
    figure = charts["Monthly prices"]
    drawn = _svg_text(figure)
    assert {"Plus", "Rival", "$20 a month", "$30–$50 a month"} <= set(drawn)
    assert _table_values(figure) == [("$20 a month", "openai-launch"), ("$30–$50 a month", "doc-a")]


def test_the_table_says_when_a_value_held_once(charts: dict[str, str]) -> None:
    table = charts["Monthly prices"]
    table = html.unescape(re.sub(r"<[^>]+>", "", table[table.index("<table>") :]))
    assert "Plus, as of 30 September 2025" in table  # a qualifier that is not a date: the date follows
    # The rival's period qualifier already names the month it held: not "October 2025, as of October 2025".
    assert table.count("October 2025") == 1, table


def test_values_over_time_sit_at_their_dates_in_named_series(charts: dict[str, str]) -> None:
    figure = charts["Longest clip by date"]
    drawn = _svg_text(figure)
    assert {"Sora 2, standard", "Longest clip", "10 seconds", "25 seconds"} <= set(drawn)
    rows = re.findall(r"<tr>\s*<td><span class=\"from-data\">([^<]*)</span></td>", figure)
    assert rows == ["30 September 2025", "30 September 2025"]


def test_timeline_draws_every_date_sources_give_for_an_event(charts: dict[str, str]) -> None:
    figure = charts["What happened"]
    drawn = " ".join(_svg_text(figure))
    assert "30 September 2025: Sora 2 launches" in drawn
    assert "3 October 2025 or 4 October 2025 (sources differ): Opt-in promised" in drawn
    assert _table_values(figure) == [
        ("30 September 2025", "openai-launch"),
        ("3 October 2025", "doc-a"),
        ("4 October 2025", "doc-b"),
    ]


def test_deprecated_claims_are_never_drawn(tmp_path: Path) -> None:
    page = '# Charts\n\n{{ chart_bars(["tech.max-duration"], title="Clip length", every_source=true) }}\n'
    result = build(make_site(tmp_path, _files(page=page)))
    assert result.returncode == 0, result.output
    figure = _figures(result.article("charts/index.html"))["Clip length"]
    assert "25 seconds" in _svg_text(figure)
    assert "60 seconds" not in figure  # the original Sora's limit, deprecated in the ledger


def test_facts_in_different_units_fail_the_build_naming_page_and_chart(tmp_path: Path) -> None:
    page = '# Charts\n\n{{ chart_bars(["tech.max-duration", "industry.downloads"], title="Mixed") }}\n'
    result = build(make_site(tmp_path, _files(page=page)))
    assert result.returncode != 0
    assert "Traceback" not in result.output
    assert any(
        line.startswith("charts.md: chart_bars(): the facts of one chart must be numbers in one unit")
        for line in error_lines(result.output)
    ), result.output


def test_a_figure_typed_into_a_chart_label_fails_the_figure_check(tmp_path: Path) -> None:
    page = '# Charts\n\n{{ chart_bars(["tech.price-plus"], title="Prices", labels=["Plan at 20 dollars"]) }}\n'
    result = build(make_site(tmp_path, _files(page=page)))
    assert result.returncode != 0
    assert any(
        line.startswith("charts/index.html: figure not from data") and "20 dollars" in line
        for line in error_lines(result.output)
    ), result.output


def test_markup_and_template_syntax_in_data_reach_a_chart_as_text(tmp_path: Path) -> None:
    hostile = "<script>alert(1)</script> {{ 7*7 }} *x* [^1]"
    facts = FACTS.replace("label: Downloads in the first five days", f"label: {json.dumps(hostile)}") + CHART_FACTS
    page = '# Charts\n\n{{ chart_bars(["industry.downloads"], title="Hostile") }}\n'
    result = build(make_site(tmp_path, _files(page=page, facts=facts)))
    assert result.returncode == 0, result.output
    figure = _figures(result.article("charts/index.html"))["Hostile"]
    assert "<script" not in figure and "<em>" not in figure and "49" not in figure
    assert hostile in " ".join(_svg_text(figure))


def test_charts_are_identical_in_two_builds(chart_site: Build, tmp_path: Path) -> None:
    again = build(make_site(tmp_path, _files()))
    assert again.returncode == 0, again.output
    assert again.page("charts/index.html") == chart_site.page("charts/index.html")
