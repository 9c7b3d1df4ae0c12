"""Checks over the built HTML: the promises the site makes, verified on what readers get.

1. Every figure in a page's text (digits or number words, outside code, footnote texts,
   registered names and text produced from data) sits in a `.fig` element followed by its
   footnote reference.
2. Every footnote reference has exactly one definition, every definition is referenced, and no
   literal `[^…]` is left over.
3. No template syntax, no active markup (scripts, event handlers, `javascript:` links) in content.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import re
import subprocess
import sys
from concurrent.futures import Future
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from .. import memo, paths
from ..sidecar import SIDECAR, SidecarError

NUMBER_WORDS = (
    "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
    "eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred hundreds thousand "
    "thousands million millions billion billions trillion dozen dozens "
    "twice thrice doubled tripled quadrupled halved"
).split()  # "one" is left out: "one of", "the one" are rarely figures; "one million" is caught by "million".
# "half" and "double" are left out for the same reason ("the second half", "a double standard").
# A whole number ("627,000", "1.5") or a number word is one figure, reported once.
_FIGURE_RX = re.compile(r"\d(?:[\d,.]*\d)?|\b(?:" + "|".join(NUMBER_WORDS) + r")\b", re.IGNORECASE)
# The Chinese edition: Chinese numerals and number words (三天, 一百万, 两倍, 百分之五十) are figures
# too. Words that hold a numeral but state no quantity are read as words; names holding one
# (百度, 通义万相) come from the names registry, like "Sora 2".
_ZH_NUMERALS = "〇零一二两三四五六七八九十百千万亿"
ZH_WORDS = (
    "一些 一直 一起 一旦 一方面 一致 一度 一样 一切 一律 一并 一体 一般 一定 一再 一向 一时 一同 一贯 一道 "
    "之一 唯一 统一 同一 逐一 进一步 万一 专一 单一 一手 二手 一线 首席 千万别 十分 "
    "一月 二月 三月 四月 五月 六月 七月 八月 九月 十月 十一月 十二月"
).split()
# A lone 一 ("a", "one": 一个, 一家) is left out, as "one" is in English; 一百万 is caught whole.
_ZH_FIGURE_RX = re.compile(
    rf"百分之[{_ZH_NUMERALS}]+|[{_ZH_NUMERALS}]{{2,}}[倍成]?|[{_ZH_NUMERALS.replace('一', '')}][倍成]?|[双数]倍|半数"
)
_ACTIVE_TAGS = {"script", "iframe", "object", "embed", "form", "style", "base", "meta", "link"}
# Footnotes are read like the rest of the page: the macros' own footnote texts are marked as text
# from data, and a footnote written on a page must not carry a figure past the check.
_SKIP_CLASSES = {"from-data", "headerlink", "briefing-error", "md-source-file"}
# Attributes whose text a reader sees (as a tooltip, or instead of an image): checked for figures
# like the text, except on the links the build writes itself (back to a footnote, to a YAML line).
_SHOWN_ATTRIBUTES = ("title", "alt", "aria-label")
_OWN_LINK_CLASSES = {"footnote-backref", "headerlink", "edit-fact", "footnote-ref", "md-content__button"}
_SKIP_TAGS = {"code", "pre", "script", "style", "svg", "kbd"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class _Frame:
    tag: str
    skip: bool
    fig: bool


@dataclass
class PageReport:
    page: str
    problems: list[str] = field(default_factory=list)

    def add(self, message: str) -> None:
        self.problems.append(f"{self.page}: {message}")


class _ArticleParser(HTMLParser):
    """Walks the article of one page and records figures, footnotes and active markup."""

    def __init__(self, report: PageReport, names: list[str], chinese: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.report = report
        if chinese:  # the longest first, so 十一月 is read before 十一
            names = sorted({*names, *ZH_WORDS}, key=len, reverse=True)
        self.names_rx = re.compile("|".join(re.escape(n) for n in names)) if names else None
        self.figure_rxs = (_FIGURE_RX, _ZH_FIGURE_RX) if chinese else (_FIGURE_RX,)
        self.stack: list[_Frame] = []
        self.in_article = False
        self.depth_at_article = 0
        self.pending_fig: str | None = None  # text of a figure still waiting for its footnote
        self.refs: list[str] = []
        self.defs: list[str] = []
        self.text_tail = ""
        # How many open elements skip their text, and how many are figures: counted as they open
        # and close rather than searched for in the stack at every run of text.
        self.skips = 0
        self.figs = 0

    @property
    def skipping(self) -> bool:
        return self.skips > 0

    def _push(self, frame: _Frame) -> None:
        self.stack.append(frame)
        self.skips += frame.skip
        self.figs += frame.fig

    def _pop(self) -> _Frame:
        frame = self.stack.pop()
        self.skips -= frame.skip
        self.figs -= frame.fig
        return frame

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        classes = set((attributes.get("class") or "").split())
        if not self.in_article:
            if tag == "article" and "md-content__inner" in classes:
                self.in_article = True
                self.stack, self.skips, self.figs = [_Frame(tag, False, False)], 0, 0
            return
        self._check_active(tag, attrs)
        self._check_shown_attributes(attrs, classes)
        if self.pending_fig is not None:
            if tag == "sup" and (attributes.get("id") or "").startswith("fnref"):
                self.pending_fig = None
            else:
                self._unfootnoted()
        if tag == "a" and "footnote-ref" in classes:
            self.refs.append((attributes.get("href") or "").removeprefix("#fn:"))
        if tag == "li" and (attributes.get("id") or "").startswith("fn:"):
            self.defs.append((attributes.get("id") or "").removeprefix("fn:"))
        if tag in _VOID:
            return
        skip = (
            tag in _SKIP_TAGS
            or bool(classes & _SKIP_CLASSES)
            or (tag == "sup" and (attributes.get("id") or "").startswith("fnref"))
        )
        self._push(_Frame(tag, skip, "fig" in classes))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.in_article:
            self._check_active(tag, attrs)
            self._check_shown_attributes(attrs, set((dict(attrs).get("class") or "").split()))

    def _check_shown_attributes(self, attrs: list[tuple[str, str | None]], classes: set[str]) -> None:
        if self.skips or classes & (_OWN_LINK_CLASSES | _SKIP_CLASSES):
            return
        for name, value in attrs:
            if name in _SHOWN_ATTRIBUTES and value:
                self._check_figures(value)

    def handle_endtag(self, tag: str) -> None:
        if not self.in_article or tag in _VOID:
            return
        while self.stack:
            frame = self._pop()
            if frame.fig:
                self.pending_fig = self.text_tail[-40:]
            if frame.tag == tag:
                break
        if not self.stack:
            self.in_article = False
            if self.pending_fig is not None:
                self._unfootnoted()

    def handle_data(self, data: str) -> None:
        if not self.in_article:
            return
        if self.pending_fig is not None and data.strip():
            self._unfootnoted()
        if not self.skips and not self.figs:
            self._check_figures(data)
        self.text_tail = (self.text_tail + data)[-200:]

    def _check_figures(self, data: str) -> None:
        scrubbed = self.names_rx.sub(lambda m: "N" * len(m.group()), data) if self.names_rx else data
        for figures in self.figure_rxs:
            for match in figures.finditer(scrubbed):
                self.report.add(f'figure not from data: "{_context(data, match.start())}"')

    def _unfootnoted(self) -> None:
        self.report.add(f'figure without a footnote: "{(self.pending_fig or "").strip()}"')
        self.pending_fig = None

    def _check_active(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _ACTIVE_TAGS:
            self.report.add(f"active markup in content: <{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.report.add(f"event handler in content: <{tag} {name}=…>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                ("javascript:", "data:", "vbscript:")
            ):
                self.report.add(f"script address in content: <{tag} {name}={(value or '')[:30]}…>")
            if value and ("{{" in value or "{%" in value):
                self.report.add(f"template syntax in an attribute: <{tag} {name}=…>")


def _context(text: str, at: int, width: int = 30) -> str:
    start, end = max(0, at - width), min(len(text), at + width)
    snippet = " ".join(text[start:end].split())
    return ("…" if start else "") + snippet + ("…" if end < len(text) else "")


_ARTICLE_RX = re.compile(r'<article class="md-content__inner[^"]*">(.*?)</article>', re.S)
_LEFTOVER_RX = re.compile(r"\{\{|\{%|\[\^")


def _check_source_text(html: str, report: PageReport) -> None:
    """Leftovers in the HTML as written: data text is entity-escaped, so only a template or a
    footnote reference that was never processed leaves these characters literally."""
    for article in _ARTICLE_RX.findall(html):
        for match in _LEFTOVER_RX.finditer(re.sub(r"<(pre|code)\b.*?</\1>", "", article, flags=re.S)):
            what = "footnote reference" if match.group() == "[^" else "template syntax"
            report.add(f'unprocessed {what}: "{_context(article, match.start())}"')
        if "<!--briefing-chart:" in article:  # core/charts.py: a mark no drawing replaced
            report.add("a chart was never drawn into the page")


def page_input(html: str) -> tuple[str, bool]:
    """All a page's check reads of its HTML: its article(s), and whether the page is in Chinese.
    Only the article is content; the navigation and tables of contents around it are the theme's
    (on the fact register, a third of the page) and need no reading."""
    articles = "".join(m.group() for m in _ARTICLE_RX.finditer(html))
    return articles, re.search(r'<html[^>]* lang="zh', html[:2000]) is not None


def check_page(html: str, page: str, names: list[str]) -> list[str]:
    return check_article(*page_input(html), page, names)


def check_article(articles: str, chinese: bool, page: str, names: list[str]) -> list[str]:
    report = PageReport(page)
    _check_source_text(articles, report)
    parser = _ArticleParser(report, names, chinese)
    parser.feed(articles)
    parser.close()
    return _footnotes(parser, report)


def _footnotes(parser: _ArticleParser, report: PageReport) -> list[str]:
    """The footnote checks, once the parser has read every article: the report's lines in full."""
    counts: dict[str, int] = {}
    for label in parser.defs:
        counts[label] = counts.get(label, 0) + 1
    for label, count in counts.items():
        if count > 1:
            report.add(f"footnote {label} is defined {count} times")
    for label in sorted(set(parser.refs) - set(counts)):
        report.add(f"footnote reference {label} has no definition")
    for label in sorted(set(counts) - set(parser.refs)):
        report.add(f"footnote {label} is never referenced")
    return report.problems


