"""The Zensical adapter: the only module that knows Zensical.

Zensical runs mkdocs-macros modules its own way: as a Markdown preprocessor that loads the module
and calls `define_env` anew for every page, with the page on `env.page`, and it never calls
`on_pre_page_macros`, `on_post_page_macros`, `on_post_build` or MkDocs hooks. So this adapter
reads the ledger once per process, starts the core's page run in `define_env`, lets the Markdown
step (core/mdstep.py) find that run by the page Zensical is converting, and leaves the downloads
and site checks to the finish step, which the build driver (sitebuild.py) runs after Zensical.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from ..core import contrib, mdstep
from ..core.page import PageRun, Site
from ..ledger import load_ledger

log = logging.getLogger("mkdocs.plugins.briefing")

_SITES: dict[str, Site] = {}  # by project folder: the ledger is read once per process
_RUNS: dict[str, PageRun] = {}  # by page path, until the Markdown step takes the run


def _site(conf: dict[str, Any]) -> Site:
    project = Path(conf["root_dir"]).resolve()
    site = _SITES.get(str(project))
    if site is None:
        ledger = load_ledger(project / "data", project)
        docs = project / conf.get("docs_dir", "docs")
        edit_uri = conf.get("edit_uri") or ""
        site = Site(
            ledger=ledger,
            site_name=conf["site_name"],
            site_url=conf.get("site_url"),
            # Zensical drops edit_uri's closing slash; the edit links are made as under MkDocs.
            edit_base=contrib.edit_base(conf.get("repo_url"), edit_uri.rstrip("/") + "/", docs.name),
            registers=Site.registers_in(docs),
            lang=Site.language_of((conf.get("theme") or {}).get("language") or "en"),
            pages="" if docs.name == "docs" else f"{docs.name}/",
        )
        _SITES[str(project)] = site
        for problem in ledger.problems:
            log.error(str(problem))
    return site


def _take_run(md: Any) -> PageRun | None:
    from zensical.extensions.context import ContextPreprocessor

    context = ContextPreprocessor.from_markdown(md)
    page = context.page if context else None
    return _RUNS.pop(page.path, None) if page is not None else None


def define_env(env: Any) -> None:
    """For each page: the ledger (read once), the page's run, and the macros bound to it."""
    site = _site(env.conf)
    page = env.page
    if page is None:
        return
    run = site.page(page.path, page.url, None)  # the title: the page's first heading, as MkDocs takes it
    _RUNS[page.path] = run
    for macro in site.macros(lambda: run):
        env.macro(macro)
    mdstep.use(_take_run)


def build(config_file: Path, site_dir: Path) -> list[str]:
    """Build the site with Zensical into `site_dir` (inside the project); one line per problem."""
    try:
        import zensical
    except ImportError:
        return ["Zensical is not installed here: `make build ENGINE=zensical` installs it (requirements-zensical.txt)"]

    errors: list[str] = []

    class _Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.WARNING:
                errors.append(_one_line(record.getMessage()))

    handler = _Collect()
    watched = [logging.getLogger("mkdocs.plugins.briefing"), logging.getLogger("zensical.extensions.macros")]
    for logger in watched:
        logger.addHandler(handler)
    overlay = config_file.parent / f".zensical-{site_dir.name}.yml"
    overlay.write_text(f"INHERIT: {config_file.name}\nsite_dir: {site_dir.name}\n", encoding="utf-8")
    try:
        zensical.build(str(overlay.resolve()), {"clean": True, "strict": True})
    except RuntimeError as error:
        errors.append(_one_line(str(error)))
    finally:
        overlay.unlink(missing_ok=True)
        for logger in watched:
            logger.removeHandler(handler)
        _SITES.clear()
        _RUNS.clear()
    return errors


def _one_line(message: str) -> str:
    """Zensical's messages can carry a Python traceback; the reader gets its last line."""
    lines = [line.strip() for line in message.strip().splitlines() if line.strip()]
    if not lines:
        return "zensical: the build failed"
    first = lines[0]
    if first.startswith("Macro rendering failed in "):
        page, _, why = first[len("Macro rendering failed in ") :].partition(": ")
        return f"{page}: {why} (a misspelt macro or variable?)"
    return lines[-1] if "Traceback" in message else first
