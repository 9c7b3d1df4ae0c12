"""The link checkers: offline over the built site (the PDF included), and the outside addresses
asked of a server on loopback; the scheduled workflow that runs the second never gates a pull
request."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest
import yaml

from macros.finish import links, siteconf
from macros.finish.printbook import PDF
from tests.browsers import serve
from tests.sites import ROOT

SITE_URL = "https://example.org/book/"


def test_the_real_site_and_its_pdf_have_no_broken_internal_link(printed: Path) -> None:
    url = siteconf.load(ROOT / "mkdocs.yml").url
    required = [PDF, "feed.xml", "data/facts.json", f"zh/{PDF}", "zh/feed.xml", "zh/data/facts.json"]
    assert links.check_site_links(printed, url, required) == []


def _site(tmp_path: Path, pages: dict[str, str]) -> Path:
    site = tmp_path / "site"
    for name, text in pages.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    return site


def test_broken_links_and_anchors_are_reported_one_line_each(tmp_path: Path) -> None:
    site = _site(
        tmp_path,
        {
            "index.html": (
                '<a href="a/">ok</a><a href="a/#here">ok</a><a href="a/#gone">bad anchor</a>'
                '<a href="missing/">bad page</a><a href="data/x.json">bad download</a><a href="#">top</a>'
                '<a href="https://elsewhere.example/">outside</a><a href="mailto:x@example.org">mail</a>'
                f'<link rel="canonical" href="{SITE_URL}a/"><meta><a href="{SITE_URL}b/">bad canonical</a>'
                '<img src="img/p.png"><a href="book.pdf">pdf</a><a href="../../etc/">outside the site</a>'
            ),
            "a/index.html": '<h2 id="here">Here</h2><a href="../#top-of-home">bad</a><a href="/book/a/#here">ok</a>',
            "404.html": '<a href="/book/a/">ok from anywhere</a><a href="/book/nope/">bad</a>',
            "img/p.png": "png",
        },
    )
    problems = links.check_site_links(site, SITE_URL, ["book.pdf", "feed.xml"])
    assert problems == [
        "book.pdf: missing from the built site",
        "feed.xml: missing from the built site",
        "404.html: link to /book/nope/: no such file in the site (nope/)",
        "a/index.html: link to ../#top-of-home: no element with id 'top-of-home' in /",
        "index.html: link to a/#gone: no element with id 'gone' in a/",
        "index.html: link to missing/: no such file in the site (missing/)",
        "index.html: link to data/x.json: no such file in the site (data/x.json)",
        f"index.html: link to {SITE_URL}b/: no such file in the site (b/)",
        "index.html: link to book.pdf: no such file in the site (book.pdf)",
        "index.html: link to ../../etc/: points outside the site",
    ]


def test_links_in_the_pdf_sitemap_and_feed_are_checked(tmp_path: Path) -> None:
    site = _site(
        tmp_path,
        {
            "index.html": '<p id="p">x</p>',
            "sitemap.xml": f"<urlset><url><loc>{SITE_URL}</loc></url><url><loc>{SITE_URL}gone/</loc></url></urlset>",
            "feed.xml": f'<feed><link rel="self" href="{SITE_URL}feed.xml"/><link href="{SITE_URL}#nope"/></feed>',
        },
    )
    (site / "book.pdf").write_bytes(
        b"%PDF-1.4\n<</URI (" + SITE_URL.encode() + b"#p)>><</URI (" + SITE_URL.encode() + b"x/)>>"
        b"<</URI (file:///print/index.html#a)>><</URI (https://elsewhere.example/)>>"
    )
    assert links.check_site_links(site, SITE_URL) == [
        f"sitemap.xml: link to {SITE_URL}gone/: no such file in the site (gone/)",
        f"feed.xml: link to {SITE_URL}#nope: no element with id 'nope' in /",
        "book.pdf: link to a file on the machine that printed it: file:///print/index.html#a",
        f"book.pdf: link to {SITE_URL}x/: no such file in the site (x/)",
    ]


class _Refuses(http.server.SimpleHTTPRequestHandler):
    """Answers GET, refuses HEAD (as some servers do)."""

    def do_HEAD(self) -> None:
        self.send_error(405)

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_outside_addresses_are_asked_once_each(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = _site(tmp_path, {"here.html": "ok"})
    with serve(site) as base:
        pages = {
            "index.html": f'<a href="{base}here.html">a</a><a href="{base}here.html#x">same</a>'
            f'<a href="{base}gone.html">b</a><a href="{SITE_URL}self/">own</a>',
            "b/index.html": f'<a href="{base}gone.html">b again</a>',
        }
        linked = _site(tmp_path / "linked", pages)
        found = links.external_links(linked, SITE_URL)
        assert found == {f"{base}here.html": ["index.html"], f"{base}gone.html": ["b/index.html", "index.html"]}
        assert links.check_external(found, timeout=5) == {f"{base}gone.html": "HTTP 404"}
    # A server that refuses HEAD is asked again with GET.
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Refuses, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        assert links.check_external([base + "here.html"], timeout=5) == {}
        assert links.check_external([base + "none.html"], timeout=5) == {base + "none.html": "HTTP 404"}
    finally:
        server.shutdown()
        server.server_close()


def test_outside_links_are_checked_on_a_schedule_never_on_a_pull_request() -> None:
    path = ROOT / ".github" / "workflows" / "links.yml"
    workflow = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    triggers = workflow["on"]
    assert "schedule" in triggers and "workflow_dispatch" in triggers
    assert not {"pull_request", "pull_request_target", "push"} & set(triggers)
    assert "links" in path.read_text(encoding="utf-8") and "--external" in path.read_text(encoding="utf-8")
    # The pull-request workflow runs the offline checker through make test, and no outside one.
    assert "--external" not in (ROOT / ".github" / "workflows" / "test.yml").read_text(encoding="utf-8")
    assert shutil.which("make")


def test_a_doubled_slash_after_the_site_address_is_a_broken_link(tmp_path: Path) -> None:
    """ "https://host/site//site/data/x.json" is not the file data/x.json (a host's "//" is not a path)."""
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "x.json").write_text("{}", encoding="utf-8")
    page = f'<a href="{SITE_URL}/briefing-book/data/x.json">x</a><a href="{SITE_URL}data/x.json">y</a>'
    (tmp_path / "index.html").write_text(page, encoding="utf-8")
    broken = f"index.html: link to {SITE_URL}/briefing-book/data/x.json: no such file in the site"
    assert links.check_site_links(tmp_path, SITE_URL) == [f"{broken} (briefing-book/data/x.json)"]
