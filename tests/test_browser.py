"""The real site in a real browser: Debian's chromium driven by Playwright through executable_path.

Every page is loaded from the built site served on loopback: no console error, no request to any
other host, no serious or critical axe-core violation in the light or the dark scheme, nothing
wider than a phone's screen. Search, footnote tooltips, charts and the phone navigation are used
the way a reader uses them.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, Locator, Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.browsers import ARGS, CHROMIUM, require_chromium
from tests.sites import ROOT

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# How long to wait for something that must happen (a tooltip, search results): long enough for a
# busy two-CPU machine. A wait ends as soon as its condition holds, so a quiet machine is not slowed.
WAIT = 60_000


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    require_chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@contextmanager
def _open(browser: Browser, viewport: dict[str, int] = DESKTOP, scheme: str = "light") -> Iterator[Page]:
    """A page in a fresh browser context, at a viewport and in a colour scheme."""
    context = browser.new_context(viewport=viewport, color_scheme=scheme)  # type: ignore[arg-type]
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    with _open(browser) as page:
        yield page


@pytest.fixture(scope="module")
def pages(real_site: Path) -> list[str]:
    """Every page of the built site, as a path from its root: "", "technology/", …"""
    found = sorted(p.parent.relative_to(real_site).as_posix() for p in real_site.rglob("index.html"))
    return ["" if p == "." else p + "/" for p in found]


@pytest.fixture(scope="module")
def both_editions(bilingual_site: Path) -> list[str]:
    """Every page of both editions, as a path from the site's root: "", "technology/", "zh/", …"""
    found = sorted(p.parent.relative_to(bilingual_site).as_posix() for p in bilingual_site.rglob("index.html"))
    return ["" if p == "." else p + "/" for p in found]


