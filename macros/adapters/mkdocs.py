"""The MkDocs adapter: the only module that knows MkDocs and mkdocs-macros.

MkDocs reaches it through two small entry files named in mkdocs.yml, because it loads each kind
of extension its own way: `mkdocs_macros.py` (the mkdocs-macros module: `define_env` and the
page start) and `mkdocs_hooks.py` (MkDocs hooks: whether this is `serve`; under `serve`, the
re-use of unchanged pages and file events; under `build`, chart drawings and page checks from the
second process, sidecar.py). Both import this module by name, so all state lives on one
object, `STATE`.

What a page shows is made by the core (core/page.py): this adapter only tells it which page
MkDocs is on, and runs the finish step (finish/__init__.py) over the built site.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import zlib
from pathlib import Path
from typing import Any

from jinja2 import UndefinedError
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs_macros.errors import format_error

from .. import finish
from ..core import charts, contrib, mdstep
from ..core.page import PageRun, Site
from ..finish import checks, publish
from ..ledger import load_ledger
from ..sidecar import SIDECAR
from . import mkdocs_cache, mkdocs_watch

log = logging.getLogger("mkdocs.plugins.briefing")


class _State:
    def __init__(self) -> None:
        self.serving = False  # set by MkDocs itself (on_startup), the one way to know
        self.site: Site | None = None
        self.run: PageRun | None = None  # the page MkDocs is on, from its macros to its conversion
        self.unchecked: tuple[str, Path] | None = None  # the page written last, to check
        self.names: list[str] = []  # the registered names the site checks accept, once a build
        self.converting: PageRun | None = None  # under `serve`, the page being converted, should it be again
        # Large pages' HTML by src_uri, held compressed by mkdocs_memory.py from conversion to writing.
        self.held: dict[str, bytes] = {}


STATE = _State()
# A page this long (in bytes) is large enough for its memory to matter: the register's pages at
# thousands of facts, never a page of the real site (half a megabyte at most).
LARGE_PAGE = 1_000_000


def give_back_memory() -> None:
    """Give the memory Python has freed back to the system (glibc's `malloc_trim`). The C library
    keeps it for later use, and after a page of megabytes it kept tens of megabytes it did not
    need again. Where the C library has no such call (not glibc), nothing is done."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).malloc_trim(0)


def _take_run(md: Any) -> PageRun | None:
    """For the Markdown step: the page being converted (each page is converted once)."""
    run, STATE.run = STATE.run, None
    return run


def _current() -> PageRun:
    if STATE.run is None:
        raise RuntimeError("a page macro was called outside a page")
    return STATE.run


def _short_undefined_error(error: Any, markdown: str, page: Any) -> str:
    """A misspelt macro or variable on a page is one line naming the page, not a traceback."""
    pages = STATE.site.pages if STATE.site else ""
    message = f"{pages}{page.file.src_path}: {error.message} (a misspelt macro or variable?)"
    log.error(message)
    return f"**{message}**"


# --- mkdocs-macros ------------------------------------------------------------------------


def define_env(env: Any) -> None:
    """Once per build: read the ledger and register the page macros."""
    format_error.register(UndefinedError, _short_undefined_error)
    conf = env.conf
    project = Path(conf["config_file_path"]).resolve().parent
    ledger = load_ledger(project / "data", project)
    for problem in ledger.problems:
        log.error(str(problem))
    if ledger.problems and not STATE.serving:
        raise PluginError(f"{len(ledger.problems)} problem(s) in data/ (listed above); the site was not built")
    docs = Path(conf["docs_dir"])
    STATE.site = Site(
        ledger=ledger,
        site_name=conf["site_name"],
        site_url=conf.get("site_url"),
        edit_base=contrib.edit_base(conf["repo_url"], conf["edit_uri"], docs.name),
        registers=Site.registers_in(docs),
        serving=STATE.serving,
        lang=Site.language_of(conf["theme"]["language"]),
        pages="" if docs.name == "docs" else f"{docs.name}/",
    )
    STATE.run = None
    STATE.names = ledger.store.name_strings()
    if not STATE.serving:
        # Chart drawings and page checks in a second process while the pages are converted
        # (sidecar.py); `serve` keeps one process, its rebuilds take drawings from the cache.
        SIDECAR.start()
    for macro in STATE.site.macros(_current):
        env.macro(macro)
    mdstep.use(_take_run)


def on_pre_page_macros(env: Any) -> None:
    """A page starts (before its macros run)."""
    assert STATE.site is not None
    page = env.page
    mkdocs_cache.keep_compiled(env.env)  # the plugin's Jinja, made after define_env
    # The title to cite: the page's own first heading, as under any engine (not the shorter
    # navigation title MkDocs would give, "Industry" for "Fact register: industry").
    STATE.run = STATE.site.page(page.file.src_path, page.url, None)


def macros_post_build(env: Any) -> None:
    """After the last page: the finish step over the built site (downloads, feed, link previews,
    search segmentation, site checks); a problem is an error, which --strict turns into a failure."""
    assert STATE.site is not None
    site_dir = Path(env.conf["site_dir"])
    _check_written()  # the last page
    if not STATE.serving:
        # The theme's search plugin has just written its index, made whole in memory: with
        # thousands of facts the C library kept the 60 MB that took, beside what the finish
        # step reads (pages of up to twelve million characters).
        give_back_memory()
    try:
        for line in finish.finish(site_dir, Path(env.conf["config_file_path"]), STATE.site.ledger):
            log.error(line)
    finally:
        SIDECAR.stop()


# --- MkDocs hooks -------------------------------------------------------------------------


def on_startup(command: str, dirty: bool) -> None:
    # Called once, for the first build of the process: `serve`'s rebuilds keep this module.
    STATE.serving = command == "serve"
    mkdocs_cache.CACHE.serving = STATE.serving


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    # Saved files noticed as they are saved, not at the server's next poll.
    mkdocs_watch.watch_natively(server, config["docs_dir"])
    return server


def on_config(config: Any) -> Any:
    mkdocs_cache.on_config(config)
    return config


def on_pre_build(config: Any) -> None:
    mkdocs_cache.on_pre_build(config)


def on_files(files: Any, config: Any) -> Any:
    return mkdocs_cache.on_files(files, config)


@event_priority(-100)  # after the macros plugin has written the page's Markdown
def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    run = STATE.run
    # Kept only under `serve`, and only until the page is converted: a page's run holds its notes
    # and footnotes, megabytes for the register at thousands of facts.
    STATE.converting = run if STATE.serving else None
    foot = run.head() + run.foot(markdown) if run is not None else ""
    markdown = mkdocs_cache.on_page_markdown(markdown, page, foot)
    if mkdocs_cache.reused(page):
        # Its earlier HTML comes back whole (foot included): the Markdown step adds nothing to the
        # title line left to convert.
        STATE.run = None
    return markdown


def on_env(env: Any, config: Any, files: Any) -> Any:
    mkdocs_cache.keep_compiled(env)
    return env


@event_priority(100)  # before any other plugin reads the HTML
def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    def convert(markdown: str) -> str:
        # As MkDocs converted it, the Markdown step included.
        STATE.run = STATE.converting
        page.markdown = markdown
        page.render(config, files)
        return str(page.content)

    html = mkdocs_cache.on_page_content(html, page, config, files, convert)
    STATE.converting = None
    return html


@event_priority(50)  # before the search plugin and the theme read the HTML
def on_page_context(context: Any, page: Any, config: Any, nav: Any) -> Any:
    """The page's HTML back, if mkdocs_memory.py held it compressed; then its chart drawings, made
    meanwhile in the second process, in place of their marks."""
    held = STATE.held.pop(page.file.src_uri, None)
    if held is not None:
        page.content = zlib.decompress(held).decode("utf-8", "surrogatepass")
    if page.content and charts.MARK in page.content:
        page.content, problems = charts.fill(page.content)
        pages = STATE.site.pages if STATE.site else ""
        for problem in problems:
            log.error(f"{pages}{page.file.src_path}: {problem}")
    return context


def on_post_page(output: str, page: Any, config: Any) -> str:
    """While the build runs two processes, each page is checked once it is written (finish/checks.py):
    MkDocs writes a page after this hook, so the page before this one is on disk now."""
    _check_written()
    if SIDECAR.running:
        STATE.unchecked = (page.file.dest_uri, Path(page.file.abs_dest_path))
    return output


def _check_written() -> None:
    if STATE.unchecked is not None:
        checks.check_early(*STATE.unchecked, STATE.names)
    STATE.unchecked = None


@event_priority(100)  # before the theme's search plugin writes its index
def on_post_build(config: Any) -> None:
    """The second process's last jobs sent (the last page's check, the link-preview image), and the
    process let go: it ends once they are done, rather than stay to the end of the build beside the
    build's largest moment (the theme's search index written whole, then the finish step). When
    the last page is large (the fact register with thousands of facts) the build waits for it to
    end first, so that the two processes' memory is not added at the end; for pages of the real
    site's size that wait would only cost time."""
    if SIDECAR.running:
        last = STATE.unchecked
        if last is not None and last[1].stat().st_size >= LARGE_PAGE:
            # The second process checks the page, then draws the image, while the build waits with
            # the last page's memory given back. The build checking the page itself meanwhile, as
            # it did, put that check beside the drawing (the second process from 25 MB to 45 MB)
            # and came to the build's largest moment; this way costs the drawing's second or so.
            _check_written()
            publish.draw_card_early(Path(config["config_file_path"]))
            SIDECAR.stop()
            give_back_memory()
            SIDECAR.wait()
        else:
            publish.draw_card_early(Path(config["config_file_path"]))
            _check_written()
            SIDECAR.stop()
    mkdocs_cache.on_post_build(config)