PARALLEL_BYTES = 8_000_000  # below this much HTML, starting more interpreters costs more than it saves
_WORKER = (
    "import json, sys\n"
    "from macros.finish.checks import _check_file\n"
    "print(json.dumps([_check_file(job) for job in json.loads(sys.argv[1])]))\n"
)


# Pages checked as they were written (`check_early`), by their path in the site: the result to
# come, with a digest of what was checked.
_EARLY: dict[str, Future[tuple[str, list[str]]]] = {}


class _OutsideHead:
    """A digest of a page's file without its head, and of the names it is checked with, taken a
    piece at a time as the file is read: the finish step changes only heads (link previews, the
    feed's address), and a check reads only the articles and the `<html lang>` before the head.
    The same digest for the same bytes, however they are cut (`memo.key`'s layout: each part's
    length, then the part)."""

    def __init__(self, size: int) -> None:
        self.size = size  # the file's length when it was opened
        self.seen = 0
        self.hash = hashlib.sha256()
        self.lead: bytes | None = b""  # the bytes up to the end of the head, held until it is found

    def _part(self, length: int, data: bytes | memoryview) -> None:
        self.hash.update(length.to_bytes(8, "big"))
        self.hash.update(data)

    def update(self, data: bytes) -> None:
        self.seen += len(data)
        if self.lead is None:
            self.hash.update(data)
            return
        self.lead += data
        if b"</head>" in self.lead:
            self._lead_read()

    def _lead_read(self) -> None:
        lead, self.lead = self.lead or b"", None
        start, end = lead.find(b"<head"), lead.find(b"</head>")
        whole = memoryview(lead)  # in place: a large register page is tens of megabytes
        if 0 <= start < end:
            self._part(start, whole[:start])
            self._part(self.size - end, whole[end:])
        else:
            self._part(self.size, whole)

    def hexdigest(self, names: list[str]) -> str:
        """The digest, or "" (which matches nothing) if the file was not the length it had when
        opened: written to while it was read."""
        if self.lead is not None:
            self._lead_read()
        listed = "\0".join(names).encode("utf-8")
        self._part(len(listed), listed)
        return self.hash.hexdigest() if self.seen == self.size else ""


