"""A second process beside a build, for work the pages do not wait on: chart drawings, checking
pages as they are written, the link-preview image.

A build runs on one CPU: MkDocs converts and writes its pages one after the other, and
vl-convert and the checks' HTML parser hold Python's lock while they work, so a thread would not
help. Started, the sidecar takes those jobs in another interpreter while the build goes on, and
the build asks for each result only where it needs it (a chart's drawing when its page is
written, the checks at the very end). Not started, `submit` runs the job at once in this
process, so the same code serves every engine and `mkdocs serve`, whose rebuilds take their
drawings from the cache anyway.

What stays in the build's own process does so because the sidecar would need a second copy of
something large: the ledger (for the downloads) or jieba's dictionary (for the search index's
Chinese words), which the theme's search plugin has loaded there already.

The sidecar is a plain child interpreter (`python -m macros.sidecar`) rather than
multiprocessing, which would re-import whatever script started the build. Jobs are names of
functions in this package with their arguments, sent pickled, one frame each, and done in the
order sent; one thread writes them, another reads the answers and completes their futures. If
the process cannot be started the jobs run here; if it dies, every job still waiting fails with
one line saying so.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import pickle
import queue
import struct
import subprocess
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import IO, Any

from . import paths

_HEADER = struct.Struct(">Q")


class SidecarError(Exception):
    """A job the sidecar could not do, or the sidecar itself stopped: one line of text."""


def _send(stream: IO[bytes], value: Any) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def _receive(stream: IO[bytes]) -> Any:
    head = stream.read(_HEADER.size)
    if len(head) < _HEADER.size:
        raise EOFError
    size = _HEADER.unpack(head)[0]
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)


def first_line(error: BaseException) -> str:
    """An error as one line: its first line of text, or its kind when it has none."""
    return next((line.strip() for line in str(error).splitlines() if line.strip()), type(error).__name__)


def _function(name: str) -> Callable[..., Any]:
    """`macros.core.drawing:draw` → the function; only this package's functions are run."""
    module, _, attribute = name.partition(":")
    if module != __package__ and not module.startswith(f"{__package__}."):
        raise ValueError(f"not a function of this package: {name}")
    return getattr(importlib.import_module(module), attribute)  # type: ignore[no-any-return]


class _Process:
    """One started sidecar: the child, the jobs it owes, and why it stopped once it has."""

    def __init__(self, child: subprocess.Popen[bytes]) -> None:
        self.child = child
        self.waiting: dict[int, Future[Any]] = {}
        self.lock = threading.Lock()
        self.next = 0
        self.gone = ""
        # Jobs are written by a thread of their own: a page is larger than a pipe holds, and the
        # build must not stand still until the sidecar, busy with a drawing, reads it.
        self.outbox: queue.SimpleQueue[tuple[int, str, tuple[Any, ...]] | None] = queue.SimpleQueue()
        threading.Thread(target=self.write, daemon=True, name="sidecar-jobs").start()
        self.reader = threading.Thread(target=self.read, daemon=True, name="sidecar-answers")
        self.reader.start()

    def send(self, function: str, args: tuple[Any, ...]) -> Future[Any]:
        future: Future[Any] = Future()
        with self.lock:
            if self.gone:
                future.set_exception(SidecarError(self.gone))
                return future
            number, self.next = self.next, self.next + 1
            self.waiting[number] = future
        self.outbox.put((number, function, args))
        return future

    def close(self) -> None:
        """No more jobs: once those sent are written, the sidecar reads the end of its input."""
        self.outbox.put(None)

    def write(self) -> None:
        assert self.child.stdin is not None
        while (job := self.outbox.get()) is not None:
            try:
                _send(self.child.stdin, job)
            except OSError:  # gone: the reader fails the job with the others
                break
        with contextlib.suppress(OSError):
            self.child.stdin.close()

    def read(self) -> None:
        """The answers, in a thread of their own: results complete their futures as they come."""
        assert self.child.stdout is not None
        while True:
            try:
                number, ok, value = _receive(self.child.stdout)
            except (EOFError, OSError, pickle.UnpicklingError):
                break
            with self.lock:
                future = self.waiting.pop(number, None)
            if future is not None and ok:
                future.set_result(value)
            elif future is not None:
                future.set_exception(SidecarError(value))
        self.child.wait()
        # Every job still waiting, and every job sent later, fails: the process is gone (a native
        # crash, killed, or stopped).
        with self.lock:
            self.gone = f"the build's second process stopped (exit code {self.child.returncode})"
            waiting, self.waiting = self.waiting, {}
        for future in waiting.values():
            future.set_exception(SidecarError(self.gone))


class Sidecar:
    def __init__(self) -> None:
        self._process: _Process | None = None
        self._stopping: _Process | None = None

    @property
    def running(self) -> bool:
        return self._process is not None

    def start(self) -> None:
        """Start the process, if there is a second CPU to give it; otherwise jobs run here, as they
        do when BRIEFING_ONE_PROCESS is set (to compare, or to profile a build in one process)."""
        if self._process is not None or (os.cpu_count() or 1) < 2 or os.environ.get("BRIEFING_ONE_PROCESS"):
            return
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(paths.ROOT), *sys.path])}
        try:
            child = subprocess.Popen(
                [sys.executable, "-m", f"{__package__}.sidecar"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env
            )
        except OSError:
            return
        self._process = _Process(child)

    def submit(self, function: str, *args: Any) -> Future[Any]:
        """Do `function(*args)` in the sidecar, or here when it was not started. Once it has
        stopped, a job fails rather than run here: what stopped it may be what the job would do."""
        if self._process is not None:
            return self._process.send(function, args)
        future: Future[Any] = Future()
        try:
            future.set_result(_function(function)(*args))
        except Exception as error:  # the job's own error, handed to whoever waits on it
            future.set_exception(error)
        return future

    def stop(self) -> None:
        """Let the process end once it has done the jobs sent; nothing waits for it unless `wait` is
        called (its reader thread collects it), and jobs sent after this run here."""
        process, self._process = self._process, None
        if process is not None:
            process.close()
            self._stopping = process

    def wait(self) -> None:
        """Once stopped, return when the process has done the jobs sent and ended, every result in:
        a build waits for this before its largest moment, so the process's memory is not added."""
        process, self._stopping = self._stopping, None
        if process is not None:
            process.reader.join()


SIDECAR = Sidecar()


def serve(requests: IO[bytes], answers: IO[bytes]) -> None:
    """The sidecar's side: do each job sent, in order, and answer with its result or its error."""
    while True:
        try:
            number, function, args = _receive(requests)
        except EOFError:
            return
        try:
            answer = (number, True, _function(function)(*args))
        except Exception as error:  # sent back as the job's one line; the sidecar goes on
            answer = (number, False, first_line(error))
        _send(answers, answer)


if __name__ == "__main__":
    # The answers get the real standard output; anything a library prints goes to standard error.
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    serve(sys.stdin.buffer, answers)
