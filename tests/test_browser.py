"""The real site in a real browser: Debian's chromium driven by Playwright through executable_path."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Chromium's own background traffic is switched off: this machine has no network to give it.
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGES = [
    "",
    "technology/",
    "industry-impact/",
    "copyright-policy/",
    "risks/",
    "timeline/",
    "contested/",
    "facts/",
    "sources/",
    "methodology/",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make browser` installs Debian's chromium", pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def test_every_page_loads_without_console_errors_or_foreign_requests(page: Page, served_site: str) -> None:
    origin = urlparse(served_site).netloc
    foreign: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: foreign.append(r.url) if urlparse(r.url).netloc not in (origin, "") else None)
    page.on("console", lambda m: errors.append(f"{page.url}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
    for path in PAGES:
        response = page.goto(served_site + path, wait_until="networkidle")
        assert response is not None and response.status == 200, path
    assert foreign == []
    assert errors == []


def test_hovering_a_footnote_shows_its_source(page: Page, served_site: str) -> None:
    page.goto(served_site + "technology/", wait_until="networkidle")
    ref = page.locator("sup[id^='fnref'] a.footnote-ref").first
    target = (ref.get_attribute("href") or "").removeprefix("#")
    source_text = page.locator(f"li[id='{target}']").inner_text().strip()
    ref.hover()
    tooltip = page.locator(".md-tooltip2--active, .md-tooltip2:visible").first
    tooltip.wait_for(state="visible", timeout=5000)
    shown = tooltip.inner_text().strip()
    assert shown and shown.split(".")[0] in source_text


def _search(page: Page, served_site: str, query: str) -> list[str]:
    page.goto(served_site, wait_until="networkidle")
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(query, delay=30)
    box.press("End")
    page.locator(".md-search-result__item").first.wait_for(state="visible", timeout=10000)
    return [a.get_attribute("href") or "" for a in page.locator(".md-search-result__item > a").all()]


def test_search_for_opt_in_finds_the_copyright_page(page: Page, served_site: str) -> None:
    hrefs = _search(page, served_site, "opt-in")
    assert any("copyright-policy/" in h for h in hrefs), hrefs


def test_chinese_search_finds_a_source_by_a_word_of_its_title(page: Page, served_site: str) -> None:
    hrefs = _search(page, served_site, "深度调查")
    assert any("sources/" in h for h in hrefs), hrefs
