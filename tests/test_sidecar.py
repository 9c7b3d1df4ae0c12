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


_HEAD = '<!doctype html><html lang="{}"><head><title>t</title></head><body><nav>2025 nav</nav>'
_BODY = (
    '<p>Revenue was <span class="fig">3 million</span><sup id="fnref:1">'
    '<a class="footnote-ref" href="#fn:1">1</a></sup> in 2025 &amp; 4 more.</p>'
    "<pre><code>{{ kept }} [^1] 7</code></pre><p>{}</p>"
    '<p title="about 12 things">text</p><code>{</code>'
    '<div class="footnote"><ol><li id="fn:1"><p class="from-data">Source 9.</p></li>'
    '<li id="fn:2"><p>unused</p></li></ol></div>'
)
# Each is a whole-page result the streamed check must give too: clean text, figures in text and
# attributes, left-over template text and footnote references (across a removed code block too),
# a chart's mark, an article never closed, Chinese numerals.
_INSERTS = [
    "plain words",
    "It passed 3 million.",
    "{{ page.title }}",
    "a [^7] left",
    "{<code>x</code>{",
    "{<code>unclosed",
    f"<!--{charts.MARK}4-->",
    "三天之内",
]


def _page(lang: str, insert: str, articles: int = 2, closed: bool = True) -> str:
    article = '<article class="md-content__inner md-typeset">' + _BODY.replace("{}", insert, 1)
    body = "".join(article + ("</article>" if closed or i < articles - 1 else "") for i in range(articles))
    return _HEAD.format(lang) + body + "<footer>2026</footer></body></html>"


@pytest.mark.parametrize("piece", [1, 7, 64, 1 << 20])
def test_a_page_checked_a_piece_at_a_time_gives_what_a_check_of_the_whole_page_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, piece: int
) -> None:
    monkeypatch.setattr(checks, "_PIECE", piece)
    path = tmp_path / "index.html"
    names = ["Sora 2"]
    found_any = False
    for lang in ("en", "zh"):
        for insert in _INSERTS:
            for closed in (True, False):
                html = _page(lang, insert, closed=closed)
                path.write_text(html, encoding="utf-8")
                whole = checks.check_page(html, "index.html", names)
                digest, streamed = checks.check_written(str(path), "index.html", names)
                assert streamed == whole, (lang, insert, closed)
                assert digest == checks._outside_head(html.encode("utf-8"), names)
                found_any = found_any or bool(whole)
    assert found_any  # the pages above do hold problems: the comparison covers errors


def test_the_streamed_checks_digest_is_blind_to_the_head_alone(tmp_path: Path) -> None:
    path = tmp_path / "index.html"
    html = _page("en", "plain words")
    path.write_text(html, encoding="utf-8")
    digest, _ = checks.check_written(str(path), "index.html", [])
    assert digest == checks._outside_head(html.replace("<title>", "<meta x><title>").encode(), [])
    assert digest != checks._outside_head(html.replace("plain", "other").encode(), [])
    assert digest != checks._outside_head(html.encode(), ["Sora 2"])


def test_a_stopped_sidecar_can_be_waited_for_and_its_results_are_in() -> None:
    started = Sidecar()
    started.start()
    assert started.running
    job = started.submit("macros.finish.checks:check_article", ARTICLE.format("It passed 3 million."), False, "x", [])
    started.stop()
    assert not started.running
    started.wait()
    assert job.done() and "3 million" in job.result()[0]
    assert started.submit("macros.finish.checks:check_article", ARTICLE.format("ok"), False, "x", []).result() == []
    started.wait()  # twice, or never started: nothing to wait for


@pytest.mark.parametrize("large", [True, False])
def test_the_build_lets_its_second_process_go_before_its_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, large: bool
) -> None:
    from macros.adapters import mkdocs
    from macros.finish import publish

    started = Sidecar()
    started.start()
    monkeypatch.setattr(mkdocs, "SIDECAR", started)
    monkeypatch.setattr(checks, "SIDECAR", started)
    monkeypatch.setattr(publish, "_EARLY_CARD", [])
    process = started._process
    assert process is not None
    page = tmp_path / "index.html"
    filler = "words " * (mkdocs.LARGE_PAGE // 6 if large else 10)
    page.write_text(_page("en", f"It passed 3 million. {filler}"), encoding="utf-8")
    monkeypatch.setattr(mkdocs.STATE, "unchecked", ("index.html", page))
    monkeypatch.setattr(mkdocs.STATE, "names", [])
    mkdocs.on_post_build({"config_file_path": str(Path(__file__).resolve().parent.parent / "mkdocs.yml")})
    # Before the search plugin's index and the finish step the process takes no more jobs; with a
    # large last page it has ended too, that page checked there before the image was drawn.
    assert not started.running and mkdocs.STATE.unchecked is None
    if large:
        assert process.child.returncode is not None
    assert any("3 million" in line for line in checks._EARLY.pop("index.html").result()[1])
    assert publish._EARLY_CARD[0].result()[1][:8] == b"\x89PNG\r\n\x1a\n"  # drawn there, written by `finish`
    started.wait()
    assert process.child.returncode is not None
