"""One page being rendered, from its first macro call to the end of its Markdown.

The core's whole contract with a site generator: an adapter makes a `Site` once (the ledger and
the settings), a `PageRun` when the engine starts a page, and registers `Site.macros()` with the
engine's Jinja; the page's macro calls fill the run (footnotes in order of first use, the facts
shown), and the Markdown step (mdstep.py), which every engine runs, adds the foot: "last
checked", the cite box and the footnote definitions. No engine hook is needed for any of it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..ledger import Ledger, schema
from . import charts, contrib, markup, render, words

log = logging.getLogger("mkdocs.plugins.briefing")


@dataclass(frozen=True)
class Site:
    """What every page of one build shares: the ledger and the site's settings."""

    ledger: Ledger
    site_name: str
    site_url: str | None
    edit_base: str | None  # the address prefix that opens a repository file in the code host's editor
    registers: dict[str, str] = field(default_factory=dict)  # topic -> page of its fact register
    serving: bool = False  # a live preview: data problems are shown on every page, not fatal
    lang: str = "en"  # the edition's language (theme.language): en, or zh for the Chinese edition
    pages: str = ""  # how messages name the pages' folder: "" for docs/, "docs-zh/" for another edition

    @staticmethod
    def language_of(theme_language: str) -> str:
        """The edition's language from the theme's: zh (any Chinese) or en."""
        return "zh" if str(theme_language).lower().startswith("zh") else "en"

    @staticmethod
    def registers_in(docs_dir: Path) -> dict[str, str]:
        """A topic's part of the register is on docs/facts/<topic>.md when that page exists,
        otherwise every fact is on docs/facts.md (as on small sites)."""
        return {t: f"facts/{t}.md" for t in schema.TOPICS if (docs_dir / "facts" / f"{t}.md").is_file()}

    def page(self, src_path: str, url: str, title: str | None = None) -> PageRun:
        """A page starts: `url` is its address relative to the site root (`technology/`); `title`,
        when the engine knows no better, is the page's first level-one heading."""
        address = self.site_url.rstrip("/") + "/" + url if self.site_url else None
        notes = render.PageNotes(self.ledger.store, src_path, registers=self.registers, lang=self.lang)
        return PageRun(self, notes, address, title)

    def macros(self, current: Callable[[], PageRun]) -> list[Callable[..., str]]:
        """The page macros, each calling the core with the page `current()` returns. A call that
        fails is one line naming the page, in the log and in place of the figure."""
        store, changes = self.ledger.store, self.ledger.changes

        def fact_register(store: Any, notes: render.PageNotes, topic: str | None = None) -> str:
            """Every fact (or a topic's) at its permalink, with when it was last checked and its edit link."""

            def footer(fact: Any) -> str:
                return contrib.fact_footer(store, fact, changes, self.edit_base, notes.lang)

            return render.fact_register(store, notes, footer, topic)

        def changelog(store: Any, notes: render.PageNotes) -> str:
            """The changelog of facts, newest first."""
            return contrib.changelog(store, notes, changes)

        def page_macro(func: Callable[..., str]) -> Callable[..., str]:
            def call(*args: Any, **kwargs: Any) -> str:
                notes = current().notes
                try:
                    return func(store, notes, *args, **kwargs)
                except (render.RenderError, words.NoWords) as error:
                    message = f"{self.pages}{notes.src_path}: {func.__name__}(): {error}"
                except (TypeError, ValueError, AttributeError, KeyError, IndexError) as error:
                    # fact([...]), fact(), facts_table(5): a page's call that does not fit the macro.
                    message = f"{self.pages}{notes.src_path}: {func.__name__}(): these arguments do not fit ({error})"
                log.error(message)
                return f'<strong class="briefing-error">{markup.esc("⚠ " + message)}</strong>'

            call.__name__ = func.__name__
            call.__doc__ = func.__doc__
            return call

        def downloads_link(name: str, text: str) -> str:
            """A link to one of the downloads (data/NAME)."""
            return f'<a href="{markup.attr(self.root(current()) + "data/" + name)}" download>{markup.esc(text)}</a>'

        def site_file_link(path: str, text: str, media_type: str = "") -> str:
            """A link to a file the build writes at the site's root (feed.xml, briefing-book.pdf)."""
            href = markup.attr(self.root(current()) + path)
            kind = f' type="{markup.attr(media_type)}"' if media_type else ""
            return f'<a href="{href}"{kind}>{markup.esc(text)}</a>'

        pages: list[Callable[..., str]] = [
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
            *charts.CHARTS,  # chart_bars, chart_by_date, chart_timeline
            fact_register,
            changelog,
        ]
        return [*(page_macro(f) for f in pages), downloads_link, site_file_link]

    def root(self, run: PageRun) -> str:
        """The site's root as a link from any page: the path of `site_url` ("/briefing-book/"), which
        no engine rewrites (engines rewrite relative links in raw HTML, each its own way); relative
        to the page when the site has no address."""
        if self.site_url:
            path = urlsplit(self.site_url).path or "/"
            return path if path.endswith("/") else path + "/"
        return run.notes.site_root()


@dataclass
class PageRun:
    site: Site
    notes: render.PageNotes
    address: str | None  # the page's full address, for the cite box
    title: str | None

    def head(self) -> str:
        """What goes above the page: under a live preview, the data's problems."""
        problems = self.site.ledger.problems
        return problem_box([str(p) for p in problems]) if problems and self.site.serving else ""

    def foot(self, markdown: str) -> str:
        """What goes below the page's `markdown`: when its figures were last checked, how to cite
        it, and the definitions of its footnotes, in the order the page first uses them."""
        store, changes = self.site.ledger.store, self.site.ledger.changes
        checked = contrib.checked_range(store, self.notes.shown, changes)
        text = contrib.checked_line(checked, self.site.lang)
        title = self.title or first_heading(markdown) or ""
        text += contrib.cite_page(
            self.site.site_name, title, self.address, checked[1] if checked else None, self.site.lang
        )
        return text + self.notes.render_definitions()

    def finish(self, markdown: str) -> str:
        return self.head() + markdown + self.foot(markdown)


_HEADING = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.M)


def first_heading(markdown: str) -> str | None:
    """The page's title as MkDocs takes it when nothing else names the page: its first level-one heading."""
    found = _HEADING.search(markdown)
    return found.group(1) if found else None


def problem_box(problems: list[str]) -> str:
    """The box at the top of every page under a live preview while the data has problems. A
    problem quotes data text (a key, a value), so each is escaped as HTML and made Markdown-inert:
    never a code span, which a backtick in the data would close."""
    items = "\n".join(f"    - <code>{markup.esc(p)}</code>" for p in problems)
    return f'!!! failure "The data has {len(problems)} problem(s)"\n\n{items}\n\n'
