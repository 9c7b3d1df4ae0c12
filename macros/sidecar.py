"""A second process beside a build, for the work that does not need the pages: chart drawings,
loading the Chinese dictionary, cutting the search index into words.

A build runs on one CPU: MkDocs converts and writes its pages one after the other, and
vl-convert and jieba hold Python's lock while they work, so a thread would not help. Started,
the sidecar takes those jobs in another interpreter while the build goes on, and the build asks
for each result only where it needs it (a chart's drawing when its page is written, the search
index at the very end). Not started, `submit` runs the job at once in this process, so the
same code serves every engine and `mkdocs serve`, whose rebuilds take their drawings from the
cache anyway.

The sidecar is a plain child interpreter (`python -m macros.sidecar`) rather than
multiprocessing, which would re-import whatever script started the build. Jobs are names of
functions in this package with their arguments, sent pickled, one frame each, and done in the
order sent; a thread reads the answers and completes their futures. If the process cannot be
started the jobs run here; if it dies, every job still waiting fails with one line saying so.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import pickle
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


def _function(name: str) -> Callable[..., Any]:
    """`macros.core.drawing:draw` → the function; only this package's functions are run."""
    module, _, attribute = name.partition(":")
    if module != __package__ and not module.startswith(f"{__package__}."):
        raise ValueError(f"not a function of this package: {name}")
    return getattr(importlib.import_module(module), attribute)  # type: ignore[no-any-return]


class Sidecar:
    def __init__(self) -> None:
        self._child: subprocess.Popen[bytes] | None = None
        self._waiting: dict[int, Future[Any]] = {}
        self._lock = threading.Lock()
        self._next = 0
        self._gone = ""  # why the process stopped, once it has

    @property
    def running(self) -> bool:
        return self._child is not None

    def start(self) -> None:
        """Start the process, if there is a second CPU to give it; otherwise jobs run here, as they
        do when BRIEFING_ONE_PROCESS is set (to compare, or to profile a build in one process)."""
        if self._child is not None or (os.cpu_count() or 1) < 2 or os.environ.get("BRIEFING_ONE_PROCESS"):
            return
        self._gone = ""
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(paths.ROOT), *sys.path])}
        try:
            self._child = subprocess.Popen(
                [sys.executable, "-m", f"{__package__}.sidecar"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env=env,
            )
        except OSError:
            self._child = None
            return
        threading.Thread(target=self._read, args=(self._child,), daemon=True, name="sidecar").start()

    def submit(self, function: str, *args: Any) -> Future[Any]:
        """Do `function(*args)` in the sidecar, or here when it was not started. Once it has
        stopped, a job fails rather than run here: what stopped it may be what the job would do."""
        future: Future[Any] = Future()
        child = self._child
        if child is not None and child.stdin is not None:
            with self._lock:
                if self._gone:
                    future.set_exception(SidecarError(self._gone))
                    return future
                number, self._next = self._next, self._next + 1
                self._waiting[number] = future
                with contextlib.suppress(OSError):  # the reader finds the process gone and fails the job
                    _send(child.stdin, (number, function, args))
            return future
        try:
            future.set_result(_function(function)(*args))
        except Exception as error:  # the job's own error, handed to whoever waits on it
            future.set_exception(error)
        return future

    def stop(self) -> None:
        """Let the process finish the jobs sent and end; a job still waiting fails."""
        child, self._child = self._child, None
        if child is None:
            return
        if child.stdin is not None:
            with contextlib.suppress(OSError):  # it stopped already; the reader has failed its jobs
                child.stdin.close()
        child.wait()

    def _read(self, child: subprocess.Popen[bytes]) -> None:
        assert child.stdout is not None
        while True:
            try:
                number, ok, value = _receive(child.stdout)
            except (EOFError, OSError, pickle.UnpicklingError):
                break
            with self._lock:
                future = self._waiting.pop(number, None)
            if future is None:
                continue
            if ok:
                future.set_result(value)
            else:
                future.set_exception(SidecarError(value))
        child.wait()
        self._failed(child)

    def _failed(self, child: subprocess.Popen[bytes]) -> None:
        """Every job still waiting, and every job sent later, fails: the process is gone (a native
        crash, or killed)."""
        with self._lock:
            self._gone = f"the build's second process stopped (exit code {child.poll()})"
            waiting, self._waiting = self._waiting, {}
        for future in waiting.values():
            future.set_exception(SidecarError(self._gone))


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
            answer = (number, False, str(error).splitlines()[0] if str(error) else type(error).__name__)
        _send(answers, answer)


if __name__ == "__main__":
    # The answers get the real standard output; anything a library prints goes to standard error.
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    serve(sys.stdin.buffer, answers)
