"""Hostile text in every text field of every record kind comes out as text, never as markup.

One fixture site fills every text field of a name, a source, two facts, their claims and an event
with HTML, script tags, Markdown links to javascript:, footnote, attribute-list, abbreviation and
template syntax, and uses them through every macro. The built site must hold nothing active that a
clean build does not hold, and each hostile string must be readable on the page as typed.
"""

from __future__ import annotations

import csv
import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest

from tests.sites import Build, build, make_site

# Each piece is something Markdown, its extensions, Jinja or a browser would act on.
HOSTILE = (
    "<script>alert(1)</script> <img src=x onerror=alert(1)> [a](javascript:alert(1)) [^doc-a] [^1] "
    "{{ 7*7 }} {% if x %} {# c #} *em* __b__ `c` ~~d~~ { onclick=x } {: .x } *[HTML]: abbr "
    "<!-- c --> &lt;b&gt; &amp; \\* | p | ]]>"
)
assert len(HOSTILE) < 280  # leaves room for a field's marker within the 300-character limit

# The registers of text fields: (record, field) for everything a contributor types as prose.
TEXT_FIELDS = [
    ("name", "name"),
    ("name", "maker"),
    ("name", "note"),
    ("source", "title"),
    ("source", "title_en"),
    ("source", "publisher"),
    ("source", "publisher_en"),
    ("source", "author"),
    ("source", "note"),
    ("text-fact", "label"),
    ("text-fact", "note"),
    ("text-claim", "value"),
    ("text-claim", "locator"),
    ("text-claim", "quote"),
    ("text-claim", "quote_en"),
    ("text-claim", "speaker"),
    ("text-claim", "rank_reason"),
    ("text-claim", "tier"),
    ("text-claim", "surface"),
    ("text-claim", "region"),
    ("text-claim", "model"),
    ("text-claim", "period"),
    ("old-claim", "rank_reason"),
    ("number-fact", "label"),
    ("number-fact", "note"),
    ("event", "title"),
    ("event", "label"),
    ("event", "note"),
]
# Kept in the ledger but shown on no page: they must still break nothing.
NOT_SHOWN = {("name", "maker"), ("name", "note")}


def marker(record: str, name: str) -> str:
    return f"{record} {name}".replace("_", " ").upper()


def hostile(record: str, name: str) -> str:
    """The text of one field: a marker saying which field it is, then the hostile string."""
    return json.dumps(f"{marker(record, name)} {HOSTILE}", ensure_ascii=False)


h = hostile  # short, so the YAML below stays readable


def hostile_files() -> dict[str, str]:
    sources = f"""\
names:
  - id: sora-2
    name: {h("name", "name")}
    maker: {h("name", "maker")}
    aliases: [{h("name", "alias")}]
    note: {h("name", "note")}
sources:
  - id: openai-launch
    title: {h("source", "title")}
    title_en: {h("source", "title_en")}
    publisher: {h("source", "publisher")}
    publisher_en: {h("source", "publisher_en")}
    author: {h("source", "author")}
    published: 2025-09-30
    accessed: 2026-11-21
    url: 'https://example.org/"><script>alert(1)</script>?q=javascript:alert(1)'
    archive_url: "https://example.org/'onmouseover='alert(1)'"
    language: en
    kind: primary
    tier: primary
    note: {h("source", "note")}
  - id: doc-a
    title: Plain document
    title_en: Plain document
    publisher: Plain outlet
    accessed: 2026-11-21
    language: en
    kind: news
    tier: secondary
"""
    facts = f"""\
facts:
  - id: copyright.statement
    label: {h("text-fact", "label")}
    topic: copyright
    type: text
    product: sora-2
    note: {h("text-fact", "note")}
    claims:
      - value: {h("text-claim", "value")}
        source: openai-launch
        via: doc-a
        locator: {h("text-claim", "locator")}
        quote: {h("text-claim", "quote")}
        quote_en: {h("text-claim", "quote_en")}
        speaker: {h("text-claim", "speaker")}
        wording: reported
        qualifiers:
          tier: {h("text-claim", "tier")}
          surface: {h("text-claim", "surface")}
          region: {h("text-claim", "region")}
          model: {h("text-claim", "model")}
          period: {h("text-claim", "period")}
        rank: preferred
        rank_reason: {h("text-claim", "rank_reason")}
      - value: "=HYPERLINK(\\"https://example.org\\", \\"a spreadsheet formula\\")"
        source: doc-a
        rank: deprecated
        verdict: superseded
        rank_reason: {h("old-claim", "rank_reason")}
  - id: industry.downloads
    label: {h("number-fact", "label")}
    topic: industry
    unit: downloads
    note: {h("number-fact", "note")}
    claims:
      - value: 1000000
        source: doc-a
        as_of: 2025-10-06
      - value: 627000
        source: openai-launch
        as_of: 2025-10-07
events:
  - id: event.launch
    title: {h("event", "title")}
    label: {h("event", "label")}
    topic: technology
    note: {h("event", "note")}
    claims:
      - value: 2025-09-30
        source: openai-launch
"""
    page = """\
# Briefing

The statement: {{ fact("copyright.statement") }}. The figure: {{ fact("industry.downloads") }}.
On {{ date("event.launch") }} it began. In its words: {{ quote("copyright.statement") }}.
As reported.{{ cite("openai-launch", via="doc-a") }}

{{ facts_table(["copyright.statement", "industry.downloads"]) }}

{{ timeline() }}

{{ document_summary(["openai-launch", "doc-a"]) }}
"""
    return {
        "data/sources.yaml": sources,
        "data/facts.yaml": facts,
        "docs/index.md": page,
        "docs/facts.md": "# Register\n\n{{ fact_register() }}\n",
        "docs/contested.md": "# Contested\n\n{{ contested_table() }}\n",
        "docs/sources.md": "# Sources\n\n{{ source_list() }}\n",
    }


