"""Results kept between builds in the project's `.briefing-cache/` folder, each filed under the hash of
everything that decides it, so a result is never used for an input it was not made from.

Chart drawings and the site checks of unchanged pages are taken from here: a rebuild under
`make serve` after a one-value edit redoes only what the edit changed. The folder belongs to the
checkout (not a shared temporary folder another user of the machine could write into); deleting
it, or `make clean`, only makes the next build slower. When it cannot be written, nothing is kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

from . import paths

# BRIEFING_CACHE names another folder; set to nothing, it turns keeping off (the benchmark times
# builds that way, as a fresh checkout in CI runs them).
_SETTING = os.environ.get("BRIEFING_CACHE")
FOLDER: Path | None = paths.CACHE if _SETTING is None else (Path(_SETTING) if _SETTING else None)


def key(*parts: str | bytes | memoryview) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))  # lengths first: ("ab", "c") differs from ("a", "bc")
        digest.update(data)
    return digest.hexdigest()


def recall(kind: str, name: str) -> str | None:
    if FOLDER is None:
        return None
    try:
        return (FOLDER / kind / name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def keep(kind: str, name: str, text: str) -> None:
    if FOLDER is None:
        return
    folder = FOLDER / kind
    partial = folder / f"{name}.{os.getpid()}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        partial.write_text(text, encoding="utf-8")
        partial.replace(folder / name)  # atomic: a build running alongside never reads half a result
    except OSError:
        with contextlib.suppress(OSError):
            partial.unlink()


def prune(kind: str, limit: int = 5000) -> None:
    """Forget the oldest results of a kind beyond `limit`, so the folder stays small."""
    if FOLDER is None:
        return
    try:
        entries = sorted((entry.stat().st_mtime, entry) for entry in (FOLDER / kind).iterdir())
    except OSError:
        return
    for _, entry in entries[: max(0, len(entries) - limit)]:
        with contextlib.suppress(OSError):
            entry.unlink()
