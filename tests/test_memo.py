"""Results kept between builds (`macros/memo.py`): used only for exactly the input they came from."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import vl_convert

from macros import memo
from macros.core import charts
from macros.finish import checks

PAGE = '<html><body><article class="md-content__inner md-typeset">{}</article></body></html>'


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setattr(memo, "FOLDER", where)
    return where


def _site(root: Path, text: str) -> Path:
    (root / "site").mkdir(exist_ok=True)
    (root / "site" / "index.html").write_text(PAGE.format(text), encoding="utf-8")
    return root / "site"


def test_site_checks_of_an_unchanged_page_come_from_the_cache(folder: Path, tmp_path: Path) -> None:
    site = _site(tmp_path, "<p>The app reached 627,000 downloads.</p>")
    first = checks.check_site(site, [])
    assert len(first) == 1 and "figure not from data" in first[0]
    kept = list((folder / "site-checks").iterdir())
    assert len(kept) == 1
    # Proof that the second answer is read from the cache: tamper with the kept result.
    kept[0].write_text('["from the cache"]', encoding="utf-8")
    assert checks.check_site(site, []) == ["from the cache"]
    # Any change to the page, or to the registered names, is checked afresh.
    _site(tmp_path, "<p>The app reached 627,001 downloads.</p>")
    assert "figure not from data" in checks.check_site(site, [])[0]
    _site(tmp_path, "<p>The app reached 627,000 downloads.</p>")
    assert checks.check_site(site, ["627,000 downloads"]) != ["from the cache"]
    assert len(list((folder / "site-checks").iterdir())) == 3


def test_a_cache_that_cannot_be_written_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setattr(memo, "FOLDER", blocker)
    site = _site(tmp_path, "<p>The app reached 627,000 downloads.</p>")
    assert len(checks.check_site(site, [])) == 1
    assert len(checks.check_site(site, [])) == 1


def test_a_chart_is_drawn_once_then_recalled(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Any] = []
    real = vl_convert.vegalite_to_svg

    def counting(*args: Any, **kwargs: Any) -> str:
        calls.append(args)
        return str(real(*args, **kwargs))

    monkeypatch.setattr(vl_convert, "vegalite_to_svg", counting)
    spec = {"data": {"values": [{"x": 1, "y": 2}]}, "mark": "bar", "encoding": {"x": {"field": "x"}}}
    first = charts._draw(spec, "chart-1", "A chart", "Its description")
    assert charts._draw(spec, "chart-1", "A chart", "Its description") == first and len(calls) == 1
    charts._draw({**spec, "mark": "point"}, "chart-1", "A chart", "Its description")
    assert len(calls) == 2


def test_prune_keeps_the_newest(folder: Path) -> None:
    for n in range(5):
        memo.keep("kind", f"{n}.txt", str(n))
    memo.prune("kind", limit=2)
    assert len(list((folder / "kind").iterdir())) == 2
    assert memo.key("ab", "c") != memo.key("a", "bc")


def test_keeping_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """BRIEFING_CACHE set to nothing (how the benchmark times cold builds): nothing kept or read."""
    monkeypatch.setattr(memo, "FOLDER", None)
    site = _site(tmp_path, "<p>The app reached 627,000 downloads.</p>")
    assert len(checks.check_site(site, [])) == 1
    memo.keep("kind", "x.txt", "x")
    assert memo.recall("kind", "x.txt") is None
    memo.prune("kind")
    assert list(tmp_path.iterdir()) == [tmp_path / "site"]