def clean_files() -> dict[str, str]:
    """The same project with every hostile field replaced by plain words."""
    files = hostile_files()
    for record, name in [*TEXT_FIELDS, ("name", "alias")]:
        for path in ("data/sources.yaml", "data/facts.yaml"):
            files[path] = files[path].replace(hostile(record, name), json.dumps(f"plain {record} {name}"))
    files["data/sources.yaml"] = re.sub(
        r"(url|archive_url): .*", r"\1: https://example.org/plain", files["data/sources.yaml"]
    )
    return files


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    result = build(make_site(tmp_path_factory.mktemp("hostile"), hostile_files()))
    assert result.returncode == 0, result.output
    return result


@pytest.fixture(scope="module")
def clean_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    result = build(make_site(tmp_path_factory.mktemp("clean"), clean_files()))
    assert result.returncode == 0, result.output
    return result


PAGES = ["index.html", "facts/index.html", "contested/index.html", "sources/index.html"]
ACTIVE_TAGS = {"script", "iframe", "object", "embed", "form", "style", "base", "meta", "link", "frame", "svg"}


@dataclass
class _Active(HTMLParser):
    """Everything in a page that can run or load something: active tags, handlers, script URLs."""

    found: list[str]

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta" and any((v or "").startswith(("og:", "twitter:")) for _, v in attrs):
            # A link preview quotes the page's own text, inert inside an attribute.
            attrs = [(n, "(page text)" if n == "content" else v) for n, v in attrs]
        if tag in ACTIVE_TAGS:
            self.found.append(f"<{tag} {sorted(attrs)}>")
        self.in_script = tag == "script"
        for name, value in attrs:
            text = (value or "").strip().lower()
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}={value}>")
            if re.match(r"(javascript|data|vbscript):", text) and name in ("href", "src", "action", "formaction"):
                self.found.append(f"<{tag} {name}={value}>")

    def handle_data(self, data: str) -> None:
        if self.in_script:
            self.found.append(f"script text {data.strip()[:80]!r}")

    def handle_endtag(self, tag: str) -> None:
        self.in_script = False


def active_parts(page: str) -> list[str]:
    parser = _Active([])
    parser.feed(page)
    parser.close()
    return parser.found


def text_of(fragment: str) -> str:
    """What a reader sees: tags removed, entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def visible_text(site: Build) -> Iterator[str]:
    for page in PAGES:
        yield text_of(site.article(page))


@pytest.mark.parametrize("page", PAGES)
def test_hostile_page_holds_nothing_active_that_a_clean_page_does_not(
    hostile_site: Build, clean_site: Build, page: str
) -> None:
    assert active_parts(hostile_site.page(page)) == active_parts(clean_site.page(page))


@pytest.mark.parametrize("page", PAGES)
def test_no_template_or_footnote_syntax_survives_into_the_html(hostile_site: Build, page: str) -> None:
    article = hostile_site.article(page)
    assert "{{" not in article and "{%" not in article and "{#" not in article
    assert "[^" not in article
    assert "49" not in text_of(article)  # {{ 7*7 }} was never evaluated
    for markup in ("<em>em</em>", "<strong>b</strong>", "<code>c</code>", "<del>d</del>", "<abbr"):
        assert markup not in article  # Markdown and its extensions never read data text


@pytest.mark.parametrize(
    ("record", "name"),
    [f for f in TEXT_FIELDS if f not in NOT_SHOWN],
    ids=[" ".join(f) for f in TEXT_FIELDS if f not in NOT_SHOWN],
)
def test_hostile_field_is_shown_as_typed(hostile_site: Build, record: str, name: str) -> None:
    wanted = f"{marker(record, name)} {HOSTILE}"
    assert any(wanted in text for text in visible_text(hostile_site)), f"{record} {name} not shown as typed"


def test_footnote_links_keep_their_https_address(hostile_site: Build) -> None:
    hrefs = re.findall(r'<a href="([^"]*)"', hostile_site.article("index.html"))
    source_links = [html.unescape(h) for h in hrefs if "example.org" in html.unescape(h)]
    assert source_links and all(link.startswith("https://example.org/") for link in source_links)
    assert 'https://example.org/"><script>alert(1)</script>?q=javascript:alert(1)' in source_links


def test_search_index_holds_the_hostile_text_escaped(hostile_site: Build) -> None:
    # Material shows search results as HTML: the index must hold the hostile markup as escaped text.
    index = json.loads((hostile_site.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    entries = [doc["title"] + " " + doc["text"] for doc in index["docs"]]
    assert any("TEXT-CLAIM VALUE &lt;script&gt;alert(1)&lt;/script&gt;" in entry for entry in entries)
    for entry in entries:
        assert active_parts(entry) == []
        assert "<img" not in entry and "<script" not in entry


def test_downloads_keep_the_text_and_defuse_formulas(hostile_site: Build) -> None:
    facts = json.loads((hostile_site.site / "data" / "facts.json").read_text(encoding="utf-8"))["facts"]
    statement = next(f for f in facts if f["id"] == "copyright.statement")
    assert statement["claims"][0]["value"] == f"{marker('text-claim', 'value')} {HOSTILE}"
    with (hostile_site.site / "data" / "facts.csv").open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    values = [row["value"] for row in rows if row["fact_id"] == "copyright.statement"]
    assert values[1] == '\'=HYPERLINK("https://example.org", "a spreadsheet formula")'
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row.values())
