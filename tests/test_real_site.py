"""The real site: it builds clean under the strict checks, and its pages keep their promises."""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

from macros.finish.checks import check_site
from macros.ledger.schema import TOPICS
from macros.ledger.validate import load_store
from tests.sites import ROOT

CORE_PAGES = ["technology", "industry-impact", "copyright-policy", "risks"]


def _article(site: Path, page: str) -> str:
    html = (site / page / "index.html").read_text(encoding="utf-8")
    match = re.search(r'<article class="md-content__inner[^"]*">(.*?)</article>', html, re.S)
    assert match
    return match.group(1)


def test_real_site_passes_the_site_checks(real_site: Path) -> None:
    store, problems = load_store(ROOT / "data", ROOT)
    assert problems == []
    assert check_site(real_site, store.name_strings()) == []


def test_each_core_page_has_at_least_ten_footnoted_figures(real_site: Path) -> None:
    for page in CORE_PAGES:
        figures = re.findall(
            r'<span class="fig[^"]*" data-fact="[^"]+">[^<]*</span><sup id="fnref', _article(real_site, page)
        )
        assert len(figures) >= 10, f"{page}: {len(figures)} footnoted figures"


def test_at_least_three_facts_are_contested(real_site: Path) -> None:
    facts = json.loads((real_site / "data" / "facts.json").read_text())["facts"]
    assert sum(f["status"] == "contested" for f in facts) >= 3
    contested = _article(real_site, "contested")
    for fact in (f for f in facts if f["status"] == "contested"):
        assert f'id="{fact["id"]}"' in contested


def test_every_fact_has_a_register_entry_on_its_topic_page(real_site: Path) -> None:
    facts = json.loads((real_site / "data" / "facts.json").read_text())["facts"]
    parts = {topic: _article(real_site, f"facts/{topic}") for topic in TOPICS}
    misplaced = [f["id"] for f in facts if f'id="{f["id"]}"' not in parts[f["topic"]]]
    assert misplaced == []
    assert sum(len(re.findall(r'<h2 id="[a-z]+\.', part)) for part in parts.values()) == len(facts)
    # Every link to a register entry, from any page, lands on the topic page holding it.
    homes = {f["id"]: f"facts/{f['topic']}" for f in facts}
    wrong, links = [], 0
    for path in real_site.rglob("index.html"):
        page = path.parent.relative_to(real_site).as_posix()
        for target, anchor in re.findall(r'href="([^"#]*)#([^"]+)"', path.read_text(encoding="utf-8")):
            if anchor in homes and "facts/" in target:
                links += 1
                if posixpath.normpath(posixpath.join(page, target)) != homes[anchor]:
                    wrong.append(f"{page}: {target}#{anchor}")
    assert wrong == [] and links > 100  # the pages link to register entries hundreds of times


def test_no_third_party_resources_in_any_page(real_site: Path) -> None:
    offenders = []
    for path in real_site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        # A canonical link names the page's own published address; a browser loads nothing from it.
        html = re.sub(r'<link rel="canonical" href="[^"]*">', "", html)
        for tag, url in re.findall(r'<(script|link|img|iframe)[^>]+(?:src|href)="(https?://[^"]+)"', html):
            offenders.append(f"{path.relative_to(real_site)}: <{tag}> {url}")
    assert offenders == []


def test_footnotes_are_numbered_in_reading_order_on_every_page(real_site: Path) -> None:
    for path in sorted(real_site.rglob("index.html")):
        html = path.read_text(encoding="utf-8")
        match = re.search(r'<article class="md-content__inner[^"]*">(.*?)</article>', html, re.S)
        if not match:
            continue
        first_seen: list[int] = []
        for number in re.findall(r'class="footnote-ref" href="#fn:[^"]+">(\d+)</a>', match.group(1)):
            if int(number) not in first_seen:
                first_seen.append(int(number))
        assert first_seen == list(range(1, len(first_seen) + 1)), path.relative_to(real_site)
