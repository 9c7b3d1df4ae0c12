"""`make diff`: real git repositories in temporary folders, changed the way a contributor would,
and the report scripts/factdiff.py prints for them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from macros.ledger.model import Claim
from scripts.factdiff import pair_claims
from tests.sites import FACTS, ROOT, SOURCES

SCRIPT = ROOT / "scripts" / "factdiff.py"
GIT_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "Contributor",
    "GIT_AUTHOR_EMAIL": "contributor@example.invalid",
    "GIT_COMMITTER_NAME": "Contributor",
    "GIT_COMMITTER_EMAIL": "contributor@example.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}
DOWNLOADS_ROW = "| `industry.downloads`: Downloads in the first five days | "
CONTESTED = "over 1 million downloads or 627,000 downloads (sources differ) · contested"


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", "-C", str(repo), *args], env=GIT_ENV, capture_output=True, text=True, check=True)
    return result.stdout


def write(repo: Path, files: dict[str, str | None]) -> None:
    for name, text in files.items():
        path = repo / name
        if text is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def commit(repo: Path, files: dict[str, str | None], message: str = "change") -> None:
    write(repo, files)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def new_repo(tmp_path: Path, files: dict[str, str | None] | None = None) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    commit(repo, files or {"data/sources.yaml": SOURCES, "data/facts.yaml": FACTS}, "first")
    return repo


def factdiff(repo: Path, *args: str, summary: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in GIT_ENV.items() if k != "GITHUB_STEP_SUMMARY"}
    if summary is not None:
        env["GITHUB_STEP_SUMMARY"] = str(summary)
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], cwd=repo, env=env, capture_output=True, text=True, timeout=120
    )


def test_a_changed_value_shows_before_and_after(tmp_path: Path) -> None:
    repo = new_repo(tmp_path)
    write(repo, {"data/facts.yaml": FACTS.replace("value: 627000", "value: 700000")})
    result = factdiff(repo)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    after = CONTESTED.replace("627,000", "700,000")
    assert f"{DOWNLOADS_ROW}{CONTESTED} | {after} |" in lines
    assert "  - Claim 2 (`doc-b`): value 627,000 downloads → 700,000 downloads" in lines
    assert "1 fact(s) changed, 0 added, 0 removed; 0 source(s) changed, 0 added, 0 removed." in lines
    assert "tech.max-duration" not in result.stdout  # unchanged facts stay out of the report


def test_a_rank_change_and_the_status_it_brings(tmp_path: Path) -> None:
    repo = new_repo(tmp_path)
    preferred = (
        "      - value: 627000\n        source: doc-b\n        rank: preferred\n        rank_reason: A later count\n"
    )
    write(repo, {"data/facts.yaml": FACTS.replace("      - value: 627000\n        source: doc-b\n", preferred)})
    lines = factdiff(repo).stdout.splitlines()
    assert f"{DOWNLOADS_ROW}{CONTESTED} | 627,000 downloads · attributed |" in lines
    assert "  - Claim 2 (`doc-b`): rank **normal → preferred**; rank_reason (none) → A later count" in lines


def test_claims_and_sources_added_and_removed(tmp_path: Path) -> None:
    repo = new_repo(tmp_path)
    source = (
        "  - id: doc-c\n    title: Document C\n    title_en: Document C\n    publisher: Appfigures\n"
        "    accessed: 2026-11-22\n    url: https://appfigures.com/report\n    language: en\n    kind: primary\n"
        "    tier: primary\n"
    )
    facts = FACTS.replace(
        "      - value: 1000000\n        modifier: over\n        source: doc-a\n        as_of: 2025-10-08\n",
        "      - value: 650000\n        source: doc-c\n        as_of: 2025-10-05\n        qualifiers: {region: US}\n",
    )
    write(repo, {"data/sources.yaml": SOURCES + source, "data/facts.yaml": facts})
    lines = factdiff(repo).stdout.splitlines()
    assert "  - Claim added: 650,000 downloads from `doc-c` (US, as of 5 October 2025), normal" in lines
    assert "  - Claim removed: over 1 million downloads from `doc-a` (as of 8 October 2025), normal" in lines
    assert "- `doc-c` added: Appfigures: Document C <https://appfigures.com/report>" in lines
    assert (
        f"{DOWNLOADS_ROW}{CONTESTED} | 650,000 downloads or 627,000 downloads (sources differ) · contested |" in lines
    )


def test_a_source_field_change_is_listed(tmp_path: Path) -> None:
    repo = new_repo(tmp_path)
    write(
        repo, {"data/sources.yaml": SOURCES.replace("https://openai.com/index/sora-2/", "https://openai.com/sora-2/")}
    )
    lines = factdiff(repo).stdout.splitlines()
    assert "- `openai-launch` changed: url https://openai.com/index/sora-2/ → https://openai.com/sora-2/" in lines
    assert "0 fact(s) changed, 0 added, 0 removed; 1 source(s) changed, 0 added, 0 removed." in lines


def test_facts_added_and_removed(tmp_path: Path) -> None:
    repo = new_repo(tmp_path)
    added = (
        "  - id: tech.min-duration\n    label: Shortest clip\n    topic: technology\n    unit: seconds\n"
        "    claims:\n      - value: 5\n        source: openai-launch\n"
    )
    facts = FACTS.split("  - id: industry.downloads\n")[0] + added
    sources = SOURCES.split("  - id: doc-b\n")[0]  # cited by the removed fact alone
    write(repo, {"data/facts.yaml": facts, "data/sources.yaml": sources})
    lines = factdiff(repo).stdout.splitlines()
    assert f"{DOWNLOADS_ROW}{CONTESTED} | — |" in lines
    assert "| `tech.min-duration`: Shortest clip | — | 5 seconds · confirmed |" in lines
    assert "- `tech.min-duration`: Shortest clip (data/facts.yaml)" in lines
    assert "  - 5 seconds from `openai-launch`, normal" in lines
    assert "0 fact(s) changed, 1 added, 1 removed; 0 source(s) changed, 0 added, 1 removed." in lines
    assert "- `doc-b` removed: Jiedian Caijing (節點財經): Document B" in lines


def test_two_revisions_leave_the_working_tree_out(tmp_path: Path) -> None:
    repo = new_repo(tmp_path)
    commit(repo, {"data/facts.yaml": FACTS.replace("value: 25\n", "value: 20\n")})
    write(repo, {"data/facts.yaml": FACTS.replace("value: 25\n", "value: 15\n")})  # not committed
    result = factdiff(repo, "--base", "HEAD~1", "--head", "HEAD")
    first, second = (git(repo, "rev-parse", rev).strip()[:10] for rev in ("HEAD~1", "HEAD"))
    assert f"Compared: `HEAD~1` ({first}) → `HEAD` ({second})." in result.stdout
    assert "| `tech.max-duration`: Longest clip | 25 seconds · confirmed | 20 seconds · confirmed |" in result.stdout
    assert "15 seconds" not in result.stdout


def test_an_unchanged_tree_says_nothing_differs(tmp_path: Path) -> None:
    repo = new_repo(tmp_path)
    result = factdiff(repo)
    assert result.returncode == 0
    assert "No fact, source, name or changelog entry differs." in result.stdout.splitlines()
    assert "|" not in result.stdout


def test_the_report_is_appended_to_the_job_summary(tmp_path: Path) -> None:
    repo = new_repo(tmp_path)
    write(repo, {"data/facts.yaml": FACTS.replace("value: 627000", "value: 700000")})
    summary = tmp_path / "summary.md"
    summary.write_text("Earlier step\n", encoding="utf-8")
    result = factdiff(repo, summary=summary)
    assert result.returncode == 0
    assert summary.read_text(encoding="utf-8") == "Earlier step\n" + result.stdout + "\n"
    assert "700,000 downloads" in result.stdout


def test_an_unknown_revision_is_one_line_and_exit_status_two(tmp_path: Path) -> None:
    repo = new_repo(tmp_path)
    result = factdiff(repo, "--base", "no-such-branch")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == f"factdiff: 'no-such-branch' is not a commit of the repository in {repo.resolve()}\n"


def test_a_base_without_data_shows_every_fact_as_added(tmp_path: Path) -> None:
    repo = new_repo(tmp_path, {"README.md": "A new project\n"})
    commit(repo, {"data/sources.yaml": SOURCES, "data/facts.yaml": FACTS})
    result = factdiff(repo, "--base", "HEAD~1", "--head", "HEAD")
    assert "0 fact(s) changed, 2 added, 0 removed; 0 source(s) changed, 3 added, 0 removed." in result.stdout
    assert "### Problems in the base" in result.stdout  # an empty data folder is itself reported
    assert "data:0: no .yaml files found" in result.stdout


def test_a_data_mistake_in_the_change_is_listed_with_file_and_line(tmp_path: Path) -> None:
    repo = new_repo(tmp_path)
    write(repo, {"data/facts.yaml": FACTS.replace("source: openai-launch\n", "source: openai-lanch\n")})
    result = factdiff(repo)
    assert result.returncode == 0
    report = result.stdout
    assert "### Problems in the change" in report
    problem = (
        "data/facts.yaml:8: fact 'tech.max-duration': claim 1 names unknown source 'openai-lanch' "
        "(did you mean 'openai-launch'?)"
    )
    assert re.search(r"```text\n(?:.*\n)*" + re.escape(problem) + r"\n(?:.*\n)*```", report), report


def test_text_from_the_data_cannot_add_markup_to_the_report(tmp_path: Path) -> None:
    repo = new_repo(tmp_path)
    hostile = "<img src=x onerror=alert(1)> | *bold* [link](https://example.com) $x$"
    write(repo, {"data/facts.yaml": FACTS.replace("label: Longest clip", f"label: '{hostile}'")})
    lines = factdiff(repo).stdout.splitlines()
    row = next(line for line in lines if line.startswith("| `tech.max-duration`"))
    assert len(re.findall(r"(?<!\\)\|", row)) == 4  # the label's pipe cannot open a column
    assert "\\<img src=x onerror=alert(1)\\> \\| \\*bold\\* \\[link\\](https://example.com) \\$x\\$" in row


def test_changelog_entries_and_the_facts_they_leave_out(tmp_path: Path) -> None:
    repo = new_repo(tmp_path)
    facts = FACTS.replace("value: 627000", "value: 700000").replace("value: 25\n", "value: 20\n")
    changelog = (
        "changelog:\n  - date: 2026-11-22\n    kind: updated\n    facts: [industry.downloads]\n"
        "    change: Updated the download count.\n    reason: A later report.\n"
    )
    write(repo, {"data/facts.yaml": facts, "data/changelog.yaml": changelog})
    lines = factdiff(repo).stdout.splitlines()
    entry = "- 2026-11-22, updated (`industry.downloads`): Updated the download count. Why: A later report."
    assert entry in lines
    assert "Not yet in `data/changelog.yaml`: `tech.max-duration`." in lines


def test_a_label_change_keeps_the_shown_value(tmp_path: Path) -> None:
    repo = new_repo(tmp_path)
    write(repo, {"data/facts.yaml": FACTS.replace("label: Longest clip", "label: Longest clip in one generation")})
    lines = factdiff(repo).stdout.splitlines()
    assert "| `tech.max-duration`: Longest clip in one generation | 25 seconds · confirmed | *unchanged* |" in lines
    assert "  - label: Longest clip → Longest clip in one generation" in lines


def test_claims_pair_by_source_and_what_they_apply_to() -> None:
    def claim(index: int, value: int, tier: str, source: str = "openai-launch") -> Claim:
        return Claim(value=value, source=source, line=index, index=index, qualifiers=(("tier", tier),))

    before = [claim(1, 15, "free"), claim(2, 25, "Pro"), claim(3, 20, "free", "doc-a")]
    after = [claim(1, 25, "Pro"), claim(2, 10, "free"), claim(3, 30, "Plus")]
    pairs, removed, added = pair_claims(before, after)
    # The unchanged Pro claim pairs with itself, the free claim with the free claim whose value
    # changed, and doc-a's claim has no counterpart; the Plus claim is new.
    assert [(a.value, b.value) for a, b in pairs] == [(25, 25), (15, 10)]
    assert [c.value for c in removed] == [20]
    assert [c.value for c in added] == [30]