def test_every_page_loads_without_console_errors_or_foreign_requests(
    page: Page, served_bilingual: str, both_editions: list[str]
) -> None:
    served_site, pages = served_bilingual, both_editions
    origin = urlparse(served_site).netloc
    foreign: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: foreign.append(r.url) if urlparse(r.url).netloc not in (origin, "") else None)
    page.on("console", lambda m: errors.append(f"{page.url}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
    assert {"", "technology/", "copyright-policy/", "charts/", "zh/", "zh/technology/", "zh/charts/"} <= set(pages)
    for path in pages:
        response = page.goto(served_site + path, wait_until="networkidle")
        assert response is not None and response.status == 200, path
    assert foreign == []
    assert errors == []


def _first_marker(page: Page) -> tuple[Locator, str]:
    """The first footnote marker of the page and the text of the footnote it points to. Its text
    content, as assistive technology reads it: far down the page, the footnote is not drawn yet
    (content-visibility), and a script asking for the drawn text (innerText) gets nothing."""
    ref = page.locator("sup[id^='fnref'] a.footnote-ref").first
    target = (ref.get_attribute("href") or "").removeprefix("#")
    return ref, (page.locator(f"li[id='{target}']").text_content() or "").replace("↩", "").strip()


def test_hovering_a_footnote_shows_its_source(page: Page, served_site: str) -> None:
    page.goto(served_site + "technology/", wait_until="networkidle")
    ref, source_text = _first_marker(page)
    preview = page.locator("#footnote-preview")
    assert preview.count() == 0  # nothing is set up before a reader asks
    ref.hover()
    preview.wait_for(state="visible", timeout=WAIT)
    assert preview.get_attribute("role") == "tooltip"
    assert ref.get_attribute("aria-describedby") == "footnote-preview"
    assert " ".join(preview.inner_text().split()) == " ".join(source_text.split())
    # Beside its marker, inside the window.
    box, marker = preview.bounding_box(), ref.bounding_box()
    assert box is not None and marker is not None
    assert abs(box["y"] - (marker["y"] + marker["height"])) < 40 or abs(box["y"] + box["height"] - marker["y"]) < 40
    assert box["x"] >= 0 and box["x"] + box["width"] <= DESKTOP["width"]
    # It stays while the pointer moves onto it (its link can be followed), and goes when it leaves.
    # One move, straight onto it: leaving the marker and entering the preview are one step, however
    # slowly a busy machine delivers the events. Then a timer in the page longer than the hide delay,
    # queued after any hide the move might have scheduled: had one been scheduled, it ran first.
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.evaluate("() => new Promise((done) => setTimeout(done, 1000))")
    assert preview.is_visible()
    page.mouse.move(5, DESKTOP["height"] - 5)
    preview.wait_for(state="hidden", timeout=WAIT)
    assert ref.get_attribute("aria-describedby") is None


def test_a_focused_footnote_marker_shows_its_source_until_escape(page: Page, served_site: str) -> None:
    page.goto(served_site + "copyright-policy/", wait_until="networkidle")
    ref, source_text = _first_marker(page)
    ref.focus()
    preview = page.locator("#footnote-preview")
    preview.wait_for(state="visible", timeout=WAIT)
    assert " ".join(preview.inner_text().split()) == " ".join(source_text.split())
    page.add_script_tag(path=AXE)  # the open preview passes axe too
    assert page.evaluate(_AXE_RUN) == []
    page.keyboard.press("Escape")
    preview.wait_for(state="hidden", timeout=WAIT)
    # At a phone's width the preview still fits the screen.
    page.set_viewport_size({"width": PHONE["width"], "height": PHONE["height"]})
    ref.blur()
    ref.focus()
    preview.wait_for(state="visible", timeout=WAIT)
    box = preview.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


def _search(page: Page, served_site: str, query: str, wanted: str) -> list[str]:
    """Type a query as a reader does and return the result links once they include `wanted`. The
    list is redrawn as each key is read, on a busy machine long after the typing ends: wait for
    the condition, then read every link in one step (never a link at a time from a list that may
    be redrawn in between)."""
    page.goto(served_site, wait_until="networkidle")
    box = page.locator("input.md-search__input")  # in the header at desktop width
    box.click()
    box.press_sequentially(query, delay=30)
    box.press("End")
    links = ".md-search-result__item > a"
    with contextlib.suppress(PlaywrightTimeoutError):  # the assertion below then shows what was found
        page.wait_for_function(
            "([links, wanted]) => [...document.querySelectorAll(links)]"
            ".some((a) => (a.getAttribute('href') || '').includes(wanted))",
            arg=[links, wanted],
            timeout=WAIT,
        )
    hrefs: list[str] = page.eval_on_selector_all(links, "(found) => found.map((a) => a.getAttribute('href') || '')")
    return hrefs


def test_search_for_opt_in_finds_the_copyright_page(page: Page, served_site: str) -> None:
    hrefs = _search(page, served_site, "opt-in", "copyright-policy/")
    assert any("copyright-policy/" in h for h in hrefs), hrefs


def test_chinese_search_finds_a_source_by_a_word_of_its_title(page: Page, served_site: str) -> None:
    hrefs = _search(page, served_site, "深度调查", "sources/")
    assert any("sources/" in h for h in hrefs), hrefs


# --- accessibility -------------------------------------------------------------------------------

_AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ")}`);
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_page_has_serious_or_critical_axe_violations(
    browser: Browser, served_site: str, pages: list[str], scheme: str
) -> None:
    if not AXE.exists():
        pytest.fail(f"{AXE.relative_to(ROOT)} is missing: `make node_modules` installs axe-core", pytrace=False)
    script = AXE.read_text(encoding="utf-8")
    found: list[str] = []
    with _open(browser, scheme=scheme) as page:
        for path in pages:
            page.goto(served_site + path, wait_until="networkidle")
            assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (scheme == "dark")
            page.add_script_tag(content=script)
            found += [f"/{path}: {v}" for v in page.evaluate(_AXE_RUN)]
    assert found == []


# --- charts --------------------------------------------------------------------------------------

_CHARTS = """() => [...document.querySelectorAll("figure.chart")].map(figure => {
  const svg = figure.querySelector(".chart__plot svg");
  const text = attribute => (svg?.getAttribute(attribute) || "").split(" ").filter(Boolean)
    .map(id => document.getElementById(id)?.textContent || "").join(" ");
  const box = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
  return {
    role: svg?.getAttribute("role"),
    name: text("aria-labelledby"),
    description: text("aria-describedby"),
    title: svg?.querySelector("title")?.textContent || "",
    drawn: svg ? [...svg.querySelectorAll("text")].map(t => t.textContent).join("\\n") : "",
    width: box.width, height: box.height,
    caption_refs: figure.querySelectorAll("figcaption sup a.footnote-ref").length,
    table: [...figure.querySelectorAll("details table .fig")].map(f => f.textContent),
  };
})"""


def test_charts_are_drawn_with_text_alternatives_and_their_figures_in_a_table(page: Page, served_site: str) -> None:
    page.goto(served_site + "charts/", wait_until="networkidle")
    charts: list[dict[str, Any]] = page.evaluate(_CHARTS)
    kinds = page.evaluate("[...document.querySelectorAll('figure.chart')].map(f => f.className)")
    assert len(charts) >= 6
    assert {"chart chart--bars", "chart chart--by-date", "chart chart--timeline"} <= set(kinds)
    for chart in charts:
        assert chart["role"] == "img" and chart["width"] > 100 and chart["height"] > 100, chart["title"]
        title = chart["name"]
        assert title and title == chart["title"] and len(chart["description"]) > len(title), chart
        # The browser computes the same accessible name from the SVG's own <title>.
        assert page.get_by_role("img", name=title, exact=True).count() == 1
        assert chart["caption_refs"] >= 1, title
        assert chart["table"], title
        missing = [value for value in chart["table"] if value not in chart["drawn"]]
        assert missing == [], f"{title}: in the table but not drawn: {missing}"


def _rgb(css: str, under: tuple[float, ...] = (255.0, 255.0, 255.0)) -> tuple[float, ...]:
    """A CSS rgb()/rgba() colour as seen over another colour (text colours are often translucent)."""
    numbers = [float(n) for n in re.findall(r"[\d.]+", css)]
    alpha = numbers[3] if len(numbers) > 3 else 1.0
    return tuple(alpha * c + (1 - alpha) * u for c, u in zip(numbers[:3], under, strict=True))


def _luminance(rgb: tuple[float, ...]) -> float:
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (x / 255 for x in rgb)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(colour: str, background: str) -> float:
    under = _rgb(background)
    high, low = sorted((_luminance(_rgb(colour, under)), _luminance(under)), reverse=True)
    return (high + 0.05) / (low + 0.05)


_CHART_COLOURS = """() => {
  const main = document.querySelector(".md-main");
  let background = getComputedStyle(document.body).backgroundColor;
  for (let el = main; el; el = el.parentElement) {
    const colour = getComputedStyle(el).backgroundColor;
    if (colour !== "rgba(0, 0, 0, 0)") { background = colour; break; }
  }
  const svgs = [...document.querySelectorAll("figure.chart svg")];
  return {
    background,
    text: svgs.flatMap(s => [...s.querySelectorAll("text")].map(t => getComputedStyle(t).fill)),
    marks: svgs.flatMap(s => [...s.querySelectorAll(".role-mark path")].map(p => getComputedStyle(p).fill))
      .filter(f => f !== "none"),
  };
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_chart_text_and_marks_are_readable_in_both_schemes(browser: Browser, served_site: str, scheme: str) -> None:
    with _open(browser, scheme=scheme) as page:
        page.goto(served_site + "charts/", wait_until="networkidle")
        colours = page.evaluate(_CHART_COLOURS)
    background = colours["background"]
    assert colours["text"] and colours["marks"]
    faint_text = sorted({c for c in colours["text"] if _contrast(c, background) < 4.5})
    faint_marks = sorted({c for c in colours["marks"] if _contrast(c, background) < 3})
    assert (faint_text, faint_marks) == ([], []), f"against {background}"


# --- phone ---------------------------------------------------------------------------------------


def test_phone_navigation_opens_the_drawer_and_no_page_scrolls_sideways(
    browser: Browser, served_site: str, pages: list[str]
) -> None:
    with _open(browser, viewport=PHONE) as page:
        wide = []
        for path in pages:
            page.goto(served_site + path, wait_until="networkidle")
            width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            if width[0] > width[1]:
                wide.append(f"/{path}: {width[0]}px wide on a {width[1]}px screen")
        assert wide == []

        page.goto(served_site, wait_until="networkidle")
        drawer = page.locator("nav.md-nav--primary")
        assert (drawer.bounding_box() or {"x": 0})["x"] < 0  # off screen until opened
        page.locator("label.md-header__button[for='__drawer']").click()
        page.wait_for_function(
            "document.querySelector('nav.md-nav--primary').getBoundingClientRect().left >= 0", timeout=WAIT
        )
        link = drawer.get_by_role("link", name="Copyright policy", exact=True)
        link.click()
        page.wait_for_url(re.compile(r"/copyright-policy/$"))
        assert page.locator("h1").first.inner_text().strip() != ""


# --- the Chinese edition -------------------------------------------------------------------------


def _switch_to(page: Page, lang: str) -> None:
    """Open the header's language selector and choose an edition, as a reader does. The pointer
    leaves first: after the last page it may still rest where the selector is, and a pointer that
    does not move opens no menu."""
    page.mouse.move(0, 0)
    page.locator(".md-header .md-select").hover()
    link = page.locator(f'.md-header a.md-select__link[hreflang="{lang}"]')
    link.wait_for(state="visible", timeout=WAIT)
    link.click()


def test_the_language_selector_leads_to_the_same_page_in_the_other_edition(page: Page, served_bilingual: str) -> None:
    page.goto(served_bilingual + "zh/technology/", wait_until="networkidle")
    assert page.locator("html").get_attribute("lang") == "zh"
    _switch_to(page, "en")
    page.wait_for_url(served_bilingual + "technology/", timeout=WAIT)
    assert (page.locator("h1").first.text_content() or "").startswith("Technology")
    _switch_to(page, "zh")
    page.wait_for_url(served_bilingual + "zh/technology/", timeout=WAIT)
    assert (page.locator("h1").first.text_content() or "").startswith("技术")


def test_a_chinese_query_finds_the_chinese_page(page: Page, served_bilingual: str) -> None:
    hrefs = _search(page, served_bilingual + "zh/", "选择退出", "copyright-policy/")
    assert any("copyright-policy/" in h for h in hrefs), hrefs
    page.locator(".md-search-result__item > a[href*='copyright-policy/']").first.click()
    page.wait_for_url(served_bilingual + "zh/copyright-policy/**", timeout=WAIT)
    assert page.locator("html").get_attribute("lang") == "zh"


def test_chinese_pages_have_no_serious_or_critical_axe_violations(browser: Browser, served_bilingual: str) -> None:
    script = AXE.read_text(encoding="utf-8")
    found: list[str] = []
    with _open(browser) as page:
        for path in (
            "zh/",
            "zh/technology/",
            "zh/copyright-policy/",
            "zh/charts/",
            "zh/facts/industry/",
            "zh/contested/",
        ):
            page.goto(served_bilingual + path, wait_until="networkidle")
            page.add_script_tag(content=script)
            found += [f"/{path}: {v}" for v in page.evaluate(_AXE_RUN)]
    assert found == []
