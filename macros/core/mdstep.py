"""The Markdown step every engine runs: a Python-Markdown extension, listed in mkdocs.yml under
`markdown_extensions` as `macros.core.mdstep`, that ends each page with its foot (page.py).

MkDocs and Zensical both convert a page's Markdown right after its macros ran, with the
extensions of mkdocs.yml. Which page is being converted is the one thing this step cannot see for
itself: the adapter of the engine at work tells it (`use`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from .page import PageRun

# The page being converted by a Markdown instance, as the adapter at work knows it; None outside
# a build (a Markdown conversion that is not a page of ours).
_current: Callable[[Markdown], PageRun | None] = lambda md: None  # noqa: E731


def use(current: Callable[[Markdown], PageRun | None]) -> None:
    """Called by an adapter when it starts a build."""
    global _current
    _current = current


class _PageFoot(Preprocessor):  # type: ignore[misc]
    def run(self, lines: list[str]) -> list[str]:
        run = _current(self.md)
        if run is None:
            return lines
        return run.finish("\n".join(lines)).split("\n")


class PageStep(Extension):  # type: ignore[misc]
    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        # 31: after a macros preprocessor (35 in Zensical; MkDocs' macros run before conversion),
        # before whitespace is normalised (30), so the foot is read like text the page typed.
        md.preprocessors.register(_PageFoot(md), "briefing_page_foot", 31)


def makeExtension(**kwargs: Any) -> PageStep:
    return PageStep(**kwargs)
