"""Publishing metadata and the feed: what the step after the engine (`macros/publish.py`,
`macros/feed.py`) adds to the real site, and its rules on small inputs."""

from __future__ import annotations

import html as html_lib
import json
import re
import struct
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import Browser, sync_playwright

from macros.finish import feed, publish, siteconf
from macros.ledger.changelog import ChangeEntry, load_changelog
from macros.ledger.validate import CHANGELOG, load_store
from tests.browsers import ARGS, CHROMIUM, require_chromium
from tests.sites import ROOT

ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
CONF = siteconf.load(ROOT / "mkdocs.yml")


def _pages(site: Path) -> Iterator[tuple[str, str]]:
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if rel != "404.html":
            yield rel, path.read_text(encoding="utf-8")


def _meta(html: str, key: str) -> str | None:
    match = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)"', html)
    return html_lib.unescape(match.group(1)) if match else None


def _ledger() -> tuple[object, list[ChangeEntry]]:
    store, problems = load_store(ROOT / "data", ROOT)
    assert problems == []
    changes, problems = load_changelog(ROOT / "data" / CHANGELOG, ROOT, store)
    assert problems == []
    return store, changes


def test_site_url_comes_from_the_environment_with_a_documented_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SITE_URL", raising=False)
    assert siteconf.load(ROOT / "mkdocs.yml").url == siteconf.DEFAULT_SITE_URL
    assert siteconf.DEFAULT_SITE_URL in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    monkeypatch.setenv("SITE_URL", "https://example.org/book")
    assert siteconf.load(ROOT / "mkdocs.yml").url == "https://example.org/book/"


def test_sitemap_lists_every_page_and_each_page_has_its_canonical_address(real_site: Path) -> None:
    sitemap = (real_site / "sitemap.xml").read_text(encoding="utf-8")
    listed = set(re.findall(r"<loc>([^<]+)</loc>", sitemap))
    for page in CONF.nav:
        assert CONF.url + page.url in listed, page.src
    for rel, html in _pages(real_site):
        if 'http-equiv="refresh"' in html or rel == "print/index.html":
            continue
        canonical = re.findall(r'<link rel="canonical" href="([^"]+)"', html)
        assert canonical == [CONF.url + publish.page_address(rel)], rel


