"""MkDocs hooks (a second `hooks:` entry in mkdocs.yml) that keep `mkdocs build` from holding every
page's Markdown and HTML until the end of the build.

MkDocs converts every page first and writes them afterwards, and keeps each page's Markdown and
HTML on its `Page` to the end of the build. With thousands of facts the fact register's pages are
several megabytes each, held twice over (as Markdown and as HTML, in Python's wider string form
once they hold Chinese), and held through the finish step as well. Here, in that order:

- once a page is converted, its Markdown is let go: nothing after the conversion reads it (its
  title was taken from the conversion);
- its HTML waits for the writing stage compressed, and is given back just before the page's
  template and the search index read it (`on_page_context`, ahead of every plugin);
- once the page is written, its HTML is let go: nothing after that reads it (the search plugin
  has its own entries, the sitemap needs addresses and dates, the finish step reads the files);
- once pages of a megabyte or more are converted or written, the memory they took is given back
  to the system (glibc's `malloc_trim`), which the C library would otherwise keep.

The pages written are the same, byte for byte. Under `serve` none of this runs: the cache of
unchanged pages (mkdocs_cache.py) keeps their HTML between rebuilds anyway, and a rebuild should
not spend time compressing.
"""

from __future__ import annotations

import contextlib
import ctypes
import zlib
from typing import Any

from mkdocs.plugins import event_priority

# By name, not by path: MkDocs loads a hooks file afresh for every rebuild under `serve`, and says
# that it is serving only once, to the first (adapters/mkdocs.py keeps it).
from macros.adapters.mkdocs import LARGE_PAGE, STATE

# The pages' HTML, compressed, by src_uri, from conversion to writing.
COMPRESSED: dict[str, bytes] = {}
# Whether a page at least HELD_AS_IS long was converted or written since memory was last given back.
LARGE_WRITTEN: list[bool] = [False]
# A page shorter than this keeps its HTML as it is: compressing the real site's pages (half a
# megabyte at most, five in all) would cost the build more time than their memory is worth.
HELD_AS_IS = LARGE_PAGE


def on_pre_build(config: Any) -> None:
    COMPRESSED.clear()


def _give_back() -> None:
    """Give the memory freed since a large page was converted or written back to the system. The
    C library keeps what Python frees for later use, and after a page of megabytes (its HTML, its
    template's output) it kept tens of megabytes it did not need again: the build's process stayed
    that much larger to its end. Where the C library has no such call (not glibc), nothing is done."""
    if not LARGE_WRITTEN[0]:
        return
    LARGE_WRITTEN[0] = False
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).malloc_trim(0)


@event_priority(-100)  # after every other plugin has seen the HTML
def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    if STATE.serving:
        return html
    # Emptied, not None: MkDocs reads None as "not read yet" and gives the page no title.
    page.markdown = ""
    if len(html) < HELD_AS_IS:
        return html
    # Level 1: the register's HTML shrinks to a fifteenth, at about 10 ms a megabyte. surrogatepass, so
    # that any string at all comes back exactly as it went in.
    COMPRESSED[page.file.src_uri] = zlib.compress(html.encode("utf-8", "surrogatepass"), 1)
    LARGE_WRITTEN[0] = True  # its conversion's memory is given back before the first page is written
    return ""


@event_priority(100)  # before the search plugin and the template read the HTML
def on_page_context(context: Any, page: Any, config: Any, nav: Any) -> Any:
    _give_back()  # the page written before this one is let go by now
    held = COMPRESSED.pop(page.file.src_uri, None)
    if held is not None:
        page.content = zlib.decompress(held).decode("utf-8", "surrogatepass")
    return context


@event_priority(-100)  # after every other plugin has seen the written page
def on_post_page(output: str, page: Any, config: Any) -> str:
    if not STATE.serving:
        page.content = None
        LARGE_WRITTEN[0] = LARGE_WRITTEN[0] or len(output) >= HELD_AS_IS
    return output


@event_priority(90)  # after adapters/mkdocs.py lets the second process go, before the search index
def on_post_build(config: Any) -> None:
    _give_back()
