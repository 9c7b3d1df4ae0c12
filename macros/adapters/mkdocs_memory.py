"""MkDocs hooks (a second `hooks:` entry in mkdocs.yml) that keep `mkdocs build` from holding every
page's Markdown and HTML until the end of the build.

MkDocs converts every page first and writes them afterwards, and keeps each page's Markdown and
HTML on its `Page` to the end of the build. With thousands of facts the fact register's pages are
several megabytes each, held twice over (as Markdown and as HTML, in Python's wider string form
once they hold Chinese), and held through the finish step as well. Here, in that order:

- once a page is converted, its Markdown is let go: nothing after the conversion reads it (its
  title was taken from the conversion);
- its HTML waits for the writing stage compressed, and is given back just before the page's
  template and the search index read it (by adapters/mkdocs.py's `on_page_context`, ahead of
  every plugin);
- once the page is written, its HTML is let go: nothing after that reads it (the search plugin
  has its own entries, the sitemap needs addresses and dates, the finish step reads the files);
- a page of a megabyte or more is written here, a piece at a time, after every other plugin has
  seen it (`on_post_page`), rather than by MkDocs, which would copy it whole twice more (once to
  see whether it is blank, once encoded): MkDocs is handed an empty page, which it skips, and the
  one line it logs about that is left out;
- once pages of a megabyte or more are converted, read by the search plugin or written, the
  memory they took is given back to the system (glibc's `malloc_trim`), which the C library would
  otherwise keep.

The pages written are the same, byte for byte. Under `serve` none of this runs: the cache of
unchanged pages (mkdocs_cache.py) keeps their HTML between rebuilds anyway, and a rebuild should
not spend time compressing.
"""

from __future__ import annotations

import logging
import os
import zlib
from typing import Any

from mkdocs.plugins import event_priority

# By name, not by path: MkDocs loads a hooks file afresh for every rebuild under `serve`, and says
# that it is serving only once, to the first (adapters/mkdocs.py keeps it).
from macros.adapters.mkdocs import LARGE_PAGE, STATE, give_back_memory

# Whether a page at least HELD_AS_IS long was converted, read by the search plugin or written since
# memory was last given back.
LARGE_WRITTEN: list[bool] = [False]
# A page shorter than this keeps its HTML as it is: compressing the real site's pages (half a
# megabyte at most, five in all) would cost the build more time than their memory is worth.
HELD_AS_IS = LARGE_PAGE
# A large page is encoded and written this many characters at a time.
PIECE = 1 << 20
# MkDocs' own line for a page whose template gave nothing, which is how a page written here looks to it.
SKIPPED = "Page skipped: '{}'. Generated empty output."
# The pages written here (by src_uri) whose "skipped" line is still to come.
WRITTEN: set[str] = set()


class _WrittenHere(logging.Filter):
    """Leaves out MkDocs' "Page skipped" line for a page written here: it was not skipped."""

    def filter(self, record: logging.LogRecord) -> bool:
        for uri in WRITTEN:
            if record.getMessage() == SKIPPED.format(uri):
                WRITTEN.discard(uri)
                return False
        return True


_FILTER = _WrittenHere()
# The logger of MkDocs' module that writes pages (mkdocs/commands/build.py).
_BUILD_LOG = logging.getLogger("mkdocs.commands.build")


def on_pre_build(config: Any) -> None:
    STATE.held.clear()
    WRITTEN.clear()
    if not STATE.serving:
        _BUILD_LOG.addFilter(_FILTER)


def write_page(output: str, path: str) -> None:
    """Write a page as MkDocs does (UTF-8, characters it cannot encode as character references),
    a piece at a time: every piece of a string encodes on its own to the same bytes as it does
    within the whole, so the file is the same, without the whole encoded copy beside the text."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as out:
        for start in range(0, len(output), PIECE):
            out.write(output[start : start + PIECE].encode("utf-8", errors="xmlcharrefreplace"))


def _give_back() -> None:
    """Give the memory freed since a large page was converted or written back to the system: after
    a page of megabytes (its HTML, its template's output) the C library kept tens of megabytes it
    did not need again, and the build's process stayed that much larger to its end."""
    if not LARGE_WRITTEN[0]:
        return
    LARGE_WRITTEN[0] = False
    give_back_memory()


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
    STATE.held[page.file.src_uri] = zlib.compress(html.encode("utf-8", "surrogatepass"), 1)
    LARGE_WRITTEN[0] = True  # its conversion's memory is given back before the first page is written
    return ""


@event_priority(-50)  # after the search plugin has read the page's HTML, before its template is rendered
def on_page_context(context: Any, page: Any, config: Any, nav: Any) -> Any:
    """The page written before this one is let go by now; and for a large page, what the search
    plugin took while it read it (its parser's pieces, 13 MB for a page of twelve million characters)
    is given back before the page's template makes it whole once more."""
    if not STATE.serving:
        LARGE_WRITTEN[0] = LARGE_WRITTEN[0] or len(page.content or "") >= HELD_AS_IS
        _give_back()
    return context


@event_priority(-100)  # after every other plugin has seen the page, just before MkDocs would write it
def on_post_page(output: str, page: Any, config: Any) -> str:
    if STATE.serving:
        return output
    page.content = None
    if len(output) < HELD_AS_IS:
        return output
    LARGE_WRITTEN[0] = True
    if output.isspace():
        return output  # MkDocs skips a blank page, and says so; so does this
    write_page(output, page.file.abs_dest_path)
    WRITTEN.add(page.file.src_uri)
    return ""  # nothing left for MkDocs to write


@event_priority(90)  # after adapters/mkdocs.py lets the second process go, before the search index
def on_post_build(config: Any) -> None:
    _BUILD_LOG.removeFilter(_FILTER)
    _give_back()


def on_build_error(error: Exception) -> None:
    _BUILD_LOG.removeFilter(_FILTER)
