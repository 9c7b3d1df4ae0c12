"""Under `mkdocs serve`, a page whose Markdown has not changed since the last build
is not converted to HTML again; its HTML and table of contents from that build are used.

Every rebuild under `serve` runs the macros for every page, because any page may show a figure
from the YAML file just saved. But a one-value edit changes the Markdown of only a few pages (the
page that shows the value, the fact register, perhaps a chart page); converting the others again
would give the same HTML, and Markdown conversion is most of a rebuild's time.

A page is reused only when everything that decides its HTML is the same: its final Markdown
(after the macros) with the foot the Markdown step will add to it, its address, mkdocs.yml, and
the list of files it can link to. What `Page.render` sets besides the HTML (table of contents,
anchors, links to anchors) is put back as well; the title comes from converting a one-line page
holding only the title as a heading. `mkdocs build` never reuses anything: each build converts
every page.

A figure's own text is left out of that comparison where it cannot change the rest of the page.
An edited value changes the Markdown of every page that shows it, and the pages that show many
figures are the longest to convert (the contested figures page, 255 KB of Markdown in 123 tables,
took a quarter of a rebuild's time; the fact register's pages come next). So before a page is
compared or converted, the text of each figure (what follows `<span class="fig" ...>` up to the
next tag) is held out, a placeholder word in its place, and put back into the HTML afterwards.
That gives the same HTML only where Python-Markdown passes the text through untouched, so a text
is held out only when it is made of letters, digits, spaces and punctuation no extension of this
site reads (no asterisk, underscore, bracket, backtick, angle bracket, ampersand, bar, backslash,
brace, hash or exclamation mark), not on a heading's line (where it would also be in the
table of contents and an anchor), and not on a page that defines abbreviations (which would wrap
words of it); and the converted page must show each placeholder exactly once, never in its title,
contents or anchors. A page where one does not come back that way is converted again from its own
Markdown, and holds nothing out for the rest of the process.

Every rebuild also starts with new Jinja environments (the theme's, for the page templates, and
mkdocs-macros', for the pages' macro calls), which would compile every template again. Under
`serve` the compiled code is kept too (`keep_compiled`), filed under the template's source and
everything in the environment that decides the code Jinja writes for it (its syntax settings, and
its filters and tests, which Jinja looks up while compiling); a template whose source changed is
compiled afresh.

Every rebuild also lists the theme's files again, to copy its assets: Material's folder alone is
14,500 files, walked and each name matched against a dozen patterns (0.07 s of CPU a rebuild).
Under `serve` the installed theme's folders are walked once a process, and a name's verdict is
kept for the same matching rule; the project's own theme folder (`custom_dir`, `overrides/`) is
walked at every rebuild, as before.

The MkDocs adapter (mkdocs.py) calls these from its hooks; the cache lives as long as the
process, across the rebuilds of `serve`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import re
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

log = logging.getLogger("mkdocs.plugins.briefing")


@dataclass
class _Rendered:
    html: str
    toc: Any
    title: str | None
    anchors: set[str] | None
    links: dict[str, dict[str, str]] | None  # by the src_uri of the page linked to
    markdown: str = ""  # the page's own Markdown (its figure texts in, when some were held out)


class _Cache:
    def __init__(self) -> None:
        self.serving = False
        self.context = ""
        self.previous: dict[str, _Rendered] = {}  # by key, from the last build
        self.current: dict[str, _Rendered] = {}  # by key, from the build under way
        self.reused: dict[str, _Rendered] = {}  # by src_uri, pages of this build given old HTML
        self.keys: dict[str, str] = {}  # by src_uri, pages of this build being converted
        self.pages = 0
        # Compiled templates (the theme's and the pages'), by hash of settings, name and source: the
        # last build's and this build's, so that a page's earlier versions are not kept for ever.
        self.compiled_before: dict[str, Any] = {}
        self.compiled: dict[str, Any] = {}
        self.compiling: weakref.WeakSet[jinja2.Environment] = weakref.WeakSet()  # environments given keep_compiled
        # Figure texts held out of the pages of this build, by src_uri (see the module's docstring),
        # with each page's own Markdown, should its conversion not give the placeholders back.
        self.held: dict[str, tuple[str, ...]] = {}
        self.markdown: dict[str, str] = {}
        self.filled = 0  # pages given their earlier HTML with new figure texts, this build
        self.hold_nothing: set[str] = set()  # src_uris whose placeholders did not come back
        # The theme's files: by installed folder, its listing; by matching rule, each name's verdict.
        self.listed: dict[str, list[str]] = {}
        self.verdicts: dict[tuple[Any, ...], dict[str, bool]] = {}


CACHE = _Cache()
_MARKDOWN_SPECIALS = re.compile(r"[\\`*_{}\[\]()#+!<>|~-]")

# A figure's text as the macros write it (markup.py): right after its opening tag, up to the next tag.
_FIGURE_TEXT = re.compile(r'(<span class="fig"[^<>]*>)([^<>\n]+)(?=<)')
# Text Python-Markdown gives back as it is, with this site's extensions (mkdocs.yml): letters and
# digits (`_` is emphasis), spaces, and punctuation none of them reads.
_PASSED_THROUGH = re.compile(
    r"(?:[^\W_]|[ ,.:;%/()+'=?$\-\u00a0\u2009\u202f\u2013\u2014\u00b0\u00d7\u20ac\u00a3\u00a5"
    r"\uff0c\u3001\u3002\uff08\uff09\uff1a\uff1b\uff05])+"
)
# A line a heading is made from: `# Title`, or a line above `===` or `---`.
_HEADING_LINE = re.compile(r"^ {0,3}#.*$|^.*$(?=\n {0,3}(?:=+|-+)[ \t]*$)", re.M)
_ABBREVIATION = re.compile(r"^ {0,3}\*\[", re.M)
# The placeholder of a held-out text: one word, which no extension changes and no page types.
_PLACEHOLDER = "zqfigure{:05d}qz"
_PLACEHOLDERS = re.compile(r"zqfigure(\d{5})qz")


def hold_out(markdown: str, foot: str = "") -> tuple[str, tuple[str, ...]]:
    """`markdown` with the figure texts that cannot change the rest of its HTML replaced by
    placeholders, and those texts, in order; see the module's docstring."""
    if "zqfigure" in markdown or _ABBREVIATION.search(markdown) or _ABBREVIATION.search(foot):
        return markdown, ()
    headings = [(m.start(), m.end()) for m in _HEADING_LINE.finditer(markdown)]
    texts: list[str] = []

    def placeholder(match: re.Match[str]) -> str:
        text = match.group(2)
        start = match.start(2)
        if not _PASSED_THROUGH.fullmatch(text) or text.isspace() or any(a <= start < b for a, b in headings):
            return match.group()
        texts.append(text)
        return match.group(1) + _PLACEHOLDER.format(len(texts) - 1)

    held = _FIGURE_TEXT.sub(placeholder, markdown)
    return held, tuple(texts)