def _outside_head(page: bytes, names: list[str]) -> str:
    digest = _OutsideHead(len(page))
    digest.update(page)
    return digest.hexdigest(names)


def check_early(page: str, path: Path, names: list[str]) -> None:
    """Check a page the engine has just written, in the build's second process if it runs
    (sidecar.py), while the engine goes on. The sidecar reads the file itself, so no page is held
    here meanwhile. `check_site` takes the result if the page is the same, head aside, in the
    finished site; otherwise (a page changed since, or read half-written) it checks it again."""
    _EARLY[page] = SIDECAR.submit("macros.finish.checks:check_written", str(path), page, names)


def check_written(path: str, page: str, names: list[str]) -> tuple[str, list[str]]:
    """A page's file checked as `check_page` checks its text, read a piece at a time: a register
    page at thousands of facts is tens of megabytes as text, and the second process that does this
    check lives beside the build. What the check returns comes with the digest of what it read."""
    with open(path, "rb") as file:
        digest = _OutsideHead(os.fstat(file.fileno()).st_size)
        decoder = codecs.getincrementaldecoder("utf-8")()
        streamed = _Streamed(page, names)
        while data := file.read(_PIECE):
            digest.update(data)
            streamed.read(decoder.decode(data))
        streamed.read(decoder.decode(b"", final=True), end=True)
    checked = digest.hexdigest(names)
    if streamed.whole_page_needed:
        # Left-over template text, footnote references or chart marks: the page is read again
        # whole, so that each is reported exactly as a check of the whole page reports it.
        return checked, check_page(Path(path).read_text(encoding="utf-8"), page, names)
    return checked, streamed.problems()


