"""`mkdocs serve` as an editor uses it: a YAML edit shows up, a data mistake shows on the page."""

from __future__ import annotations

import html
import os
import queue
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import markdown
import pytest
from mkdocs.config import load_config
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import Files
from mkdocs.structure.toc import get_toc
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from macros.adapters import mkdocs as adapter
from macros.adapters import mkdocs_cache
from macros.adapters.mkdocs_watch import SETTLE, NativeFirst
from scripts.bench import stop_server
from tests.sites import FACTS, basic_files, make_site
from tests.test_hostile import active_parts


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_for(url: str, ready: Callable[[str], bool], seconds: float = 300) -> str:
    """Poll until the page is ready: on a quiet machine in a second or two, on a busy one later."""
    deadline = time.monotonic() + seconds
    last = ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                last = str(response.read().decode("utf-8"))
            if ready(last):
                return last
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} never became ready; last page:\n{last[:2000]}")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    root = make_site(tmp_path, basic_files())
    port = _free_port()
    # As `make serve` runs it: at the server's root, not under the published address's path.
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "BRIEFING_FAIL_ON_MACRO_ERROR": "false",
        "SITE_URL": "http://127.0.0.1/",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--no-strict", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield root, f"http://127.0.0.1:{port}/"
    finally:
        stop_server(process)


def test_yaml_edit_shows_on_the_page_without_a_restart(served: tuple[Path, str]) -> None:
    root, url = served
    _wait_for(url, lambda page: ">25 seconds</span>" in page)
    (root / "data" / "facts.yaml").write_text(FACTS.replace("value: 25", "value: 26"), encoding="utf-8")
    _wait_for(url, lambda page: ">26 seconds</span>" in page)


def test_data_mistake_is_listed_on_the_page_and_the_server_stays_up(served: tuple[Path, str]) -> None:
    root, url = served
    _wait_for(url, lambda page: ">25 seconds</span>" in page)
    broken = FACTS.replace("        source: openai-launch\n", "        source: openai-lanch\n")
    (root / "data" / "facts.yaml").write_text(broken, encoding="utf-8")
    page = _wait_for(url, lambda page: "The data has 1 problem(s)" in page)
    assert "data/facts.yaml:8: fact 'tech.max-duration': claim 1 names unknown source" in html.unescape(page)
    # A key quoting markup, with backticks that would close a code span: shown as text, never run.
    hostile = "`<img src=x onerror=alert(1)>`"
    (root / "data" / "facts.yaml").write_text(
        FACTS.replace("    unit: seconds\n", f"    unit: seconds\n    '{hostile}': x\n"), encoding="utf-8"
    )
    page = _wait_for(url, lambda page: "The data has 1 problem(s)" in page and "unknown field" in html.unescape(page))
    assert not [part for part in active_parts(page) if part.startswith("<img") or "onerror" in part]
    assert f"unknown field '{hostile}'" in html.unescape(page)
    (root / "data" / "facts.yaml").write_text(FACTS, encoding="utf-8")
    _wait_for(url, lambda page: ">25 seconds</span>" in page and "The data has" not in page)


def _serve(root: Path, port: int, log: Path) -> subprocess.Popen[str]:
    """`mkdocs serve` as `make serve` runs it, on a given port, its log written to a file."""
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "BRIEFING_FAIL_ON_MACRO_ERROR": "false",
        "BRIEFING_SEARCH": "false",
        "SITE_URL": "http://127.0.0.1/",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--no-strict", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("w", encoding="utf-8"),
        text=True,
    )


_LIVERELOAD = re.compile(r"\nlivereload\(\d+, \d+\);\n")  # the live-reload script's build stamp
PAGES = ["", "about/", "facts/", "contested/", "sources/"]


def _all_pages(url: str) -> dict[str, str]:
    return {page: _LIVERELOAD.sub("", _wait_for(url + page, lambda _: True)) for page in PAGES}


