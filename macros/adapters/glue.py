"""The only file that knows mkdocs-macros: it loads the ledger and registers the render functions.

mkdocs-macros runs this file anew on every build (and every rebuild under `mkdocs serve`), but
Python would keep the `macros` package it imports cached; the package is dropped from the module
cache first, so an edit to any file of it takes effect on the next rebuild without a restart.
"""

from __future__ import annotations

import importlib
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import UndefinedError
from mkdocs.exceptions import PluginError
from mkdocs_macros.errors import format_error

ROOT = Path(__file__).resolve().parent.parent.parent
log = logging.getLogger("mkdocs.plugins.briefing")


_HOME = {"validate": "ledger", "schema": "ledger", "terms": "ledger", "render": "core", "charts": "core"}
_HOME |= {"contrib": "core", "checks": "finish", "downloads": "finish", "publish": "finish"}


def _fresh(name: str) -> Any:
    return importlib.import_module(f"macros.{_HOME[name]}.{name}")


def _forget_package() -> None:
    """Drop the cached `macros` modules, so `_fresh` reads every file as it is now."""
    for name in [m for m in sys.modules if m == "macros" or m.startswith("macros.")]:
        del sys.modules[name]
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


def _serving() -> bool:
    """Under `mkdocs serve` a data mistake is shown on every page instead of ending the server."""
    words = [a for a in sys.argv[1:] if not a.startswith("-")]
    return bool(words) and words[0] == "serve"


class _State:
    """What the page hooks need from define_env, for the build under way.

    A plain class: mkdocs-macros loads this file under a name that is not in sys.modules, which
    dataclasses cannot resolve.
    """

    def __init__(self) -> None:
        self.store: Any = None
        self.notes: Any = None
        self.modules: tuple[Any, ...] = ()
        self.data_problems: list[str] = []
        self.contrib: Any = None
        self.changes: list[Any] = []
        self.registers: dict[str, str] = {}


STATE = _State()


def _short_undefined_error(error: Any, markdown: str, page: Any) -> str:
    """A misspelt macro or variable on a page is one line naming the page, not a traceback."""
    message = f"{page.file.src_path}: {error.message} (a misspelt macro or variable?)"
    log.error(message)
    return f"**{message}**"


def define_env(env: Any) -> None:
    # mkdocs-macros formats page errors through a singledispatch function; teach it this one.
    format_error.register(UndefinedError, _short_undefined_error)
    _forget_package()
    validate, render, checks, downloads, contrib = (
        _fresh(name) for name in ("validate", "render", "checks", "downloads", "contrib")
    )
    project = Path(env.conf["config_file_path"]).resolve().parent
    store, problems = validate.load_store(project / "data", project)
    changes, change_problems = contrib.load_changelog(project / "data" / validate.CHANGELOG, project, store)
    terms = _fresh("terms")
    problems = [*problems, *change_problems, *terms.check_terms(project / "data" / terms.NAME, f"data/{terms.NAME}")]
    STATE.data_problems = [str(p) for p in problems]
    for line in STATE.data_problems:
        log.error(line)
    if problems and not _serving():
        raise PluginError(f"{len(problems)} problem(s) in data/ (listed above); the site was not built")

    def page_macro(func: Callable[..., str]) -> Callable[..., str]:
        def call(*args: Any, **kwargs: Any) -> str:
            try:
                return func(store, STATE.notes, *args, **kwargs)
            except render.RenderError as error:
                message = f"{STATE.notes.src_path}: {func.__name__}(): {error}"
            except (TypeError, ValueError, AttributeError, KeyError, IndexError) as error:
                # fact([...]), fact(), facts_table(5): a page's call that does not fit the macro.
                message = f"{STATE.notes.src_path}: {func.__name__}(): these arguments do not fit ({error})"
            log.error(message)
            return f'<strong class="briefing-error">{render.esc("⚠ " + message)}</strong>'

        call.__name__ = func.__name__
        call.__doc__ = func.__doc__
        return call

    for func in (
        render.fact,
        render.date,
        render.quote,
        render.cite,
        render.facts_table,
        render.timeline,
        render.contested_table,
        render.source_list,
        render.document_summary,
        render.register_contents,
        render.corrections,
        render.evidence_rules,
        *_fresh("charts").CHARTS,  # chart_bars, chart_by_date, chart_timeline
    ):
        env.macro(page_macro(func))

    edit_base = contrib.edit_base(env.conf["repo_url"], env.conf["edit_uri"], Path(env.conf["docs_dir"]).name)

    def fact_register(store: Any, notes: Any, topic: str | None = None) -> str:
        """Every fact (or a topic's) at its permalink, with when it was last checked and its edit link."""

        def footer(fact: Any) -> str:
            return str(contrib.fact_footer(store, fact, changes, edit_base))

        return str(render.fact_register(store, notes, footer, topic))

    def changelog(store: Any, notes: Any) -> str:
        """The changelog of facts, newest first."""
        text: str = contrib.changelog(store, notes, changes)
        return text

    env.macro(page_macro(fact_register))
    env.macro(page_macro(changelog))

    def downloads_link(name: str, text: str) -> str:
        return f'<a href="{STATE.notes.site_root()}data/{name}" download>{render.esc(text)}</a>'

    env.macro(downloads_link)
    STATE.store = store
    # A topic's part of the register is on docs/facts/<topic>.md when that page exists, otherwise
    # every fact is on docs/facts.md (as on small sites).
    docs = Path(env.conf["docs_dir"])
    STATE.registers = {t: f"facts/{t}.md" for t in _fresh("schema").TOPICS if (docs / "facts" / f"{t}.md").is_file()}
    STATE.modules = (render, checks, downloads)
    STATE.contrib, STATE.changes = contrib, changes


def on_pre_page_macros(env: Any) -> None:
    render = STATE.modules[0]
    STATE.notes = render.PageNotes(STATE.store, env.page.file.src_path, registers=STATE.registers)


def on_post_page_macros(env: Any) -> None:
    contrib, page = STATE.contrib, env.page
    shown = contrib.fact_ids_in(env.markdown)
    checked = contrib.checked_range(STATE.store, shown, STATE.changes)
    site_url = env.conf.get("site_url")
    url = site_url.rstrip("/") + "/" + page.url if site_url else None
    env.markdown += contrib.checked_line(checked)
    env.markdown += contrib.cite_page(env.conf["site_name"], page.title, url, checked[1] if checked else None)
    env.markdown += STATE.notes.render_definitions()
    if STATE.data_problems:
        env.markdown = problem_box(STATE.data_problems, STATE.modules[0].esc) + env.markdown


def problem_box(problems: list[str], esc: Callable[[str], str]) -> str:
    """The box at the top of every page under `mkdocs serve` while the data has problems. A problem
    quotes data text (a key, a value), so each is escaped as HTML and made Markdown-inert: never a
    code span, which a backtick in the data would close."""
    items = "\n".join(f"    - <code>{esc(p)}</code>" for p in problems)
    return f'!!! failure "The data has {len(problems)} problem(s)"\n\n{items}\n\n'


def on_post_build(env: Any) -> None:
    _, checks, downloads = STATE.modules
    site_dir = Path(env.conf["site_dir"])
    downloads.write_downloads(STATE.store, site_dir)
    # Feed, link previews, Dataset markup and redirects: a step over the built site, as after any engine.
    config_file = Path(env.conf["config_file_path"])
    for line in _fresh("publish").finish_site(site_dir, config_file, STATE.store, STATE.changes):
        log.error(line)
    for line in checks.check_site(site_dir, STATE.store.name_strings()):
        log.error(line)