_PIECE = 1 << 20  # bytes read at a time
_LANG_SPAN = 2000  # `page_input` looks for the page's language in its first 2,000 characters
_ARTICLE_TAG = '<article class="md-content__inner'
_ARTICLE_OPEN_RX = re.compile(re.escape(_ARTICLE_TAG) + r'[^"]*">')
_ARTICLE_END = "</article>"
_CODE_OPEN_RX = re.compile(r"<(pre|code)\b")
_CHART_MARK = "<!--briefing-chart:"


class _Streamed:
    """A page's text, given a piece at a time, checked as `check_page` checks it whole: its
    articles found as `page_input` finds them, and fed to the parser in pieces that end between a
    tag's `>` and the next `<`, so that no run of text is cut (the parser hands text on as it
    finds it, and a figure cut in two would be two figures, or none). `_check_source_text` is not
    done here: this notes whether it could find anything (outside `pre` and `code` as it reads
    them, `{{`, `{%` or `[^`, or a chart's mark anywhere), and if so the caller checks the page
    whole, which is then rare and a failing build anyway."""

    def __init__(self, page: str, names: list[str]) -> None:
        self.report = PageReport(page)
        self.names = names
        self.parser: _ArticleParser | None = None
        self.text = ""  # read but not yet dealt with
        self.lead = ""  # the page's first characters, until the language is known
        self.in_article = False
        self.unfed = ""  # article text not yet given to the parser
        self.whole_page_needed = False
        # The source-text scan of the article being read: inside which of pre/code, if any, and
        # the last character of the text outside them (`{` then `{` across a removed block).
        self.in_code: str | None = None
        self.scan = ""
        self.last_outside = ""
        self.mark_tail = ""

    def read(self, text: str, end: bool = False) -> None:
        if self.parser is None:
            self.lead += text
            if len(self.lead) < _LANG_SPAN and not end:
                return
            chinese = re.search(r'<html[^>]* lang="zh', self.lead[:_LANG_SPAN]) is not None
            self.parser = _ArticleParser(self.report, self.names, chinese)
            text, self.lead = self.lead, ""
        self.text += text
        while self._step(end):
            pass
        if end:
            self.parser.feed(self.unfed)
            self.unfed = ""
            self.parser.close()

    def _step(self, end: bool) -> bool:
        """Deal with what `self.text` allows; whether there may be more to deal with."""
        text = self.text
        if not self.in_article:
            found = _ARTICLE_OPEN_RX.search(text)
            if found is not None:
                self.in_article = True
                self._feed(found.group())
                self.text = text[found.end() :]
                return True
            # Keep what could still begin an article's tag: its name cut short, or a tag whose
            # class attribute has not ended yet.
            keep = text.find(_ARTICLE_TAG)
            while keep >= 0 and 0 <= text.find('"', keep + len(_ARTICLE_TAG)) < len(text) - 1:
                keep = text.find(_ARTICLE_TAG, keep + 1)
            self.text = "" if end else text[keep:] if keep >= 0 else text[-(len(_ARTICLE_TAG) - 1) :]
            return False
        close = text.find(_ARTICLE_END)
        if close < 0 and end:  # an article never closed: a check of the whole page does not read it
            self.whole_page_needed = True
            self.text = ""
            return False
        if close < 0:
            cut = len(text) if end else max(len(text) - len(_ARTICLE_END) + 1, 0)
            self._inner(text[:cut], end)
            self._feed(text[:cut])
            self.text = text[cut:]
            return False
        self._inner(text[:close], True)
        self._feed(text[: close + len(_ARTICLE_END)])
        self.in_article = False
        self.text = text[close + len(_ARTICLE_END) :]
        return True

    def _feed(self, text: str) -> None:
        assert self.parser is not None
        self.unfed += text
        cut = self.unfed.rfind("><") + 1
        if cut > 0:
            self.parser.feed(self.unfed[:cut])
            self.unfed = self.unfed[cut:]

    def _inner(self, text: str, last: bool) -> None:
        """The source-text scan over an article's inner text, a piece at a time; `last` at its end."""
        marked = self.mark_tail + text
        if _CHART_MARK in marked:
            self.whole_page_needed = True
        self.mark_tail = marked[-(len(_CHART_MARK) - 1) :]
        scan = self.scan + text
        at = 0
        while True:
            if self.in_code is None:
                opening = _CODE_OPEN_RX.search(scan, at)
                # At the very end of what is read so far, `\b` would match before letters to come.
                if opening is not None and (last or opening.end() < len(scan)):
                    self._outside(scan[at : opening.start()])
                    self.in_code, at = opening.group(1), opening.end()
                    continue
                hold = opening.start() if opening is not None else max(len(scan) - len("<code"), at)
                hold = len(scan) if last else hold
                self._outside(scan[at:hold])
                at = hold
                break
            closing = scan.find(f"</{self.in_code}>", at)
            if closing >= 0:
                at = closing + len(f"</{self.in_code}>")
                self.in_code = None
                continue
            if last:  # never closed: the whole-page check reads the rest again from its start
                self.whole_page_needed = True
                at = len(scan)
            else:
                at = max(len(scan) - len(self.in_code) - 2, at)
            break
        self.scan = scan[at:]
        if last:
            self.scan, self.last_outside, self.mark_tail, self.in_code = "", "", "", None

    def _outside(self, text: str) -> None:
        if text:
            if _LEFTOVER_RX.search(self.last_outside + text):
                self.whole_page_needed = True
            self.last_outside = text[-1]

    def problems(self) -> list[str]:
        assert self.parser is not None
        return _footnotes(self.parser, self.report)


