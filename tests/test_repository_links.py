"""The repository links: "edit this page" opens the page's Markdown, and the header's repository
link makes no request to the code host while a reader views a page (overrides/partials/source.html).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import sync_playwright

from tests.browsers import ARGS, CHROMIUM, require_chromium, serve
from tests.sites import ROOT, basic_files, build, make_site

# The repository address as mkdocs.yml gives it (a placeholder until the project is published).
_REPO_LINE = re.search(r"^repo_url: (\S+)$", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
assert _REPO_LINE is not None
REPO = _REPO_LINE.group(1).rstrip("/")


def test_every_page_has_an_edit_button_opening_its_markdown(tmp_path: Path) -> None:
    result = build(make_site(tmp_path, basic_files()))
    assert result.returncode == 0, result.output
    for page, source in (("index.html", "index.md"), ("contested/index.html", "contested.md")):
        html = result.page(page)
        edit = re.findall(r'<a href="([^"]+)" title="Edit this page"', html)
        assert edit == [f"{REPO}/edit/main/docs/{source}"], page
        assert re.search(rf'<a href="{re.escape(REPO)}" title="[^"]+" class="md-source">', html)
        assert 'data-md-component="source"' not in html


def _requests_while_viewing(site: Path, expected: str | None = None) -> list[str]:
    """The requests to other hosts while the home page loads and the theme's script starts. With
    `expected` (a host), wait until a request to it is made, however busy the machine; without,
    wait until the theme's script has started up (where it would ask) and the network is idle."""
    requests: list[str] = []
    with serve(site) as base:
        origin = urlparse(base).netloc
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page()
            page.on("request", lambda r: requests.append(r.url) if urlparse(r.url).netloc != origin else None)
            if expected is not None:
                with page.expect_request(lambda r: urlparse(r.url).netloc == expected, timeout=WAIT):
                    page.goto(base, wait_until="commit")
            else:
                page.goto(base, wait_until="networkidle")
                # Material's script publishes its observables on window once it has mounted the
                # page's components, the repository link among them.
                page.wait_for_function("() => window.component$ !== undefined", timeout=WAIT)
                page.wait_for_load_state("networkidle", timeout=WAIT)
            browser.close()
    return requests


WAIT = 60_000  # ms; a wait ends as soon as its condition holds


@pytest.mark.browser
def test_viewing_a_page_asks_no_other_host_for_repository_facts(tmp_path: Path) -> None:
    require_chromium()
    ours = build(make_site(tmp_path / "ours", basic_files()))
    assert ours.returncode == 0, ours.output
    assert _requests_while_viewing(ours.site) == []
    # The same site with Material's own partial: its script does ask the code host, so the test
    # above would see that request if the override stopped working.
    stock = make_site(tmp_path / "stock", basic_files())
    (stock / "overrides").unlink()
    shutil.copytree(ROOT / "overrides", stock / "overrides", ignore=shutil.ignore_patterns("source.html"))
    built = build(stock)
    assert built.returncode == 0, built.output
    assert any(
        urlparse(url).netloc == "api.github.com" for url in _requests_while_viewing(built.site, "api.github.com")
    )