def _gives_back(html: str, texts: tuple[str, ...], page: Any) -> bool:
    """Did converting the held-out Markdown keep each placeholder once, in the page's text only?"""
    found = sorted(int(n) for n in _PLACEHOLDERS.findall(html))
    if found != list(range(len(texts))):
        return False
    around = [page.title or "", repr(page.present_anchor_ids)]
    items = list(page.toc or [])
    while items:
        item = items.pop()
        around += [item.title, item.id]
        items.extend(item.children)
    return not any("zqfigure" in text for text in around)


def fill(html: str, texts: tuple[str, ...]) -> str:
    """The HTML of a held-out page with its figure texts back in their places."""
    return _PLACEHOLDERS.sub(lambda m: texts[int(m.group(1))], html) if texts else html


def on_config(config: Any) -> None:
    """Under `serve`, the theme's Jinja environment lists the theme's files from what is kept."""
    if not CACHE.serving or not callable(getattr(config.theme, "get_env", None)):
        return
    # The project's own theme folder (overrides/) may change while serving; the installed theme does not.
    own = config.theme.custom_dir
    make_env = config.theme.get_env

    def get_env() -> jinja2.Environment:
        env: jinja2.Environment = make_env()
        list_afresh = env.list_templates

        def list_templates(extensions: Any = None, filter_func: Any = None) -> list[str]:
            return _theme_files(env, own, filter_func) if extensions is None else list_afresh(extensions, filter_func)

        env.list_templates = list_templates  # type: ignore[method-assign]
        return env

    config.theme.get_env = get_env


