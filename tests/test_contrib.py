"""The changelog of facts, "last checked" lines, "cite this page" and "edit this fact" links:
unit tests on a fixture ledger, and their Markdown built into a fixture site for real, where the
site checks must pass on it."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from macros.core import contrib, render
from macros.ledger import changelog as changelog_module
from macros.ledger.model import Store
from macros.ledger.validate import load_store
from tests.sites import FACTS, ROOT, SOURCES, basic_files, build, make_site

CHANGELOG = """\
changelog:
  - date: 2026-11-25
    kind: checked
    facts: [industry.downloads]
    change: Compared both download counts with their sources again.
    reason: A reader asked whether the counts had been revised.
  - date: 2026-11-21
    kind: added
    change: First import of the ledger.
    reason: The first edition.
"""


def _ledger(tmp_path: Path, changelog: str | None = CHANGELOG, sources: str = SOURCES) -> Path:
    data = tmp_path / "data"
    data.mkdir(parents=True, exist_ok=True)
    (data / "sources.yaml").write_text(sources, encoding="utf-8")
    (data / "facts.yaml").write_text(FACTS, encoding="utf-8")
    if changelog is not None:
        (data / "changelog.yaml").write_text(changelog, encoding="utf-8")
    return data


def _load(
    tmp_path: Path, changelog: str | None = CHANGELOG
) -> tuple[Store, list[changelog_module.ChangeEntry], list[str]]:
    data = _ledger(tmp_path, changelog)
    store, problems = load_store(data, tmp_path)
    assert problems == []  # the changelog is not read as part of the ledger
    entries, change_problems = changelog_module.load_changelog(data / "changelog.yaml", tmp_path, store)
    return store, entries, [str(p) for p in change_problems]


# ---------------------------------------------------------------------------------------------
# The changelog file

CASES: list[tuple[str, str, list[str]]] = [
    (
        "missing field",
        CHANGELOG.replace("    reason: The first edition.\n", ""),
        ["data/changelog.yaml:7: changelog entry 2: missing required field 'reason'"],
    ),
    (
        "unknown field with a hint",
        CHANGELOG.replace("    reason: The first edition.\n", "    reason: The first edition.\n    facs: []\n"),
        ["data/changelog.yaml:11: changelog entry 2: unknown field 'facs' (did you mean 'facts'?)"],
    ),
    (
        "partial date",
        CHANGELOG.replace("date: 2026-11-21", "date: 2026-11"),
        ["data/changelog.yaml:7: changelog entry 2: field 'date' must be a date YYYY-MM-DD, not '2026-11'"],
    ),
    (
        "impossible date",
        CHANGELOG.replace("date: 2026-11-21", "date: 2026-02-30"),
        ["data/changelog.yaml:7: changelog entry 2: field 'date' must be a date YYYY-MM-DD, not '2026-02-30'"],
    ),
    (
        "unknown kind",
        CHANGELOG.replace("kind: checked", "kind: fixed"),
        [
            "data/changelog.yaml:3: changelog entry 1: field 'kind' must be one of added, updated, corrected, "
            "checked, removed, not 'fixed'"
        ],
    ),
    (
        "facts as text",
        CHANGELOG.replace("facts: [industry.downloads]", "facts: industry.downloads"),
        ["data/changelog.yaml:4: changelog entry 1: field 'facts' must be a list of fact ids, not text"],
    ),
    (
        "unknown fact with a hint",
        CHANGELOG.replace("facts: [industry.downloads]", "facts: [industry.download]"),
        [
            "data/changelog.yaml:4: changelog entry 1: fact 'industry.download' is not in the data "
            "(did you mean 'industry.downloads'?)"
        ],
    ),
    (
        "fact listed twice",
        CHANGELOG.replace(
            "facts: [industry.downloads]", "facts:\n      - industry.downloads\n      - industry.downloads"
        ),
        ["data/changelog.yaml:6: changelog entry 1: fact 'industry.downloads' is listed twice"],
    ),
    (
        "not a fact id",
        CHANGELOG.replace("facts: [industry.downloads]", "facts: [Downloads]"),
        ["data/changelog.yaml:4: changelog entry 1: 'Downloads' is not a fact id like 'tech.max-duration'"],
    ),
    (
        "number where text belongs",
        CHANGELOG.replace("reason: The first edition.", "reason: 2026"),
        ["data/changelog.yaml:10: changelog entry 2: field 'reason' must be text, not a number"],
    ),
    (
        "entry that is not a mapping",
        CHANGELOG + "  - just a line\n",
        ["data/changelog.yaml:11: changelog entry 3 must be a mapping, not text"],
    ),
    (
        "unknown top-level list",
        CHANGELOG.replace("changelog:\n", "changes:\n"),
        [
            "data/changelog.yaml:1: unknown list 'changes' (expected changelog)",
            "data/changelog.yaml:1: 'changelog' must be a list of entries, not empty",
        ],
    ),
    (
        "syntax error",
        "changelog: [\n  - date: x\n",
        ["data/changelog.yaml:2: YAML syntax: did not find expected node content"],
    ),
]


@pytest.mark.parametrize(("text", "expected"), [(c[1], c[2]) for c in CASES], ids=[c[0] for c in CASES])
def test_changelog_mistake_gives_exact_line(tmp_path: Path, text: str, expected: list[str]) -> None:
    assert _load(tmp_path, text)[2] == expected


def test_good_changelog_loads_every_entry(tmp_path: Path) -> None:
    _, entries, problems = _load(tmp_path)
    assert problems == []
    assert [(e.date, e.kind, e.facts, e.line) for e in entries] == [
        ("2026-11-25", "checked", ("industry.downloads",), 2),
        ("2026-11-21", "added", (), 7),
    ]


def test_a_removed_fact_may_stay_named_in_older_entries(tmp_path: Path) -> None:
    removal = (
        "  - date: 2026-12-01\n    kind: removed\n    facts: [industry.old-figure]\n"
        "    change: Took out a figure.\n    reason: Its only source was withdrawn.\n"
        "  - date: 2026-11-22\n    kind: updated\n    facts: [industry.old-figure]\n"
        "    change: Changed it.\n    reason: A newer report.\n"
    )
    assert _load(tmp_path, CHANGELOG + removal)[2] == []
    without_removal = CHANGELOG + removal.split("  - date: 2026-11-22\n")[0].replace("removed", "updated")
    problems = _load(tmp_path, without_removal)[2]
    assert problems == ["data/changelog.yaml:13: changelog entry 3: fact 'industry.old-figure' is not in the data"]


def test_no_changelog_file_is_an_empty_changelog(tmp_path: Path) -> None:
    assert _load(tmp_path, None)[1:] == ([], [])


def test_check_command_reports_changelog_mistakes(tmp_path: Path) -> None:
    _ledger(tmp_path, CHANGELOG.replace("kind: added", "kind: add"))
    result = subprocess.run(
        [sys.executable, "-m", "macros", "check", "data"],
        cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "data/changelog.yaml:8: changelog entry 2: field 'kind' must be one of added, updated, corrected, checked, "
        "removed, not 'add'",
        "1 problem(s) in data/",
    ]


def test_real_changelog_is_valid() -> None:
    store, _ = load_store(ROOT / "data", ROOT)
    entries, problems = changelog_module.load_changelog(ROOT / "data" / "changelog.yaml", ROOT, store)
    assert [str(p) for p in problems] == []
    assert entries and all(e.kind in changelog_module.CHANGE_KINDS for e in entries)


# ---------------------------------------------------------------------------------------------
# Last checked, citation, edit links


def test_last_checked_spans_the_facts_of_the_page(tmp_path: Path) -> None:
    # doc-b was read earlier; the deprecated claim's source (doc-a, for tech.max-duration) and
    # the "removed" kind never count as checks of a figure.
    sources = SOURCES.replace("    language: zh-Hant\n", "    language: zh-Hant\n", 1)
    sources = sources.replace(
        "accessed: 2026-11-21\n    language: zh-Hant", "accessed: 2026-10-03\n    language: zh-Hant"
    )
    data = _ledger(tmp_path, None, sources)
    store, problems = load_store(data, tmp_path)
    assert problems == []
    downloads, duration = store.facts["industry.downloads"], store.facts["tech.max-duration"]
    assert contrib.fact_checked(store, downloads) == "2026-11-21"  # the later of doc-a and doc-b
    assert contrib.last_checked(store, ["tech.max-duration"]) == (
        '\n\n<p class="last-checked"><span class="from-data">The figures on this page were last checked against '
        "their sources on 21 November 2026.</span></p>\n"
    )
    checked = changelog_module.ChangeEntry("2026-11-25", "checked", "c", "r", ("tech.max-duration",), "x", 1)
    removed = changelog_module.ChangeEntry("2026-12-09", "removed", "c", "r", ("tech.max-duration",), "x", 1)
    assert contrib.fact_checked(store, duration, [checked, removed]) == "2026-11-25"
    line = contrib.last_checked(store, ["industry.downloads", "tech.max-duration", "no.such-fact"], [checked])
    assert "between 21 November 2026 and 25 November 2026." in line
    assert contrib.last_checked(store, []) == ""


def test_last_checked_dates_of_any_changelog_are_those_of_every_entry_about_the_fact(tmp_path: Path) -> None:
    """The changelog's dates are worked out once per tuple of entries; the answer for any fact and
    any mix of entries (about one fact, several, every fact; removed ones) is the latest date of a
    counted entry covering it, or of its sources, as each entry would give on its own."""
    store, problems = load_store(_ledger(tmp_path, None), tmp_path)
    assert problems == []
    ids = [*store.facts, "no.such-fact"]
    kinds = changelog_module.CHANGE_KINDS
    entries = [
        changelog_module.ChangeEntry(
            f"{2025 + i % 3}-{1 + i % 12:02d}-{1 + (i * 7) % 28:02d}",
            kinds[i % len(kinds)],
            "c",
            "r",
            tuple(ids[i % 5 : i % 5 + i % 3]),
            "x",
            i,
        )
        for i in range(40)
    ]

    def one_by_one(fact_id: str, chosen: Sequence[changelog_module.ChangeEntry]) -> str | None:
        fact = store.facts[fact_id]
        dates = [store.sources[c.source].accessed for c in fact.live_claims if c.source in store.sources]
        dates += [e.date for e in chosen if e.kind != "removed" and e.covers(fact_id)]
        return max(dates) if dates else None

    for start in range(0, 40, 3):
        for chosen in (tuple(entries[start:]), list(entries[:start]), tuple(reversed(entries[:start]))):
            for fact_id in store.facts:
                assert contrib.fact_checked(store, store.facts[fact_id], chosen) == one_by_one(fact_id, chosen)


def test_fact_ids_in_a_rendered_page_follow_first_use(tmp_path: Path) -> None:
    store, _, _ = _load(tmp_path)
    notes = render.PageNotes(store, "index.md")
    page = " ".join(
        render.fact(store, notes, i) for i in ("industry.downloads", "tech.max-duration", "industry.downloads")
    )
    assert contrib.fact_ids_in(page) == ["industry.downloads", "tech.max-duration"]


def test_edit_links_point_at_the_yaml_file_of_the_fact(tmp_path: Path) -> None:
    store, _, _ = _load(tmp_path)
    base = contrib.edit_base("https://github.com/sora2-briefing/briefing-book/", "edit/main/docs/")
    assert base == "https://github.com/sora2-briefing/briefing-book/edit/main/"
    assert contrib.edit_fact_link(base, store.facts["industry.downloads"]) == (
        '<a class="edit-fact" href="https://github.com/sora2-briefing/briefing-book/edit/main/data/facts.yaml" '
        'title="data/facts.yaml, line 16">Edit this fact</a>'
    )
    assert contrib.edit_base(None, "edit/main/docs/") is None
    assert contrib.edit_base("https://github.com/o/r", "blob/main/pages/") is None  # not the docs folder
    assert contrib.edit_fact_link(None, store.facts["industry.downloads"]) == ""
    checked = changelog_module.ChangeEntry("2026-11-25", "checked", "c", "r", ("industry.downloads",), "x", 1)
    footer = contrib.fact_footer(store, store.facts["industry.downloads"], [checked], base)
    assert footer == (
        '\n<p class="fact-meta"><span class="from-data">Last checked against its sources on 25 November 2026.'
        '</span> <a class="edit-fact" href="https://github.com/sora2-briefing/briefing-book/edit/main/data/facts.yaml" '
        'title="data/facts.yaml, line 16">Edit this fact</a></p>\n'
    )
    assert "edit-fact" not in contrib.fact_footer(store, store.facts["industry.downloads"], [], None)


def test_cite_page_uses_the_data_date_not_the_build_date() -> None:
    box = contrib.cite_page("Sora 2 briefing book", "R&D {costs}", "https://example.org/costs/", "2026-11-25")
    assert "Sora 2 briefing book. “R&#38;D &#123;costs&#125;”. Figures last checked 25 November 2026." in box
    assert "        @online{sora-2-briefing-book-r-d-costs,\n" in box
    assert "          title = {R\\&D \\textbraceleft{}costs\\textbraceright{}},\n" in box
    assert "          date = {2026-11-25},\n          url = {https://example.org/costs/},\n        }\n" in box
    assert "Figures last checked" not in contrib.cite_page("Site", "Page", None, None)


def test_contributor_markdown_builds_and_passes_the_site_checks(tmp_path: Path) -> None:
    store, entries, _ = _load(tmp_path / "ledger")
    hostile = changelog_module.ChangeEntry(
        "2026-11-26", "corrected", "<script>alert(1)</script> *x* {{ 7*7 }}", "[^1] `code`", (), "x", 1
    )
    notes = render.PageNotes(store, "changelog.md")
    page = (
        "# Changelog\n"
        + contrib.changelog(store, notes, [*entries, hostile])
        + contrib.last_checked(store, ["industry.downloads"], entries)
        + contrib.cite_page("Sora 2 briefing book", "Changelog", "https://example.org/changelog/", "2026-11-26")
    )
    files = basic_files(**{"docs/changelog.md": "{% raw %}" + page + "{% endraw %}\n"})
    result = build(make_site(tmp_path / "site", files))
    assert result.returncode == 0, result.output  # strict build, and the site checks log nothing
    article = result.article("changelog/index.html")
    text = html.unescape(re.sub(r"<[^>]+>", "", article))
    headings = re.findall(r'<h2 id="([^"]+)">', article)
    assert headings == ["changes-2026-11-26", "changes-2026-11-25", "changes-2026-11-21"]
    assert "Checked: Compared both download counts with their sources again." in text
    assert "Why: A reader asked whether the counts had been revised." in text
    assert re.search(r'Facts: <a href="\.\./facts/#industry\.downloads"><span class="from-data">Downloads', article)
    assert "Facts: every fact in the ledger at the time" in text
    assert "<script>alert(1)</script> *x* {{ 7*7 }}" in text and "<script" not in article
    assert "between" not in text and "last checked against their sources on 25 November 2026." in text
    box = re.search(r'<div class="admonition quote">(.*?)</div>', article, re.S)
    assert box is not None
    assert '<p class="admonition-title">Cite this page</p>' in box.group(1)
    assert "<pre><code>@online{sora-2-briefing-book-changelog,\n  title = {Changelog}," in box.group(1)
