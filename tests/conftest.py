"""Shared fixtures: the real site, built once per test run into a temporary folder, and served."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from macros.finish.printbook import PDF
from tests.browsers import CHROMIUM, require_chromium, serve
from tests.sites import ROOT


def _mkdocs_build(config: str, site: Path, what: str) -> None:
    """`mkdocs build --strict` of the real project into `site`; fails the test with the build log."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "BRIEFING_FAIL_ON_MACRO_ERROR": "true"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", config, "--site-dir", str(site)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        pytest.fail(f"{what} does not build:\n" + result.stdout + result.stderr, pytrace=False)


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real project built with `mkdocs build --strict` (the English edition)."""
    site = tmp_path_factory.mktemp("real") / "site"
    _mkdocs_build("mkdocs.yml", site, "the real site")
    return site


@pytest.fixture(scope="session")
def bilingual_site(real_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the real site with the Chinese edition built into its zh/, as `make build` does."""
    site = tmp_path_factory.mktemp("bilingual") / "site"
    shutil.copytree(real_site, site)
    _mkdocs_build("mkdocs.zh.yml", site / "zh", "the Chinese edition")
    return site


@pytest.fixture(scope="session")
def served_bilingual(bilingual_site: Path) -> Iterator[str]:
    with serve(bilingual_site) as base:
        yield base


@pytest.fixture(scope="session")
def served_site(real_site: Path) -> Iterator[str]:
    """The real site served on loopback by Python's own HTTP server."""
    with serve(real_site) as base:
        yield base


def _require_poppler() -> None:
    if not shutil.which("pdftotext") or not shutil.which("pdffonts"):
        pytest.fail("pdftotext and pdffonts are missing: `make fonts` installs poppler-utils", pytrace=False)


@pytest.fixture(scope="session")
def printed(bilingual_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the real site, both editions, with their print pages and PDFs, as `make pdf`
    leaves them (the copy keeps the shared site as built)."""
    require_chromium()
    _require_poppler()
    site = tmp_path_factory.mktemp("printed") / "site"
    shutil.copytree(bilingual_site, site)
    for folder, config in ((site, "mkdocs.yml"), (site / "zh", "mkdocs.zh.yml")):
        result = subprocess.run(
            [sys.executable, "-m", "macros", "pdf", str(folder), "--config", config],
            cwd=ROOT,
            env={**os.environ, "CHROMIUM": CHROMIUM},
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert (folder / PDF).is_file()
    return site