def _theme_files(env: jinja2.Environment, own: str | None, matches: Any) -> list[str]:
    """What `env.list_templates(filter_func=matches)` gives, from the listings and verdicts kept."""
    loader = env.loader
    # MkDocs' rule (Files.add_files_from_theme): a function of the name and of the build's
    # config, through the theme's `static_templates`; any other rule is applied afresh.
    config = _only_config(matches)
    if not isinstance(loader, jinja2.FileSystemLoader) or config is None:
        return jinja2.Environment.list_templates(env, filter_func=matches)
    names: set[str] = set()
    for folder in loader.searchpath:
        listed = CACHE.listed.get(folder)
        if listed is None:
            listed = jinja2.FileSystemLoader(folder, followlinks=loader.followlinks).list_templates()
            if own is None or not Path(folder).resolve().is_relative_to(Path(own).resolve()):
                CACHE.listed[folder] = listed
        names.update(listed)
    rule = (matches.__code__, tuple(sorted(config.theme.static_templates)))
    verdicts = CACHE.verdicts.setdefault(rule, {})
    found = []
    for name in sorted(names):
        verdict = verdicts.get(name)
        if verdict is None:
            verdict = verdicts[name] = bool(matches(name))
        if verdict:
            found.append(name)
    return found


def _only_config(matches: Any) -> Any:
    """The config a theme-file rule reads, when it reads nothing else; otherwise None."""
    code, cells = getattr(matches, "__code__", None), getattr(matches, "__closure__", None)
    if code is None or code.co_freevars != ("config",) or not cells:
        return None
    config = cells[0].cell_contents
    return config if hasattr(getattr(config, "theme", None), "static_templates") else None


def on_pre_build(config: Any) -> None:
    if not CACHE.serving:
        return
    CACHE.previous, CACHE.current = CACHE.current, {}
    CACHE.compiled_before, CACHE.compiled = CACHE.compiled, {}
    CACHE.reused, CACHE.keys = {}, {}
    CACHE.held, CACHE.markdown = {}, {}
    CACHE.pages = CACHE.filled = 0
    config_file = config.config_file_path
    CACHE.context = Path(config_file).read_text(encoding="utf-8") if config_file else repr(config)


def on_files(files: Any, config: Any) -> Any:
    if CACHE.serving:
        listing = "\n".join(sorted(f.src_uri for f in files))
        CACHE.context = hashlib.sha256(f"{CACHE.context}\0{listing}".encode()).hexdigest()
    return files


def on_page_markdown(markdown: str, page: Any, foot: str) -> str:
    """`foot`: what the Markdown step will add to the page."""
    if not CACHE.serving:
        return markdown
    CACHE.pages += 1
    uri = page.file.src_uri
    held, texts = (markdown, ()) if uri in CACHE.hold_nothing else hold_out(markdown, foot)
    if texts:
        CACHE.held[uri] = texts
        CACHE.markdown[uri] = markdown
    key = hashlib.sha256(f"{CACHE.context}\0{uri}\0{page.file.url}\0{held}\0{foot}".encode()).hexdigest()
    old = CACHE.previous.get(key)
    if old is None:
        CACHE.keys[uri] = key
        return held
    CACHE.reused[uri] = old
    CACHE.current[key] = dataclasses.replace(old, markdown=markdown) if texts else old
    if texts and old.markdown != markdown:
        CACHE.filled += 1
    # Nothing left to convert but the title, which MkDocs takes from the page's first heading as it
    # converts; on_page_content puts the earlier HTML back.
    return "# " + _MARKDOWN_SPECIALS.sub(r"\\\g<0>", old.title) + "\n" if old.title else ""


