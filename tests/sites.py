"""Small complete MkDocs projects, built for real, for tests to read.

A fixture site is a temporary folder with its own data/ and docs/, the project's mkdocs.yml (less
its nav), and links to the project's macros/, overrides/ and stylesheet, so it exercises exactly
the code and configuration the real site uses.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SOURCES = """\
names:
  - id: sora-2
    name: Sora 2
sources:
  - id: openai-launch
    title: Sora 2 is here
    title_en: Sora 2 is here
    publisher: OpenAI
    published: 2025-09-30
    accessed: 2026-11-21
    url: https://openai.com/index/sora-2/
    language: en
    kind: primary
    tier: primary
  - id: doc-a
    title: 文档甲
    title_en: Document A
    publisher: 定焦One
    publisher_en: Dingjiao One
    accessed: 2026-11-21
    language: zh-Hans
    kind: news
    tier: secondary
  - id: doc-b
    title: 文档乙
    title_en: Document B
    publisher: 節點財經
    publisher_en: Jiedian Caijing
    accessed: 2026-11-21
    language: zh-Hant
    kind: news
    tier: secondary
"""

FACTS = """\
facts:
  - id: tech.max-duration
    label: Longest clip
    topic: technology
    unit: seconds
    claims:
      - value: 25
        source: openai-launch
        rank: preferred
        rank_reason: OpenAI's own figure
      - value: 60
        source: doc-a
        rank: deprecated
        verdict: other-product
        rank_reason: The original Sora's limit
  - id: industry.downloads
    label: Downloads in the first five days
    topic: industry
    unit: downloads
    claims:
      - value: 1000000
        modifier: over
        source: doc-a
        as_of: 2025-10-08
      - value: 627000
        source: doc-b
        as_of: 2025-10-06
"""

# One fact with a direct and a via claim: the starting point of the one-mistake tests.
GOOD_FACT = """\
facts:
  - id: tech.duration
    label: Longest clip
    topic: technology
    unit: seconds
    claims:
      - value: 20
        source: doc-a
      - value: 25
        source: openai-launch
        via: doc-b
"""

PAGE = """\
# Briefing

Sora 2 makes clips of {{ fact("tech.max-duration") }}. The app reached {{ fact("industry.downloads") }}.
"""


@dataclass
class Build:
    root: Path
    returncode: int
    output: str

    @property
    def site(self) -> Path:
        return self.root / "site"

    def page(self, name: str = "index.html") -> str:
        return (self.site / name).read_text(encoding="utf-8")

    def article(self, name: str = "index.html") -> str:
        match = re.search(r'<article class="md-content__inner[^"]*">(.*?)</article>', self.page(name), re.S)
        assert match, f"no article in {name}"
        return match.group(1)


def fixture_config() -> str:
    """The real mkdocs.yml without its nav, so fixture pages need not match it."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    return re.sub(r"\nnav:\n(?:  .*\n)+", "\n", text)


def make_site(root: Path, files: dict[str, str]) -> Path:
    """Write a fixture project: `files` maps paths such as data/x.yaml or docs/index.md to text."""
    (root / "docs").mkdir(parents=True, exist_ok=True)
    for name in ("macros", "overrides"):
        (root / name).symlink_to(ROOT / name, target_is_directory=True)
    (root / "docs" / "assets").symlink_to(ROOT / "docs" / "assets", target_is_directory=True)
    (root / "mkdocs.yml").write_text(fixture_config(), encoding="utf-8")
    (root / "data").mkdir(exist_ok=True)
    # A copy, not a link: a test may write into it, and data/ links to outside the project are refused.
    shutil.copyfile(ROOT / "data" / "search-terms.txt", root / "data" / "search-terms.txt")
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


def build(root: Path, *args: str, env: dict[str, str] | None = None) -> Build:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "BRIEFING_FAIL_ON_MACRO_ERROR": "true", **(env or {})}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return Build(root, result.returncode, result.stdout + result.stderr)


def error_lines(output: str) -> list[str]:
    """The ERROR lines of a build log, without the log prefix."""
    return [line.split("-", 1)[1].strip() for line in output.splitlines() if line.startswith("ERROR")]


def basic_files(**overrides: str) -> dict[str, str]:
    files = {
        "data/sources.yaml": SOURCES,
        "data/facts.yaml": FACTS,
        "docs/index.md": PAGE,
        "docs/contested.md": "# Contested\n\n{{ contested_table() }}\n",
        "docs/facts.md": "# Register\n\n{{ fact_register() }}\n",
        "docs/sources.md": "# Sources\n\n{{ source_list() }}\n",
    }
    files.update(overrides)
    return files


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under a folder and the hash of its bytes: equal snapshots, byte-identical folders."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
