"""Where the project's folders are, worked out in one place."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
DOCS = ROOT / "docs"
# Results kept between builds (see memo.py). Not `.cache/`, which site generators treat as their own
# and may delete (`zensical build --clean` does).
CACHE = ROOT / ".briefing-cache"