def reused(page: Any) -> bool:
    """Does the page get its HTML from the last build (on_page_markdown found it unchanged)?"""
    return page.file.src_uri in CACHE.reused


def on_page_content(html: str, page: Any, config: Any, files: Any, convert: Callable[[str], str]) -> str:
    """`convert`: converts the page again from the Markdown given (as MkDocs did), returns its HTML."""
    if not CACHE.serving:
        return html
    uri = page.file.src_uri
    texts = CACHE.held.get(uri, ())
    old = CACHE.reused.get(uri)
    if old is not None:
        page.toc = old.toc
        page.present_anchor_ids = old.anchors
        if old.links is not None:
            found = {uri: files.get_file_from_path(uri) for uri in old.links}
            page.links_to_anchors = {found[uri]: links for uri, links in old.links.items() if found[uri] is not None}
        return fill(old.html, texts)
    key = CACHE.keys.get(uri)
    if texts and not _gives_back(html, texts, page):
        # Python-Markdown did something with a placeholder after all: the page as typed, this time
        # and from now on.
        log.info(f"{uri}: converted as typed (a figure's placeholder did not come back once, in its text alone)")
        CACHE.hold_nothing.add(uri)
        html, texts, key = convert(CACHE.markdown[uri]), (), None
    if key is not None:
        links = page.links_to_anchors
        CACHE.current[key] = _Rendered(
            html=html,
            toc=page.toc,
            title=page.title,
            anchors=page.present_anchor_ids,
            links=None if links is None else {f.src_uri: dict(v) for f, v in links.items()},
            markdown=CACHE.markdown.get(uri, ""),
        )
    return fill(html, texts)


def on_post_build(config: Any) -> None:
    if CACHE.serving and CACHE.previous:
        log.info(
            f"{len(CACHE.reused)} of {CACHE.pages} pages unchanged since the last build: their HTML was reused"
            f" ({CACHE.filled} of them with new figure texts put in)"
        )


def _described(value: Any) -> str:
    """A setting of a Jinja environment as text that is the same in every build of the process: a
    function by its name (a new environment gets the same functions, as new objects)."""
    if callable(value) and hasattr(value, "__qualname__"):
        return f"{getattr(value, '__module__', '')}.{value.__qualname__}:{getattr(value, 'jinja_pass_arg', '')}"
    return repr(value)


def _settings(env: jinja2.Environment) -> str:
    """Everything in `env` that decides the code Jinja compiles a template to (what its own
    environment-wide caches of lexers and bytecode assume unchanged, and more)."""
    parts = [
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        env.optimized,
        env.is_async,
        _described(env.autoescape),
        _described(env.finalize),
        sorted(env.extensions),
        getattr(env, "newstyle_gettext", None),
        sorted((name, _described(f)) for name, f in env.filters.items()),
        sorted((name, _described(f)) for name, f in env.tests.items()),
    ]
    return repr(parts)


def keep_compiled(env: jinja2.Environment) -> None:
    """Under `serve`, let `env` reuse the code compiled for the same template in the last build.
    (Jinja's own caches live in one environment, and the pages' Markdown, which mkdocs-macros
    compiles as a template from a string, is never cached by Jinja.)"""
    if not CACHE.serving or env in CACHE.compiling:
        return
    CACHE.compiling.add(env)
    compile_afresh = env.compile

    def compile(
        source: Any, name: str | None = None, filename: str | None = None, raw: bool = False, defer_init: bool = False
    ) -> Any:
        if raw or not isinstance(source, str):
            return compile_afresh(source, name, filename, raw, defer_init)  # type: ignore[call-overload]
        key = hashlib.sha256(f"{_settings(env)}\0{name}\0{filename}\0{defer_init}\0{source}".encode()).hexdigest()
        code = CACHE.compiled.get(key) or CACHE.compiled_before.get(key)
        if code is None:
            code = compile_afresh(source, name, filename, False, defer_init)
        CACHE.compiled[key] = code
        return code

    env.compile = compile  # type: ignore[method-assign]