def _early(page: str, html: bytes, names: list[str]) -> list[str] | None:
    result = _EARLY.pop(page, None)
    if result is None:
        return None
    try:
        checked, problems = result.result()
    except (SidecarError, OSError, ValueError):  # the second process stopped, or the file was not there
        return None
    return problems if checked == _outside_head(html, names) else None


def _check_file(job: tuple[str, str, list[str]]) -> list[str]:
    path, page, names = job
    return check_page(Path(path).read_text(encoding="utf-8"), page, names)


def _check_in_parallel(jobs: list[tuple[str, str, list[str]]], sizes: list[int], workers: int) -> list[list[str]]:
    """Pages shared out to fresh interpreters, the largest first to the least loaded. Plain child
    processes rather than multiprocessing, which would re-import whatever script started MkDocs."""
    shares: list[list[int]] = [[] for _ in range(workers)]
    loads = [0] * workers
    for i in sorted(range(len(jobs)), key=lambda i: -sizes[i]):
        least = loads.index(min(loads))
        shares[least].append(i)
        loads[least] += sizes[i]
    package_home = str(paths.ROOT)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([package_home, *sys.path])}
    children = [
        (
            share,
            subprocess.Popen(
                [sys.executable, "-c", _WORKER, json.dumps([jobs[i] for i in share])], env=env, stdout=subprocess.PIPE
            ),
        )
        for share in shares
    ]
    found: dict[int, list[str]] = {}
    for share, child in children:
        out, _ = child.communicate()
        results = json.loads(out) if child.returncode == 0 else [_check_file(jobs[i]) for i in share]
        found.update(zip(share, results, strict=True))
    return [found[i] for i in range(len(jobs))]