def test_every_page_has_link_preview_tags_with_its_own_description(real_site: Path) -> None:
    descriptions = {}
    for rel, html in _pages(real_site):
        title, description = _meta(html, "og:title"), _meta(html, "og:description")
        assert title and description and len(description) <= 200, rel
        assert _meta(html, "twitter:card") == "summary_large_image", rel
        assert _meta(html, "twitter:title") == title and _meta(html, "twitter:description") == description
        assert _meta(html, "og:url") == CONF.url + publish.page_address(rel)
        assert _meta(html, "og:image") == _meta(html, "twitter:image") == CONF.url + publish.CARD
        descriptions[rel] = description
    assert descriptions["technology/index.html"].startswith("OpenAI released Sora 2 on")
    # Written for the page: no two core pages share one, and none is the site's own blurb.
    core = [descriptions[f"{p}/index.html"] for p in ("technology", "industry-impact", "copyright-policy", "risks")]
    assert len(set(core)) == 4 and CONF.description not in core
    card = (real_site / publish.CARD).read_bytes()
    assert card[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", card[16:24]) == publish.CARD_SIZE


def test_description_prefers_the_front_matter_then_the_first_paragraph() -> None:
    article = '<article class="md-content__inner md-typeset"><h1>T</h1><p>Short.</p><p>{}</p></article>'
    long_text = "A first real paragraph, long enough to describe the page on its own" + " and more" * 40
    page = f'<meta name="description" content="{CONF.description}">' + article.format(long_text)
    described = publish.page_description(page, CONF)
    assert described.startswith("A first real paragraph") and described.endswith("…") and len(described) <= 200
    own = '<meta name="description" content="Written for this page.">' + article.format(long_text)
    assert publish.page_description(own, CONF) == "Written for this page."


def test_downloads_are_described_as_a_schema_org_dataset(real_site: Path) -> None:
    for page in ("facts/index.html", "sources/index.html"):
        html = (real_site / page).read_text(encoding="utf-8")
        blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        assert len(blocks) == 1, page
        data = json.loads(blocks[0])
        assert data["@context"] == "https://schema.org" and data["@type"] == "Dataset"
        assert data["name"] and len(data["description"]) > 50 and data["url"] == CONF.url + "facts/"
        files = {d["contentUrl"]: d["encodingFormat"] for d in data["distribution"]}
        assert len(files) == 5
        for url in files:
            assert url.startswith(CONF.url + "data/") and (real_site / url[len(CONF.url) :]).is_file()


def test_feed_is_valid_atom_with_one_entry_per_change(real_site: Path) -> None:
    _, changes = _ledger()
    root = ET.parse(real_site / feed.FEED).getroot()
    assert root.tag == ATOM + "feed"
    for tag in ("id", "title", "updated", "author"):
        assert root.find(ATOM + tag) is not None, tag
    assert RFC3339.match(root.findtext(ATOM + "updated") or "")
    links = {link.get("rel"): link.get("href") for link in root.findall(ATOM + "link")}
    assert links == {"self": CONF.url + feed.FEED, "alternate": CONF.url + "changelog/"}
    entries = root.findall(ATOM + "entry")
    assert len(entries) == len(changes) > 0
    ids = [e.findtext(ATOM + "id") for e in entries]
    assert len(set(ids)) == len(ids) and all(i and i.startswith("tag:") for i in ids)
    for entry in entries:
        for tag in ("title", "updated", "published", "content", "summary"):
            assert entry.findtext(ATOM + tag), tag
        for tag in ("updated", "published"):
            stamp = entry.findtext(ATOM + tag) or ""
            assert RFC3339.match(stamp) and datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        link = entry.find(ATOM + "link")
        assert link is not None and link.get("rel") == "alternate"
        page, _, anchor = (link.get("href") or "")[len(CONF.url) :].partition("#")
        assert f'id="{anchor}"' in (real_site / page / "index.html").read_text(encoding="utf-8")
    # Newest first, and every change's facts, reason and date are in its entry.
    dates = [e.findtext(ATOM + "updated") or "" for e in entries]
    assert dates == sorted(dates, reverse=True)
    by_id = dict(zip(ids, entries, strict=True))
    for change, entry_id in zip(changes, feed.entry_ids(changes), strict=True):
        entry = by_id[entry_id]
        content = entry.findtext(ATOM + "content") or ""
        assert change.reason.split()[0] in content and (entry.findtext(ATOM + "updated") or "").startswith(change.date)
        for fact_id in change.facts:
            assert fact_id in content


def test_feed_ids_stay_the_same_when_entries_are_added_or_the_site_moves(tmp_path: Path) -> None:
    store, changes = _ledger()
    before = dict(zip(changes, feed.entry_ids(changes), strict=True))
    newer = ChangeEntry("2099-01-01", "corrected", "A change.", "A reason.", changes[0].facts, "x", 1)
    twin = replace(changes[-1], change="The same day, kind and facts, told differently.")
    after = [newer, twin, *changes]  # new entries go on top
    ids = feed.entry_ids(after)
    assert [ids[after.index(c)] for c in changes] == [before[c] for c in changes]
    assert len(set(ids)) == len(ids)
    moved = replace(CONF, url="https://example.org/elsewhere/")
    text = feed.atom(moved, store, changes, tmp_path)  # type: ignore[arg-type]
    assert set(re.findall(r"<id>(tag:[^<]+/[0-9a-f]{12})</id>", text)) <= set(before.values())


def test_feed_is_linked_from_every_page_head_and_the_changelog(real_site: Path) -> None:
    for rel, html in _pages(real_site):
        if 'http-equiv="refresh"' in html:
            continue
        head = html.split("</head>", 1)[0]
        links = re.findall(r'<link rel="alternate" type="application/atom\+xml"[^>]* href="([^"]+)"', head)
        assert len(links) == 1, rel
        assert urljoin("https://h/" + rel, links[0]) == "https://h/" + feed.FEED, rel
    changelog = (real_site / "changelog" / "index.html").read_text(encoding="utf-8")
    # From the root of the site's address (no engine rewrites such a link): /briefing-book/feed.xml.
    assert re.search(r'<article.*<a href="' + re.escape(urlsplit(CONF.url).path) + r'feed\.xml"', changelog, re.S)


def test_finishing_twice_changes_nothing(real_site: Path, tmp_path: Path) -> None:
    import shutil

    site = tmp_path / "site"
    shutil.copytree(real_site, site)
    store, changes = _ledger()
    assert publish.finish_site(site, ROOT / "mkdocs.yml", store, changes) == []  # type: ignore[arg-type]
    for path in real_site.rglob("*"):
        if path.is_file():
            assert path.read_bytes() == (site / path.relative_to(real_site)).read_bytes(), path


def test_moved_pages_get_a_page_that_sends_the_reader_on(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "new" / "place").mkdir(parents=True)
    (site / "new" / "place" / "index.html").write_text("<html><head></head><body></body></html>")
    (site / "kept").mkdir()
    (site / "kept" / "index.html").write_text("<html><head></head><body>a real page</body></html>")
    listing = tmp_path / "redirects.txt"
    listing.write_text(
        "# comment\nold/page/ new/place/#part\nkept/ new/place/\nbad\n/abs/ new/\n"
        "x/ https://elsewhere/\ngone/ nowhere/\n"
    )
    pages, problems = publish.load_redirects(listing)
    assert pages == {"old/page/": "new/place/#part", "kept/": "new/place/", "gone/": "nowhere/"}
    assert [p.split(":")[1] for p in problems] == ["4", "5", "6"]
    problems = publish.write_redirects(site, CONF, pages, {"technology/": ["tech.a"]})
    assert problems == [
        "data/redirects.txt: kept/ is a page of the site; it cannot also redirect",
        "data/redirects.txt: gone/ redirects to nowhere/, which is not in the site",
    ]
    stub = (site / "old" / "page" / "index.html").read_text()
    assert 'http-equiv="refresh" content="0; url=../../new/place/#part"' in stub
    assert f'<link rel="canonical" href="{CONF.url}new/place/#part">' in stub
    listing_json = json.loads((site / "data" / "redirects.json").read_text())
    assert listing_json["register"] == {"facts/#tech.a": "facts/technology/#tech.a"}


@pytest.mark.browser
def test_an_old_register_link_lands_on_the_topic_page(served_site: str) -> None:
    require_chromium()
    store, _ = _ledger()
    fact = "tech.max-duration-pro-web"
    assert store.facts[fact].topic == "technology"  # type: ignore[attr-defined]
    with sync_playwright() as playwright:
        browser: Browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page()
            page.goto(served_site + "facts/#" + fact)
            page.wait_for_url(re.compile(r"/facts/technology/#"), timeout=10_000)
            assert page.url == served_site + "facts/technology/#" + fact
            page.goto(served_site + "facts/#not-a-fact")
            assert page.url == served_site + "facts/#not-a-fact"
        finally:
            browser.close()


def test_a_card_drawn_early_is_the_one_written_and_a_failed_one_is_not_drawn_again_here(tmp_path: Path) -> None:
    from concurrent.futures import Future

    from macros.sidecar import SidecarError

    drawn: Future[tuple[str, bytes]] = Future()
    drawn.set_result((publish.card_svg(CONF), b"early"))
    publish._EARLY_CARD[:] = [drawn]
    assert publish._drawn_card(CONF) == b"early"
    assert publish._EARLY_CARD == []
    other: Future[tuple[str, bytes]] = Future()
    other.set_result(("<svg>another site</svg>", b"stale"))
    publish._EARLY_CARD[:] = [other]
    assert publish._drawn_card(CONF)[:8] == b"\x89PNG\r\n\x1a\n"  # drawn again for this site
    failed: Future[tuple[str, bytes]] = Future()
    failed.set_exception(SidecarError("the build's second process stopped (exit code -11)"))
    publish._EARLY_CARD[:] = [failed]
    with pytest.raises(SidecarError):
        publish._drawn_card(CONF)
