"""Links checked over a built site.

`check_site_links` is offline: every `href` and `src` of every HTML page, the addresses in the
sitemap and the feed, and the links inside the printed edition (PDF) that point into the site,
each resolved to a file of the built site and, with a `#fragment`, to an element id in it. An
absolute address under the site's own address (canonical links, link previews, the feed, the
Dataset markup, the PDF) is checked as the file it names. Nothing leaves the machine.

`check_external` asks each outside address once (HEAD, then GET where a server refuses HEAD), a few
at a time and with a timeout; it runs in a scheduled workflow, never on a pull request, since
another site's outage must not block a change here.
"""

from __future__ import annotations

import concurrent.futures
import html
import re
import urllib.error
import urllib.request
from collections.abc import Iterable
from pathlib import Path
from posixpath import join as urljoin
from posixpath import normpath
from urllib.parse import unquote, urlsplit

_ATTR_RX = re.compile(r'<(?:a|link|img|script|source|iframe|area)\b[^>]*?\s(?:href|src)="([^"]*)"', re.I)
_ID_RX = re.compile(r'\s(?:id|name)="([^"]+)"')
_SCHEME_RX = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_XML_URL_RX = re.compile(r"<loc>([^<]+)</loc>|\shref=\"([^\"]+)\"")
_PDF_URI_RX = re.compile(rb"/URI \(((?:[^()\\]|\\.)*)\)")
# Not addresses of anything: the theme's "back to top" and empty fragments.
_SELF = {"", "#", "#__top"}


class _Ids:
    """The element ids of each HTML file, read once."""

    def __init__(self) -> None:
        self._ids: dict[Path, set[str]] = {}

    def of(self, path: Path) -> set[str]:
        if path not in self._ids:
            text = path.read_text(encoding="utf-8", errors="replace")
            self._ids[path] = {html.unescape(i) for i in _ID_RX.findall(text)}
        return self._ids[path]


def _target(site_dir: Path, base: str, href: str) -> tuple[Path, str, str]:
    """The file and fragment an address names, from a page at `base` (a site-root path)."""
    # Split by hand: urlsplit would read "//x/y" (a doubled slash after the site's address) as a host.
    rest, _, fragment = href.partition("#")
    path = unquote(rest.partition("?")[0])
    if path.startswith("/"):
        resolved = normpath(path.lstrip("/")) if path.strip("/") else ""
    else:
        resolved = normpath(urljoin(base, path)) if path else base.rstrip("/")
    resolved = "" if resolved in (".", "") else resolved
    display = resolved + ("/" if path.endswith("/") and resolved else "")
    file = site_dir / resolved if resolved else site_dir
    if file.is_dir():
        file = file / "index.html"
    return file, unquote(fragment), display


def _internal(href: str, site_url: str) -> str | None:
    """The address relative to the site, or None for an outside address."""
    if href.startswith(site_url):
        return "/" + href[len(site_url) :]
    root = urlsplit(site_url).path or "/"  # a path from the host's root: the site lives under it
    if href.startswith(root):
        return "/" + href[len(root) :]
    if href.startswith("//") or _SCHEME_RX.match(href):
        return None
    return href


def _check(site_dir: Path, page: str, base: str, href: str, site_url: str, ids: _Ids, problems: list[str]) -> None:
    if href in _SELF:
        return
    local = _internal(href, site_url)
    if local is None:
        return
    file, fragment, display = _target(site_dir, base, local)
    if display.startswith(".."):
        problems.append(f"{page}: link to {href}: points outside the site")
        return
    if not file.is_file():
        problems.append(f"{page}: link to {href}: no such file in the site ({display or '/'})")
        return
    if fragment and file.suffix == ".html" and fragment not in ids.of(file):
        problems.append(f"{page}: link to {href}: no element with id '{fragment}' in {display or '/'}")


def _page_base(rel: str) -> str:
    """The directory a built file's relative links start from ("technology/index.html" → "technology/")."""
    return rel.rsplit("/", 1)[0] + "/" if "/" in rel else ""


def check_site_links(site_dir: Path, site_url: str, required: Iterable[str] = ()) -> list[str]:
    """One line per broken internal link or anchor in the built site (and files it must have)."""
    problems: list[str] = []
    ids = _Ids()
    for name in required:
        if not (site_dir / name).is_file():
            problems.append(f"{name}: missing from the built site")
    for path in sorted(site_dir.rglob("*.html")):
        rel = path.relative_to(site_dir).as_posix()
        text = path.read_text(encoding="utf-8", errors="replace")
        # The 404 page is served at any address, so Material writes its links from the site root.
        base = "" if rel == "404.html" else _page_base(rel)
        for href in dict.fromkeys(html.unescape(h) for h in _ATTR_RX.findall(text)):
            _check(site_dir, rel, base, href, site_url, ids, problems)
    for name in ("sitemap.xml", "feed.xml"):
        path = site_dir / name
        if path.is_file():
            for loc, href in _XML_URL_RX.findall(path.read_text(encoding="utf-8")):
                address = html.unescape(loc or href)
                if address.startswith(site_url):
                    _check(site_dir, name, "", address, site_url, ids, problems)
    for path in sorted(site_dir.glob("*.pdf")):
        found = {
            m.decode("latin-1").replace("\\(", "(").replace("\\)", ")") for m in _PDF_URI_RX.findall(path.read_bytes())
        }
        for address in sorted(found):
            if address.startswith("file:"):
                problems.append(f"{path.name}: link to a file on the machine that printed it: {address}")
            elif address.startswith(site_url):
                _check(site_dir, path.name, "", address, site_url, ids, problems)
    return problems


def external_links(site_dir: Path, site_url: str) -> dict[str, list[str]]:
    """Every outside http(s) address the site links to, with the pages that link it."""
    found: dict[str, list[str]] = {}
    for path in sorted(site_dir.rglob("*.html")):
        rel = path.relative_to(site_dir).as_posix()
        for href in html.unescape(" ".join(_ATTR_RX.findall(path.read_text(encoding="utf-8")))).split(" "):
            if href.startswith(("http://", "https://")) and not href.startswith(site_url):
                pages = found.setdefault(href.split("#", 1)[0], [])
                if rel not in pages:
                    pages.append(rel)
    return found


def _ask(url: str, timeout: float) -> str | None:
    """None when the address answers; otherwise why not."""
    headers = {"User-Agent": "briefing-book-link-check (scheduled; one request per address)"}
    last = ""
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:
                if answer.status < 400:
                    return None
                last = f"HTTP {answer.status}"
        except urllib.error.HTTPError as error:
            last = f"HTTP {error.code}"
            if error.code not in (403, 405, 429, 501):  # servers that refuse HEAD, or robots
                return last
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            return f"unreachable: {reason}"
    return last


def check_external(urls: Iterable[str], timeout: float = 20, workers: int = 4) -> dict[str, str]:
    """The outside addresses that do not answer, with why."""
    urls = sorted(set(urls))
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        results = dict(zip(urls, pool.map(lambda u: _ask(u, timeout), urls), strict=True))
    return {url: why for url, why in results.items() if why}
