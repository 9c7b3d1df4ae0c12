"""The build's second process (`macros/sidecar.py`): jobs done there give what they give here, a
failed job or a stopped process is one line, and a site built with it is the site built without."""

from __future__ import annotations

import re
from collections.abc import Iterator
from concurrent.futures import Future
from pathlib import Path

import pytest

from macros.core import charts
from macros.finish import checks, search
from macros.sidecar import Sidecar, SidecarError, first_line
from tests.sites import build, make_site, snapshot
from tests.test_charts import _files

ARTICLE = '<article class="md-content__inner md-typeset"><p>{}</p></article>'


@pytest.fixture
def sidecar() -> Iterator[Sidecar]:
    started = Sidecar()
    started.start()
    assert started.running
    yield started
    started.stop()


def test_a_job_done_in_the_second_process_gives_what_it_gives_here(sidecar: Sidecar) -> None:
    article = ARTICLE.format("The app passed 3 million downloads.")
    there = sidecar.submit("macros.finish.checks:check_article", article, False, "index.html", []).result()
    assert there == checks.check_article(article, False, "index.html", [])
    assert there and "3 million" in there[0]


def test_a_job_that_fails_there_is_one_line_and_the_process_goes_on(sidecar: Sidecar) -> None:
    failed = sidecar.submit("macros.finish.checks:check_article", None, False, "index.html", [])
    with pytest.raises(SidecarError) as error:
        failed.result()
    assert "\n" not in str(error.value) and str(error.value)
    assert sidecar.submit("macros.finish.checks:check_article", ARTICLE.format("ok"), False, "x", []).result() == []


def test_only_the_projects_own_functions_are_run(sidecar: Sidecar) -> None:
    with pytest.raises(SidecarError, match="not a function of this package"):
        sidecar.submit("os:getcwd").result()
    with pytest.raises(ValueError, match="not a function of this package"):
        Sidecar().submit("os:getcwd").result()  # not started: run here, refused the same way


def test_a_crash_there_fails_every_job_waiting_and_every_job_after(
    sidecar: Sidecar, capfd: pytest.CaptureFixture[str]
) -> None:
    # A NUL in a label aborts vl-convert's process outright; charts._drawable keeps it from ever
    # reaching the renderer, so here it stands for any native crash.
    spec = {"data": {"values": [{"a": "x\x00y"}]}, "mark": "bar", "encoding": {"x": {"field": "a"}}}
    waiting = sidecar.submit("macros.core.charts:render_svg", spec)
    with pytest.raises(SidecarError, match=r"^the build's second process stopped \(exit code -?\d+\)$"):
        waiting.result()
    after = sidecar.submit("macros.finish.checks:check_article", ARTICLE.format("ok"), False, "x", [])
    with pytest.raises(SidecarError, match="stopped"):
        after.result()  # not done here instead: what stopped the process could stop this one
    capfd.readouterr()  # the renderer's own report of its crash


def test_one_process_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_ONE_PROCESS", "1")
    alone = Sidecar()
    alone.start()
    assert not alone.running
    assert alone.submit("macros.finish.checks:check_article", ARTICLE.format("ok"), False, "x", []).result() == []


def test_a_site_built_with_the_second_process_is_the_site_built_without(tmp_path: Path) -> None:
    same_day = {"SOURCE_DATE_EPOCH": "1764460800"}
    two = build(make_site(tmp_path / "two", _files()), env=same_day)
    one = build(make_site(tmp_path / "one", _files()), env={**same_day, "BRIEFING_ONE_PROCESS": "1"})
    assert two.returncode == 0 and one.returncode == 0, two.output + one.output
    assert "<svg" in two.article("charts/index.html")
    assert snapshot(two.site) == snapshot(one.site)


def test_a_drawing_that_failed_there_is_one_line_and_a_visible_error_in_the_page() -> None:
    failed: Future[str] = Future()
    failed.set_exception(SidecarError("Invalid spec\nat line 3"))
    mark = f"<!--{charts.MARK}{next(charts._NUMBERS)}-->"
    charts._PENDING[mark] = charts._Pending(failed, "name", "chart-1", "Title", "Description")
    page, problems = charts.fill(f'<div class="chart__plot">{mark}</div>')
    assert problems == ["the chart could not be drawn: Invalid spec"]
    assert re.search(
        r"<strong class=\"briefing-error\">⚠ the chart could not be drawn(:|&#58;) Invalid spec</strong>", page
    )
    assert charts.MARK not in page


def test_a_stale_early_check_is_never_used(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    clean = f"<html><body>{ARTICLE.format('Nothing to count.')}</body></html>"
    page = site / "index.html"
    # Checked as first written with a figure, then finished without it: the page as it is now counts.
    page.write_text(clean.replace("Nothing to count.", "It passed 3 million."), encoding="utf-8")
    checks.check_early("index.html", page, [])
    page.write_text(clean, encoding="utf-8")
    assert checks.check_site(site, []) == []
    page.write_text(clean, encoding="utf-8")
    checks.check_early("index.html", page, [])
    page.write_text(clean.replace("Nothing to count.", "It passed 3 million."), encoding="utf-8")
    assert "3 million" in checks.check_site(site, [])[0]


def test_a_chart_mark_left_in_a_page_is_refused() -> None:
    article = ARTICLE.format(f"<!--{charts.MARK}7-->")
    assert checks.check_article(article, False, "charts/index.html", []) == [
        "charts/index.html: a chart was never drawn into the page"
    ]


def test_only_runs_holding_chinese_are_cut_and_names_stay_whole() -> None:
    terms = search.term_file_of(Path(__file__).resolve().parent.parent / "data")
    text = "OpenAI's app, 深度调查 said: 定焦One 的报道"
    cut = search.segment(text, terms)
    assert cut.startswith("OpenAI's app, ")  # English left exactly as it was
    assert "深度调查" in cut.split("\u200b") or "深度调查" in cut.replace(" ", "\u200b").split("\u200b")
    assert "定焦One" in cut.replace(" ", "\u200b").split("\u200b")
    assert search.segment(cut, terms) == cut  # cutting again changes nothing


def test_an_early_check_of_the_same_page_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    site.mkdir()
    page = site / "index.html"
    html = f"<html><head></head><body>{ARTICLE.format('It passed 3 million.')}</body></html>"
    page.write_text(html, encoding="utf-8")
    checks.check_early("index.html", page, [])
    # The finish step wrote into the head since: the result stands, the page is not checked again.
    page.write_text(html.replace("<head>", "<head><meta name=x>"), encoding="utf-8")

    def not_again(job: object) -> list[str]:
        raise AssertionError("checked again")

    monkeypatch.setattr(checks, "_check_file", not_again)
    assert "3 million" in checks.check_site(site, [])[0]


def test_an_error_is_its_first_line_of_text_or_its_kind() -> None:
    assert first_line(ValueError("\n  bad spec\nat line 3")) == "bad spec"
    assert first_line(KeyError()) == "KeyError"
