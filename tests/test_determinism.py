"""Two builds of the same commit give a byte-identical site.

What could make them differ: the clock (MkDocs dates the sitemap and stamps sitemap.xml.gz with
the build day unless SOURCE_DATE_EPOCH is set, which the Makefile takes from the last commit),
Python's per-process hash seed (the order of sets), and the folder the project sits in.
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import struct
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from tests.sites import ROOT, basic_files, make_site

COMMIT_DATE = "2001-02-03T04:05:06+00:00"
COMMIT_DAY = datetime(2001, 2, 3, tzinfo=UTC)  # MkDocs dates by the day


def _differences(one: Path, two: Path) -> list[str]:
    files_one = sorted(p.relative_to(one).as_posix() for p in one.rglob("*") if p.is_file())
    files_two = sorted(p.relative_to(two).as_posix() for p in two.rglob("*") if p.is_file())
    if files_one != files_two:
        return sorted(set(files_one) ^ set(files_two))
    return [name for name in files_one if (one / name).read_bytes() != (two / name).read_bytes()]


def _committed_project(root: Path) -> Path:
    """A fixture project in a git repository of its own, committed on a known date long past."""
    make_site(root, basic_files())
    for name in ("Makefile", ".venv", "requirements.txt"):
        (root / name).symlink_to(ROOT / name)
    env = {**os.environ, "GIT_AUTHOR_DATE": COMMIT_DATE, "GIT_COMMITTER_DATE": COMMIT_DATE}
    git = ["git", "-c", "user.name=Fixture", "-c", "user.email=fixture@example.org", "-c", "init.defaultBranch=main"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "fixture"]):
        subprocess.run([*git, *args], cwd=root, env=env, check=True, capture_output=True)
    return root


def _make_build(project: Path, hash_seed: str) -> Path:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": hash_seed}
    env.pop("SOURCE_DATE_EPOCH", None)  # the Makefile must find the date itself
    result = subprocess.run(
        ["make", "--no-print-directory", "-C", str(project), "build"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


def test_make_build_twice_in_two_folders_gives_identical_sites(tmp_path: Path) -> None:
    first = _committed_project(tmp_path / "first")
    second = tmp_path / "elsewhere" / "second"
    shutil.copytree(first, second, symlinks=True)
    site_one = _make_build(first, hash_seed="1")
    site_two = _make_build(second, hash_seed="2")
    assert (site_one / "sitemap.xml.gz").is_file()
    assert _differences(site_one, site_two) == []


def test_the_sitemap_is_dated_by_the_commit_not_by_the_clock(tmp_path: Path) -> None:
    site = _make_build(_committed_project(tmp_path / "project"), hash_seed="3")
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    # Pages are listed (with a date each) only once mkdocs.yml has a site_url.
    assert set(re.findall(r"<lastmod>([^<]+)</lastmod>", sitemap)) <= {"2001-02-03"}
    packed = (site / "sitemap.xml.gz").read_bytes()
    assert struct.unpack("<I", packed[4:8])[0] == int(COMMIT_DAY.timestamp())  # the gzip header's timestamp
    assert gzip.decompress(packed).decode("utf-8") == sitemap


def test_real_site_builds_identically_twice(real_site: Path, tmp_path: Path) -> None:
    """The real site (built once for the session) against a second build into another folder,
    with another hash seed: content, search index, downloads and sitemap all the same."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "BRIEFING_FAIL_ON_MACRO_ERROR": "true", "PYTHONHASHSEED": "7"}
    again = tmp_path / "again"
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(again)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (again / "search" / "search_index.json").is_file() and (again / "data" / "facts.json").is_file()
    assert _differences(real_site, again) == []
