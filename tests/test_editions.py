"""The Chinese edition: built from the same ledger by `make build` (python -m macros build) into
zh/, in Chinese from the data's `_zh` fields, and refused when it says something other than the
English edition: a missing or extra fact on a page, a page without its twin, a figure typed in
Chinese, a fact without its Chinese label. Fixture sites, built for real."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.sites import FACTS, ROOT, basic_files, error_lines, make_site

FACTS_ZH = (
    FACTS.replace("    label: Longest clip\n", "    label: Longest clip\n    label_zh: 最长片段\n")
    .replace(
        "    label: Downloads in the first five days\n",
        "    label: Downloads in the first five days\n    label_zh: 前五天的下载量\n",
    )
    .replace(
        "        rank_reason: The original Sora's limit\n",
        "        rank_reason: The original Sora's limit\n        rank_reason_zh: 初代 Sora 的上限\n",
    )
)

PAGE_ZH = """\
# 简报

Sora 2 生成的片段长达{{ fact("tech.max-duration") }}。该应用的下载量达到{{ fact("industry.downloads") }}。
"""

ZH_CONFIG = """\
INHERIT: mkdocs.yml
site_name: 简报
docs_dir: docs-zh
theme:
  language: zh
extra:
  alternate:
    - {name: English, lang: en, link: ../}
    - {name: 中文, lang: zh, link: ./}
"""


def _project(root: Path, **overrides: str) -> Path:
    files = basic_files(**{"data/facts.yaml": FACTS_ZH})
    for page in ("index.md", "contested.md", "facts.md", "sources.md"):
        files[f"docs-zh/{page}"] = files[f"docs/{page}"]
    files["docs-zh/index.md"] = PAGE_ZH
    files["mkdocs.zh.yml"] = ZH_CONFIG
    files.update(overrides)
    project = make_site(root, {k: v for k, v in files.items() if v is not None})
    (project / "docs-zh" / "assets").symlink_to(ROOT / "docs" / "assets", target_is_directory=True)
    for name, text in overrides.items():
        if text is None:
            (project / name).unlink()
    return project


def _build(project: Path) -> tuple[int, str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1764460800"}
    done = subprocess.run(
        [sys.executable, "-m", "macros", "build"], cwd=project, env=env, capture_output=True, text=True, timeout=300
    )
    return done.returncode, done.stdout + done.stderr


def _text(html: str) -> str:
    article = re.search(r'<article class="md-content__inner[^"]*">(.*?)</article>', html, re.S)
    assert article
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", article.group(1)))


def test_the_chinese_edition_is_built_in_chinese_from_the_same_ledger(tmp_path: Path) -> None:
    code, output = _build(_project(tmp_path / "p"))
    assert code == 0, output
    zh = (tmp_path / "p" / "site" / "zh" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh"' in zh
    text = _text(zh)
    assert "25秒" in text and "62.7万次下载" in text and "超过100万次下载" in text, text
    assert "截至2025年10月8日" in text and "来源不一" in text, text
    register = _text((tmp_path / "p" / "site" / "zh" / "facts" / "index.html").read_text(encoding="utf-8"))
    assert "最长片段" in register and "初代 Sora 的上限" in register and "状态：" in register, register
    # The language selector leads to the same page in the other edition.
    assert (
        'href="zh/" hreflang="zh" lang="zh" class="md-select__link"'
        in (tmp_path / "p" / "site" / "index.html").read_text()
    )
    facts_zh = (tmp_path / "p" / "site" / "zh" / "facts" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../facts/" hreflang="en" lang="en" class="md-select__link"' in facts_zh


def test_a_fact_missing_from_a_chinese_page_fails_the_build_naming_page_and_id(tmp_path: Path) -> None:
    page = PAGE_ZH.replace('该应用的下载量达到{{ fact("industry.downloads") }}。', "")
    code, output = _build(_project(tmp_path / "p", **{"docs-zh/index.md": page}))
    assert code != 0
    assert "docs-zh/index.md: facts differ from docs/index.md: lacks industry.downloads" in error_lines(output)
    assert "Traceback" not in output
    assert not (tmp_path / "p" / "site").exists()


def test_an_extra_fact_on_a_chinese_page_fails_the_build(tmp_path: Path) -> None:
    page = PAGE_ZH + '\n另见{{ fact("tech.max-duration") }}与{{ date("event.launch") }}。\n'
    facts = FACTS_ZH + (
        "events:\n  - id: event.launch\n    title: Launch\n    title_zh: 发布\n    label: Launch date\n"
        "    label_zh: 发布日期\n    topic: technology\n    claims:\n      - value: 2025-09-30\n"
        "        source: openai-launch\n"
    )
    code, output = _build(_project(tmp_path / "p", **{"docs-zh/index.md": page, "data/facts.yaml": facts}))
    assert code != 0
    assert "docs-zh/index.md: facts differ from docs/index.md: adds event.launch" in error_lines(output)


def test_a_page_without_its_chinese_twin_fails_the_build(tmp_path: Path) -> None:
    code, output = _build(_project(tmp_path / "p", **{"docs/about.md": "# About\n\nWho we are.\n"}))
    assert code != 0
    assert "docs-zh/about.md: missing: the Chinese twin of docs/about.md" in error_lines(output)


def test_a_figure_typed_in_chinese_is_refused(tmp_path: Path) -> None:
    for typed in ("三天", "一百万", "两倍", "百分之五十", "627"):
        page = PAGE_ZH + f"\n据报道，它只用了{typed}。\n"
        code, output = _build(_project(tmp_path / typed, **{"docs-zh/index.md": page}))
        assert code != 0, typed
        assert any(
            line.startswith("zh/index.html: figure not from data") and typed in line for line in error_lines(output)
        ), (
            typed,
            output,
        )


def test_a_shown_fact_without_its_chinese_label_is_one_line(tmp_path: Path) -> None:
    facts = FACTS_ZH.replace("    label_zh: 最长片段\n", "")
    code, output = _build(_project(tmp_path / "p", **{"data/facts.yaml": facts}))
    assert code != 0
    assert "Traceback" not in output
    lines = error_lines(output)
    assert any("fact 'tech.max-duration' has no label_zh, which the Chinese edition shows" in line for line in lines), (
        lines
    )