def test_a_rebuild_reuses_unchanged_pages_and_serves_what_a_fresh_server_serves(tmp_path: Path) -> None:
    """After a one-value edit, pages whose Markdown did not change keep their earlier HTML; every
    page served is byte for byte what a server started afresh on the edited data serves."""
    files = basic_files(**{"docs/about.md": "# About\n\nWho we are: [the register](facts.md).\n"})
    root = make_site(tmp_path / "project", files)
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    log = tmp_path / "serve.log"
    first = _serve(root, port, log)
    try:
        _wait_for(url, lambda page: ">25 seconds</span>" in page)
        (root / "data" / "facts.yaml").write_text(FACTS.replace("value: 25", "value: 26"), encoding="utf-8")
        _wait_for(url, lambda page: ">26 seconds</span>" in page)
        # A page's own text edited too: its template is compiled afresh, the others' are reused.
        about = root / "docs" / "about.md"
        about.write_text(about.read_text(encoding="utf-8").replace("Who we are", "Who wrote this"), encoding="utf-8")
        _wait_for(url + "about/", lambda page: "Who wrote this" in page)
        rebuilt = _all_pages(url)
    finally:
        stop_server(first)
    reused = re.findall(
        r"(\d+) of (\d+) pages unchanged since the last build: their HTML was reused \((\d+) of them with new",
        log.read_text(encoding="utf-8"),
    )
    # After the edit of a value, its pages (the overview, the register, contested) kept their HTML,
    # with the new value put in; after the edit of "about", only that page was converted.
    assert len(reused) == 2, reused
    (kept, pages, filled), (kept_then, _, filled_then) = reused
    assert int(kept) == int(pages) and int(filled) >= 3, reused
    assert int(kept_then) == int(pages) - 1 and int(filled_then) == 0, reused
    second = _serve(root, port, tmp_path / "fresh.log")
    try:
        _wait_for(url, lambda page: ">26 seconds</span>" in page)
        fresh = _all_pages(url)
    finally:
        stop_server(second)
    assert ">26 seconds</span>" in rebuilt["facts/"]
    for page in PAGES:
        assert rebuilt[page] == fresh[page], page


def test_a_served_page_with_a_figure_in_a_heading_made_in_html_is_converted_as_typed(tmp_path: Path) -> None:
    """The adapter's own conversion again: a figure in an HTML heading is in the contents and an
    anchor too, so its placeholder comes back more than once; the page is converted from its own
    Markdown, and serves what a fresh server serves, edit after edit."""
    heading = '<h2 markdown="1">Longest clip: {{ fact("tech.max-duration") }}</h2>\n\nText.\n'
    root = make_site(tmp_path / "project", basic_files(**{"docs/about.md": "# About\n\n" + heading}))
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    log = tmp_path / "serve.log"
    first = _serve(root, port, log)
    try:
        _wait_for(url + "about/", lambda page: ">25 seconds</span>" in page)
        (root / "data" / "facts.yaml").write_text(FACTS.replace("value: 25", "value: 26"), encoding="utf-8")
        rebuilt = _LIVERELOAD.sub("", _wait_for(url + "about/", lambda page: ">26 seconds</span>" in page))
    finally:
        stop_server(first)
    assert "about.md: converted as typed" in log.read_text(encoding="utf-8")
    second = _serve(root, port, tmp_path / "fresh.log")
    try:
        fresh = _LIVERELOAD.sub("", _wait_for(url + "about/", lambda page: ">26 seconds</span>" in page))
    finally:
        stop_server(second)
    assert "zqfigure" not in rebuilt
    assert 'class="footnote"' in rebuilt  # the Markdown step's foot, added to the second conversion too
    assert rebuilt == fresh


class _Seen(FileSystemEventHandler):
    """The names of the files events are about, in the order they come."""

    def __init__(self) -> None:
        self.names: queue.Queue[str] = queue.Queue()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if not event.is_directory:
            self.names.put(Path(str(event.dest_path or event.src_path)).name)


native_only = pytest.mark.skipif(Observer is PollingObserver, reason="this system has no native file events")


@native_only
def test_saves_are_seen_as_they_happen_and_reading_is_never_a_change(tmp_path: Path) -> None:
    """Folders are watched with the system's file events, asked only for changes: a build reads
    every file it watches, and a read taken for a change would start the next build, for ever."""
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "facts.yaml").write_text(FACTS, encoding="utf-8")
    observer = NativeFirst(PollingObserver(timeout=0.1))
    seen = _Seen()
    observer.schedule(seen, str(folder), recursive=True)
    assert [w.path for w in observer.on_native] == [str(folder)]
    observer.start()
    try:
        assert (folder / "facts.yaml").read_text(encoding="utf-8") == FACTS  # what a build does
        (folder / "saved.yaml").write_text("saved: true\n", encoding="utf-8")  # what an editor does
        # Events come in the order they happened: a read reported would come first.
        assert seen.names.get(timeout=60) == "saved.yaml"
    finally:
        observer.stop()
        observer.join()


