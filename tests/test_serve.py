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

import pytest
from mkdocs.livereload import LiveReloadServer
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from macros.adapters import mkdocs as adapter
from macros.adapters.mkdocs_watch import SETTLE, NativeFirst
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
        process.terminate()
        process.wait(timeout=30)


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
        first.terminate()
        first.wait(timeout=30)
    reused = re.findall(r"(\d+) of (\d+) pages unchanged since the last build", log.read_text(encoding="utf-8"))
    assert reused and 0 < int(reused[-1][0]) < int(reused[-1][1]), reused  # "about" and "sources" kept theirs
    second = _serve(root, port, tmp_path / "fresh.log")
    try:
        _wait_for(url, lambda page: ">26 seconds</span>" in page)
        fresh = _all_pages(url)
    finally:
        second.terminate()
        second.wait(timeout=30)
    assert ">26 seconds</span>" in rebuilt["facts/"]
    for page in PAGES:
        assert rebuilt[page] == fresh[page], page


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
