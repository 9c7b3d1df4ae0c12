"""Shared fixtures: the real site, built once per test run into a temporary folder, and served."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browsers import serve
from tests.sites import ROOT


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real project built with `mkdocs build --strict`; fails the test with the build log."""
    site = tmp_path_factory.mktemp("real") / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "BRIEFING_FAIL_ON_MACRO_ERROR": "true"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        pytest.fail("the real site does not build:\n" + result.stdout + result.stderr, pytrace=False)
    return site


@pytest.fixture(scope="session")
def served_site(real_site: Path) -> Iterator[str]:
    """The real site served on loopback by Python's own HTTP server."""
    with serve(real_site) as base:
        yield base