def test_a_single_file_stays_with_polling_and_so_does_everything_when_file_events_fail(tmp_path: Path) -> None:
    """mkdocs.yml is polled: a native watch of a file is lost when an editor saves it by a rename.
    When the system's file events cannot start (too many watches), folders are polled as before."""

    class NoEvents(PollingObserver):
        """An observer that cannot start, as inotify's when the system's watches are used up."""

        def start(self) -> None:
            raise OSError(28, "inotify watch limit reached")

    folder = tmp_path / "data"
    folder.mkdir()
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\n", encoding="utf-8")
    observer = NativeFirst(PollingObserver(timeout=0.1), native=NoEvents())
    seen = _Seen()
    observer.schedule(seen, str(config))
    assert not observer.on_native
    observer.schedule(seen, str(folder), recursive=True)
    assert [w.path for w in observer.on_native] == [str(folder)]
    observer.start()  # falls back, with a warning in the log
    try:
        assert not observer.on_native
        (folder / "saved.yaml").write_text("saved: true\n", encoding="utf-8")
        assert seen.names.get(timeout=60) == "saved.yaml"
    finally:
        observer.stop()
        observer.join()


@native_only
def test_the_serve_hook_gives_the_live_reload_server_native_watching(tmp_path: Path) -> None:
    """What MkDocs' serve does: docs/ and mkdocs.yml watched before the plugins' on_serve, the
    `watch:` folders (data/) after it."""
    docs, data, config = tmp_path / "docs", tmp_path / "data", tmp_path / "mkdocs.yml"
    docs.mkdir()
    data.mkdir()
    config.write_text("site_name: x\n", encoding="utf-8")
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path / "site"))
    try:
        server.watch(str(docs))
        server.watch(str(config))
        server = adapter.on_serve(server, {"docs_dir": str(docs)}, server.builder)
        server.watch(str(data))
        observer = server.observer
        assert isinstance(observer, NativeFirst)
        assert {w.path for w in observer.on_native} == {str(docs), str(data)}
        assert server.build_delay == SETTLE
    finally:
        server.server_close()


# --- figure texts held out of a page's conversion (mkdocs_cache.hold_out) ---------------------------


def _converter() -> Callable[[str], tuple[str, Any]]:
    """Python-Markdown with the site's own extensions and settings (mkdocs.yml): HTML and contents."""
    config = load_config(config_file=str(Path(__file__).parent.parent / "mkdocs.yml"))

    def convert(text: str) -> tuple[str, Any]:
        md = markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"])
        return md.convert(text), get_toc(getattr(md, "toc_tokens", []))

    return convert


def _fig(text: str) -> str:
    return f'<span class="fig" data-fact="tech.x">{text}</span>[^a]'


HELD_OUT = [
    f"# Title\n\nA clip lasts {_fig('25 seconds')}, or {_fig('up to 1,000,000 downloads (an estimate)')}.\n",
    f"| figure | source |\n|---|---|\n| {_fig('over 3.3 million downloads')} | a |\n| {_fig('60%')} | b |\n",
    f'!!! note "Note"\n\n    Inside: {_fig("about 20 – 25 s")}\n\n<div markdown="1">\n{_fig("12 seconds")}\n</div>\n',
    f'<div class="raw">{_fig("1.5 million")}</div>\n\n*Around {_fig("two weeks")}*, then {_fig("三百万次下载")}.\n',
    f"[A link with {_fig('42 minutes')}](https://example.org/) and `{_fig('in code')}`\n",
]
NOT_HELD = [
    # Text Python-Markdown reads: emphasis, an entity, a table's bar.
    _fig("a *b* c"),
    _fig("snake_case_value"),
    _fig("R&amp;D"),
    # Spaces alone: a placeholder would be text where there was none.
    _fig("  "),
    # On a heading's line, the text is also the contents' entry and the anchor.
    f"## Downloads: {_fig('3 million')}",
    f"Downloads: {_fig('3 million')}\n---",
]


