"""Under `mkdocs serve`, a saved file starts the rebuild at once instead of at the next poll.

MkDocs' live-reload server looks for changes by polling: every half second it lists the watched
folders and compares every file's size and time with the previous listing. A save therefore waits
a quarter of a second on average, up to half a second, before anything happens, and the listing
itself costs a little CPU twice a second. The operating system can tell instead (inotify on Linux,
FSEvents on macOS, ReadDirectoryChanges on Windows); watchdog, which MkDocs already uses, has an
observer for each.

`watch_natively` gives the server an observer that watches folders (docs/, data/) with the native
one and anything else (mkdocs.yml: a single file may be replaced by a rename, which a native watch
of that file would not survive) with MkDocs' own polling observer. The native observer is asked
only for changes (created, deleted, modified, moved, closed after writing): by default it would
also report every file a build opens and reads, and each build would start the next. Where no
native observer exists, or it cannot start (too many watches), everything stays with polling, as
before.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from typing import Any

from watchdog import events
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch
from watchdog.observers.polling import PollingObserver

log = logging.getLogger("mkdocs.plugins.briefing")

# What counts as a change: never a file being opened or read.
CHANGES: list[type[events.FileSystemEvent]] = [
    events.FileCreatedEvent,
    events.FileDeletedEvent,
    events.FileModifiedEvent,
    events.FileMovedEvent,
    events.FileClosedEvent,
    events.DirCreatedEvent,
    events.DirDeletedEvent,
    events.DirMovedEvent,
]
# How long the server waits for a burst of events to end before it builds (MkDocs waits 0.1 s
# after the last polled change). Native events of one save (write, close, perhaps a rename) come
# within milliseconds of each other.
SETTLE = 0.05


@dataclass
class _Scheduled:
    handler: events.FileSystemEventHandler
    path: str
    recursive: bool


@dataclass
class NativeFirst:
    """The observer the live-reload server drives (schedule, unschedule, start, stop, join)."""

    polling: BaseObserver
    native: BaseObserver = field(default_factory=Observer)
    on_native: dict[ObservedWatch, _Scheduled] = field(default_factory=dict)
    started: bool = False

    def schedule(
        self, event_handler: events.FileSystemEventHandler, path: str, *, recursive: bool = False
    ) -> ObservedWatch:
        if not os.path.isdir(path):
            return self.polling.schedule(event_handler, path, recursive=recursive)
        watch = self.native.schedule(event_handler, path, recursive=recursive, event_filter=CHANGES)
        self.on_native[watch] = _Scheduled(event_handler, path, recursive)
        return watch

    def unschedule(self, watch: ObservedWatch) -> None:
        if self.on_native.pop(watch, None) is not None:
            self.native.unschedule(watch)
        else:
            self.polling.unschedule(watch)

    def start(self) -> None:
        self.polling.start()
        try:
            self.native.start()
        except OSError as error:  # inotify's limit on watches reached, for one
            log.warning(f"Watching for changes by polling: the system's file events are not available ({error})")
            self.native.stop()
            for scheduled in self.on_native.values():
                self.polling.schedule(scheduled.handler, scheduled.path, recursive=scheduled.recursive)
            self.on_native.clear()
        self.started = True

    def stop(self) -> None:
        self.polling.stop()
        self.native.stop()

    def join(self, timeout: float | None = None) -> None:
        for observer in (self.polling, self.native):
            if observer.is_alive():
                observer.join(timeout)


def watch_natively(server: Any, docs_dir: str) -> None:
    """Called by `on_serve`, when the server watches docs/ and mkdocs.yml and nothing else yet."""
    if Observer is PollingObserver or not isinstance(getattr(server, "observer", None), BaseObserver):
        return  # no native observer on this system, or a server this code does not know
    server.observer = NativeFirst(server.observer)
    server.build_delay = SETTLE
    # docs/ was scheduled on the polling observer before plugins were asked; schedule it again.
    # (Should another plugin have watched it too, it stays with polling: still seen, only later.)
    server.unwatch(docs_dir)
    server.watch(docs_dir)
