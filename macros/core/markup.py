"""The markup toolkit: how text from the data becomes inert HTML, and the few shapes every page
builder shares (a figure, a span of data text, a Markdown table, a BibTeX field).

Every string that comes from data passes through `esc`, which makes it inert twice over: HTML
special characters become entities, and so do the characters Markdown and Jinja react to, so
"<script>", "*bold*", "[^1]" and "{{ 7*7 }}" in a YAML file reach the reader as those characters.
Figures are wrapped in `<span class="fig">` and followed by their footnote reference; other text
produced from data is wrapped in `<span class="from-data">`. The site checks rely on both.
"""

from __future__ import annotations

import html
import re

from ..ledger.loading import FORBIDDEN

# HTML's specials, plus every character Markdown, its extensions or Jinja react to inline.
_INERT = {c: f"&#{ord(c)};" for c in "&<>\"'\\`*_{}[]()#!|~^:"}
_INERT_RX = re.compile("[" + re.escape("".join(_INERT)) + "]")


def esc(text: str) -> str:
    """Data text as inert inline HTML: shown as typed, never markup, Markdown or template."""
    return _INERT_RX.sub(lambda m: _INERT[m.group()], " ".join(visible(text).split()))


def visible(text: str) -> str:
    """Characters validation refuses (controls, direction overrides) as U+FFFD, should a page be
    rendered from data with problems, as `mkdocs serve` does: never passed raw into the HTML."""
    return FORBIDDEN.sub("\ufffd", text)


def attr(text: str) -> str:
    """Data text as an HTML attribute value."""
    return html.escape(visible(text), quote=True)


def data(markup: str) -> str:
    """Markup made from data (already escaped), marked as such for the site checks."""
    return f'<span class="from-data">{markup}</span>'


def fig(fact_id: str, text: str, extra: str = "", when: str = "") -> str:
    """A figure: plain `text`, escaped here; `when` (markup) says when it held, inside the figure."""
    cls = "fig" + (f" {extra}" if extra else "")
    return f'<span class="{cls}" data-fact="{attr(fact_id)}">{esc(text)}{when}</span>'


def table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table of cells that are already markup."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
    return "\n" + "\n".join(lines) + "\n"


_BIB_SPECIALS = {"\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}"}
_BIB_SPECIALS |= {"%": r"\%", "&": r"\&", "$": r"\$", "#": r"\#"}
_BIB_SPECIALS |= {"_": r"\_", "^": r"\^{}", "~": r"\~{}"}


def bib_text(text: str) -> str:
    """Text as a BibTeX field value: LaTeX's special characters escaped, whitespace collapsed."""
    return "".join(_BIB_SPECIALS.get(c, c) for c in " ".join(text.split()))