@pytest.mark.parametrize("text", HELD_OUT)
def test_a_page_with_figure_texts_held_out_converts_to_the_same_html(text: str) -> None:
    convert = _converter()
    page = text + "\n[^a]: A source.\n"
    held, texts = mkdocs_cache.hold_out(page)
    assert texts and held != page
    assert not any(t in held for t in texts if t not in ("in code",))
    assert mkdocs_cache.fill(convert(held)[0], texts) == convert(page)[0]


@pytest.mark.parametrize("text", NOT_HELD)
def test_figure_texts_markdown_could_change_are_not_held_out(text: str) -> None:
    assert mkdocs_cache.hold_out(text + "\n") == (text + "\n", ())


def test_a_page_that_defines_abbreviations_holds_nothing_out() -> None:
    page = f"{_fig('3 MB')}\n\n*[MB]: megabytes\n"
    assert mkdocs_cache.hold_out(page) == (page, ())
    assert mkdocs_cache.hold_out(_fig("3 MB"), foot="*[MB]: megabytes\n")[1] == ()


def test_a_page_whose_placeholders_do_not_come_back_once_is_converted_from_its_own_markdown() -> None:
    """A heading made in HTML puts a figure's text in the contents and an anchor as well: the page is
    converted again as typed, its HTML what converting it always gave, and holds nothing out again."""
    convert = _converter()
    page_text = f'<h2 markdown="1">Downloads {_fig("3 million")}</h2>\n\nText.\n\n[^a]: A source.\n'
    page = SimpleNamespace(
        file=SimpleNamespace(src_uri="p.md", url="p/"), title=None, toc=None, present_anchor_ids=None
    )
    page.links_to_anchors = None
    serving, mkdocs_cache.CACHE.serving = mkdocs_cache.CACHE.serving, True
    try:
        mkdocs_cache.on_pre_build(SimpleNamespace(config_file_path=None))
        held = mkdocs_cache.on_page_markdown(page_text, page, "")
        assert held != page_text
        html, page.toc = convert(held)
        again: list[str] = []

        def convert_again(text: str) -> str:
            again.append(text)
            out, page.toc = convert(text)
            return out

        assert mkdocs_cache.on_page_content(html, page, None, None, convert_again) == convert(page_text)[0]
        assert again == [page_text]
        assert "p.md" in mkdocs_cache.CACHE.hold_nothing
        mkdocs_cache.on_pre_build(SimpleNamespace(config_file_path=None))
        assert mkdocs_cache.on_page_markdown(page_text, page, "") == page_text
    finally:
        mkdocs_cache.CACHE.hold_nothing.discard("p.md")
        for _ in range(2):  # this build's pages, then the last build's, let go
            mkdocs_cache.on_pre_build(SimpleNamespace(config_file_path=None))
        mkdocs_cache.CACHE.serving = serving


def test_the_theme_files_listed_from_what_is_kept_are_the_files_mkdocs_lists() -> None:
    """Under `serve` the installed theme's folder is walked once and each name's verdict kept; the
    theme files a rebuild copies are still exactly those MkDocs finds by walking everything."""
    config_file = str(Path(__file__).parent.parent / "mkdocs.yml")

    def theme_files(config: Any) -> list[tuple[str, str]]:
        files = Files([])
        files.add_files_from_theme(config.theme.get_env(), config)
        return [(f.src_uri, str(f.abs_src_path)) for f in files]

    expected = theme_files(load_config(config_file=config_file))
    assert len(expected) > 20
    serving, mkdocs_cache.CACHE.serving = mkdocs_cache.CACHE.serving, True
    try:
        for _ in range(2):  # the first build walks and decides, the second takes what was kept
            config = load_config(config_file=config_file)
            mkdocs_cache.on_config(config)
            assert theme_files(config) == expected
        assert mkdocs_cache.CACHE.listed and mkdocs_cache.CACHE.verdicts
        own = Path(str(config.theme.custom_dir)).resolve()
        assert not [folder for folder in mkdocs_cache.CACHE.listed if Path(folder).resolve().is_relative_to(own)]
    finally:
        mkdocs_cache.CACHE.serving = serving
        mkdocs_cache.CACHE.listed.clear()
        mkdocs_cache.CACHE.verdicts.clear()
