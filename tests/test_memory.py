"""What keeps a large build's memory down changes nothing it writes: `mkdocs build` lets each
page's Markdown and HTML go once nothing later reads them and writes a large page itself a piece at
a time (macros/adapters/mkdocs_memory.py), the finish step writes a page back a piece at a time
(macros/finish/publish.py), and the search index is written back an entry at a time
(macros/finish/search.py)."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from macros.adapters import mkdocs_memory
from macros.finish import publish, search
from tests.sites import basic_files, make_site, snapshot

# Records, after the last page is written, whether each page still holds its Markdown and HTML.
PROBE = """\
import json
from pathlib import Path

FILES = []


def on_files(files, config):
    FILES[:] = [files]


def on_post_build(config):
    held = {
        f.src_uri: [f.page.markdown != "", f.page.content is not None]
        for f in FILES[0].documentation_pages()
    }
    Path(config.config_file_path).with_name("held.json").write_text(json.dumps(held), encoding="utf-8")
"""
_MEMORY_HOOK = re.compile(r"\n  # Each page's Markdown[^\n]*\n(?:  #[^\n]*\n)*  - macros/adapters/mkdocs_memory\.py\n")


def _build(root: Path, config: str, site: str) -> str:
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "BRIEFING_FAIL_ON_MACRO_ERROR": "true",
        "SOURCE_DATE_EPOCH": "1764460800",
    }
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", config, "--site-dir", site],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def test_pages_let_go_after_writing_give_the_same_site_byte_for_byte(tmp_path: Path) -> None:
    files = basic_files(
        # A title from the file name (no heading), and Chinese for the search index.
        **{
            "docs/no-heading.md": "Text without a heading.\n",
            "docs/zh.md": "# 中文\n\n深度调查的报道，关于视频生成与版权。\n",
            # Past mkdocs_memory.HELD_AS_IS: its HTML is held compressed until it is written.
            "docs/long.md": "# Long\n\n" + "Plain words without any figure in them. " * 30_000 + "\n",
        }
    )
    root = make_site(tmp_path / "project", files)
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    keeping = _MEMORY_HOOK.sub("\n", config)
    assert keeping != config, "mkdocs.yml no longer names macros/adapters/mkdocs_memory.py"
    (root / "mkdocs-keeping.yml").write_text(keeping, encoding="utf-8")
    (root / "probe.py").write_text(PROBE, encoding="utf-8")
    (root / "mkdocs-probed.yml").write_text(config.replace("\nhooks:\n", "\nhooks:\n  - probe.py\n"), encoding="utf-8")

    assert len((root / "docs" / "long.md").read_text(encoding="utf-8")) > mkdocs_memory.HELD_AS_IS
    keeping_log = _build(root, "mkdocs-keeping.yml", "site-keeping")
    log = _build(root, "mkdocs-probed.yml", "site")

    assert snapshot(root / "site") == snapshot(root / "site-keeping")
    # long.md was written by the hook, not by MkDocs, which logged nothing about it.
    assert "Page skipped" not in log + keeping_log
    assert "Building documentation" in log
    assert "<title>Register - " in (root / "site" / "facts" / "index.html").read_text(encoding="utf-8")
    held = json.loads((root / "held.json").read_text(encoding="utf-8"))
    assert sorted(held) == [
        "contested.md",
        "facts.md",
        "index.md",
        "long.md",
        "no-heading.md",
        "sources.md",
        "zh.md",
    ]
    assert {page: kept for page, kept in held.items() if any(kept)} == {}


def test_the_search_index_is_written_as_json_dumps_would_write_it() -> None:
    indexes: list[dict[str, object]] = [
        {},
        {"config": {"lang": ["en"], "separator": "[\\s\\-]+"}, "docs": []},
        {
            "config": {"lang": ["en"]},
            "docs": [
                {"location": "", "title": "深度\u200b调查", "text": 'a "quoted" line\nand\u2028more'},
                {"location": "facts/#tech.x", "title": "x", "text": "", "tags": ["t"], "boost": 2},
            ],
            "after": None,
        },
    ]
    for index in indexes:
        out = io.StringIO()
        search._dump(index, "docs", out)
        assert out.getvalue() == json.dumps(index, ensure_ascii=False, separators=(",", ":"))


# Text as MkDocs writes it: ASCII, Chinese (three bytes a character), a character beyond the
# Basic Multilingual Plane (four) and lone surrogates, which UTF-8 cannot encode.
_AWKWARD = "<p>a\u00e9\u4e2d\u6587 \U0001f600 \ud800x\udfff</p>\n" * 50


@pytest.mark.parametrize("piece", [1, 2, 3, 7, 64, 1 << 20])
def test_a_large_page_written_in_pieces_is_the_file_mkdocs_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, piece: int
) -> None:
    monkeypatch.setattr(mkdocs_memory, "PIECE", piece)
    path = tmp_path / "new" / "folder" / "index.html"
    mkdocs_memory.write_page(_AWKWARD, str(path))
    # mkdocs/commands/build.py: output.encode('utf-8', errors='xmlcharrefreplace')
    assert path.read_bytes() == _AWKWARD.encode("utf-8", errors="xmlcharrefreplace")
    mkdocs_memory.write_page("", str(path))
    assert path.read_bytes() == b""


def test_only_the_skipped_line_of_a_page_written_here_is_left_out() -> None:
    records = []
    for uri in ("long.md", "empty.md"):
        record = mkdocs_memory._BUILD_LOG.makeRecord(
            "mkdocs.commands.build", 20, __file__, 1, mkdocs_memory.SKIPPED.format(uri), (), None
        )
        records.append(record)
    mkdocs_memory.WRITTEN.clear()
    mkdocs_memory.WRITTEN.add("long.md")
    try:
        assert [mkdocs_memory._FILTER.filter(r) for r in records] == [False, True]
        assert not mkdocs_memory.WRITTEN
        assert mkdocs_memory._FILTER.filter(records[0])  # once only: another build's page is its own
    finally:
        mkdocs_memory.WRITTEN.clear()


@pytest.mark.parametrize("piece", [1, 5, 1 << 20])
def test_a_page_given_its_head_block_in_pieces_is_the_page_with_it_inserted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, piece: int
) -> None:
    monkeypatch.setattr(publish, "_PIECE", piece)
    text = (
        "<html><head><title>t</title></head><body>" + _AWKWARD.replace("\ud800", "").replace("\udfff", "") + "</body>"
    )
    path = tmp_path / "index.html"
    at = text.index("</head>")
    publish._write_with(path, text, at, "<!-- block -->\n")
    assert path.read_bytes() == (text[:at] + "<!-- block -->\n" + text[at:]).encode("utf-8")