def check_site(site_dir: Path, names: list[str]) -> list[str]:
    """Check every HTML page of a built site; return one line per problem, in page order.

    A page whose HTML, name list and checking code are all as they were at an earlier build takes
    that build's result (`memo`): after a one-value edit only the pages it changed are read. Pages
    are independent, so a large site is checked on every CPU: with thousands of facts the register
    alone is tens of megabytes of HTML."""
    # The theme's not-found page of each edition (404.html, zh/404.html) is not content.
    paths = [p for p in sorted(site_dir.rglob("*.html")) if p.name != "404.html"]
    code, listed = Path(__file__).read_bytes(), "\0".join(names)
    found: dict[int, list[str]] = {}
    todo: list[int] = []
    keys: list[str] = []
    for i, path in enumerate(paths):
        page, html = path.relative_to(site_dir).as_posix(), path.read_bytes()
        keys.append(memo.key(code, listed, page, html) + ".json")
        kept = memo.recall("site-checks", keys[i])
        if kept is None and _EARLY:
            early = _early(page, html, names)
            if early is not None:
                memo.keep("site-checks", keys[i], json.dumps(early))
            kept = None if early is None else json.dumps(early)
        if kept is None:
            todo.append(i)
        else:
            found[i] = json.loads(kept)
    _EARLY.clear()
    jobs = [(str(paths[i]), paths[i].relative_to(site_dir).as_posix(), names) for i in todo]
    sizes = [paths[i].stat().st_size for i in todo]
    workers = min(os.cpu_count() or 1, len(jobs))
    if workers < 2 or sum(sizes) < PARALLEL_BYTES:
        results = [_check_file(job) for job in jobs]
    else:
        results = _check_in_parallel(jobs, sizes, workers)
    for i, result in zip(todo, results, strict=True):
        found[i] = result
        memo.keep("site-checks", keys[i], json.dumps(result))
    if todo:
        memo.prune("site-checks")
    return [line for i in range(len(paths)) for line in found[i]]
