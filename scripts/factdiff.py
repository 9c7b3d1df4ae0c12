"""What a change does to the site's figures: `make diff BASE=<rev>` runs this.

The ledger at a git revision and the ledger in the working tree (or at a second revision) are
both read through the validator the build uses, and compared: facts added, changed and removed,
the value each shows before and after, claims and sources added or removed, rank changes. The
report is Markdown on standard output, and is appended to the job summary when
GITHUB_STEP_SUMMARY is set, so reviewers see it on the pull request.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from macros.core.render import format_date, format_value
from macros.ledger import load_ledger, schema
from macros.ledger.changelog import ChangeEntry
from macros.ledger.loading import Problem
from macros.ledger.model import Claim, Fact, Name, Source, Store


class GitError(Exception):
    """A revision or repository git cannot read; reported as one line."""


@dataclass
class Ledger:
    label: str  # how the report names this side, in Markdown: the revision or "the working tree"
    store: Store
    problems: list[Problem]
    changes: list[ChangeEntry]


# ---------------------------------------------------------------------------------------------
# Reading the two sides


def _git(repo: Path, *args: str) -> bytes:
    result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=False)
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[-1] if message else f"git {args[0]} failed")
    return result.stdout


def _commit(repo: Path, rev: str) -> str:
    try:
        return _git(repo, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").decode().strip()
    except GitError:
        raise GitError(f"'{rev}' is not a commit of the repository in {repo}") from None


def extract_data(repo: Path, commit: str, data: str, into: Path) -> Path:
    """Write the data folder as it was at `commit` below `into`; return it (empty if it was absent)."""
    target = into / data
    target.mkdir(parents=True, exist_ok=True)
    listing = _git(repo, "ls-tree", "--name-only", commit, "--", data).decode().strip()
    if not listing:
        return target
    archive = _git(repo, "archive", "--format=tar", commit, "--", data)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")  # the "data" filter refuses links and paths leaving `into`
    return target


def read_ledger(data_dir: Path, root: Path, label: str) -> Ledger:
    ledger = load_ledger(data_dir, root)
    return Ledger(label, ledger.store, list(ledger.problems), list(ledger.changes))


def load_side(repo: Path, rev: str | None, data: str, scratch: Path) -> Ledger:
    """The ledger at `rev`, or in the working tree when rev is None."""
    if rev is None:
        return read_ledger(repo / data, repo, "the working tree")
    commit = _commit(repo, rev)
    root = scratch / commit
    label = f"`{rev.replace('`', '')}` ({commit[:10]})"
    return read_ledger(extract_data(repo, commit, data, root), root, label)


# ---------------------------------------------------------------------------------------------
# Comparing


# From the schema, so a new field is compared without an edit here.
_CLAIM_FIELDS = tuple(f.name for f in schema.CLAIM.fields if f.name not in ("source", "unit"))
_FACT_FIELDS = tuple(dict.fromkeys(("label", "topic", "type", "unit", "product", *schema.FACT_TEXT_FIELDS)))
_SOURCE_FIELDS = tuple(f.name for f in schema.SOURCE.fields if f.name != "id")


def _claim_key(claim: Claim) -> tuple[Hashable, ...]:
    return (claim.source, claim.via, *(getattr(claim, f) for f in _CLAIM_FIELDS))


def _claim_place(claim: Claim) -> tuple[Hashable, ...]:
    return (claim.source, claim.via, claim.qualifiers, claim.as_of)


def _claim_source(claim: Claim) -> tuple[Hashable, ...]:
    return (claim.source, claim.via)


def pair_claims(
    old: Sequence[Claim], new: Sequence[Claim]
) -> tuple[list[tuple[Claim, Claim]], list[Claim], list[Claim]]:
    """Match each claim before with the same source's claim after: identical claims first, then
    the claim for the same source, qualifiers and date, then any claim of the same source.
    Returns the pairs, the claims removed and the claims added."""
    left, right = list(old), list(new)
    pairs: list[tuple[Claim, Claim]] = []
    keys: tuple[Callable[[Claim], tuple[Hashable, ...]], ...] = (_claim_key, _claim_place, _claim_source)
    for key in keys:
        for claim in list(left):
            match = next((c for c in right if key(c) == key(claim)), None)
            if match is not None:
                pairs.append((claim, match))
                left.remove(claim)
                right.remove(match)
    pairs.sort(key=lambda p: p[1].index)
    return pairs, left, right


@dataclass
class FactChange:
    fact_id: str
    before: Fact | None
    after: Fact | None
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # name, before, after
    claims: list[str] = field(default_factory=list)  # one Markdown line per claim change


@dataclass
class SourceChange:
    source_id: str
    before: Source | None
    after: Source | None
    fields: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class Comparison:
    base: Ledger
    head: Ledger
    facts: list[FactChange]
    sources: list[SourceChange]
    names_added: list[Name]
    names_removed: list[Name]
    changes_added: list[ChangeEntry]

    @property
    def empty(self) -> bool:
        return not (self.facts or self.sources or self.names_added or self.names_removed or self.changes_added)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple):  # qualifiers
        return ", ".join(f"{k}: {v}" for k, v in value)
    return str(value)


def shown(store: Store, fact: Fact | None) -> str:
    """The value a page shows for the fact, in words, and how well sourced it is."""
    if fact is None:
        return "—"
    if not fact.live_claims:
        return "not shown (every claim is deprecated)"
    values = list(dict.fromkeys(_value(fact, c) for c in fact.shown_claims))
    text = " or ".join(values) + (" (sources differ)" if fact.contested else "")
    return f"{text} · {store.status(fact)}"


def _value(fact: Fact, claim: Claim) -> str:
    """A claim's value as the site writes it; a statement in quotation marks."""
    text = format_value(fact, claim)
    return f"“{text}”" if fact.type == "text" else text


def describe_claim(fact: Fact, claim: Claim) -> str:
    text = f"{md(_value(fact, claim))} from `{claim.source}`"
    if claim.via:
        text += f" via `{claim.via}`"
    applies = [v for _, v in claim.qualifiers] + ([f"as of {format_date(claim.as_of)}"] if claim.as_of else [])
    if applies:
        text += f" ({md(', '.join(applies))})"
    text += f", {claim.rank}"
    if claim.verdict:
        text += f" ({claim.verdict})"
    if claim.rank_reason:
        text += f": {md(claim.rank_reason)}"
    return text


def _claim_changes(before: Fact, after: Fact) -> list[str]:
    pairs, removed, added = pair_claims(before.claims, after.claims)
    lines = []
    for old, new in pairs:
        diffs = []
        for name in _CLAIM_FIELDS:
            a, b = getattr(old, name), getattr(new, name)
            if a == b:
                continue
            if name == "value":
                diffs.append(f"value {md(_value(before, old))} → {md(_value(after, new))}")
            elif name == "rank":
                diffs.append(f"rank **{a} → {b}**")
            else:
                diffs.append(f"{name} {md(_text(a)) or '(none)'} → {md(_text(b)) or '(none)'}")
        if diffs:
            lines.append(f"Claim {new.index} (`{new.source}`): " + "; ".join(diffs))
    lines += [f"Claim added: {describe_claim(after, c)}" for c in added]
    lines += [f"Claim removed: {describe_claim(before, c)}" for c in removed]
    return lines


def _field_changes(before: object, after: object, names: Sequence[str]) -> list[tuple[str, str, str]]:
    out = []
    for name in names:
        a, b = getattr(before, name), getattr(after, name)
        if a != b:
            out.append((name, _text(a), _text(b)))
    return out


def compare(base: Ledger, head: Ledger) -> Comparison:
    old, new = base.store, head.store
    facts: list[FactChange] = []
    for fact_id in sorted(set(old.facts) | set(new.facts)):
        before, after = old.facts.get(fact_id), new.facts.get(fact_id)
        change = FactChange(fact_id, before, after)
        if before is not None and after is not None:
            change.fields = _field_changes(before, after, _FACT_FIELDS)
            change.claims = _claim_changes(before, after)
            if not change.fields and not change.claims and shown(old, before) == shown(new, after):
                continue  # unchanged (a moved record, or a change in a source it cites: see sources)
        facts.append(change)
    sources: list[SourceChange] = []
    for source_id in sorted(set(old.sources) | set(new.sources)):
        s_before, s_after = old.sources.get(source_id), new.sources.get(source_id)
        s_change = SourceChange(source_id, s_before, s_after)
        if s_before is not None and s_after is not None:
            s_change.fields = _field_changes(s_before, s_after, _SOURCE_FIELDS)
            if not s_change.fields:
                continue
        sources.append(s_change)
    known = {(e.date, e.kind, e.change) for e in base.changes}
    return Comparison(
        base,
        head,
        facts,
        sources,
        names_added=[n for i, n in sorted(new.names.items()) if i not in old.names],
        names_removed=[n for i, n in sorted(old.names.items()) if i not in new.names],
        changes_added=[e for e in head.changes if (e.date, e.kind, e.change) not in known],
    )


# ---------------------------------------------------------------------------------------------
# The report

# Characters that start Markdown markup inline, in a table cell, or math on GitHub ($).
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&$])")


def md(text: str) -> str:
    """Data text made inert in Markdown (also in a table cell): one line, specials escaped."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _fence(lines: Sequence[str]) -> str:
    longest = max((len(run) for line in lines for run in re.findall(r"`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    return "\n".join([f"{fence}text", *lines, fence])


def _problems(ledger: Ledger, heading: str) -> list[str]:
    if not ledger.problems:
        return []
    return [
        f"### {heading}",
        "",
        f"The data of {ledger.label} has {len(ledger.problems)} problem(s). A record with a mistake is "
        "left out of the comparison, so it may show as removed until the mistake is fixed.",
        "",
        _fence([str(p) for p in ledger.problems]),
        "",
    ]


def _label(fact: Fact | None, fact_id: str) -> str:
    label = f": {md(fact.label)}" if fact is not None else ""
    return f"`{fact_id}`{label}"


def render(comparison: Comparison) -> str:
    base, head = comparison.base, comparison.head
    out = ["## Figures changed by this change", ""]
    out.append(f"Compared: {base.label} → {head.label}.")
    out.append("")
    added = [c for c in comparison.facts if c.before is None]
    removed = [c for c in comparison.facts if c.after is None]
    changed = [c for c in comparison.facts if c.before is not None and c.after is not None]
    if comparison.empty:
        out += ["No fact, source, name or changelog entry differs.", ""]
    else:
        counts = [f"{len(changed)} fact(s) changed", f"{len(added)} added", f"{len(removed)} removed"]
        s_counts = [
            f"{sum(s.before is not None and s.after is not None for s in comparison.sources)} source(s) changed",
            f"{sum(s.before is None for s in comparison.sources)} added",
            f"{sum(s.after is None for s in comparison.sources)} removed",
        ]
        out += [", ".join(counts) + "; " + ", ".join(s_counts) + ".", ""]
    if comparison.facts:
        out += ["| Fact | Before | After |", "|---|---|---|"]
        for c in comparison.facts:
            before, after = shown(base.store, c.before), shown(head.store, c.after)
            after = "*unchanged*" if after == before else md(after)
            out.append(f"| {_label(c.after or c.before, c.fact_id)} | {md(before)} | {after} |")
        out.append("")
    if changed:
        out += ["### Changed facts", ""]
        for c in changed:
            out.append(f"- {_label(c.after, c.fact_id)}")
            out += [f"  - {name}: {md(a) or '(none)'} → {md(b) or '(none)'}" for name, a, b in c.fields]
            out += [f"  - {line}" for line in c.claims]
        out.append("")
    for title, group in (("Added facts", added), ("Removed facts", removed)):
        if group:
            out += [f"### {title}", ""]
            for c in group:
                fact = c.after or c.before
                assert fact is not None
                out.append(f"- {_label(fact, c.fact_id)} ({md(fact.path)})")
                out += [f"  - {describe_claim(fact, claim)}" for claim in fact.claims]
            out.append("")
    if comparison.sources:
        out += ["### Sources", ""]
        for s in comparison.sources:
            if s.before is None or s.after is None:
                source = s.after or s.before
                assert source is not None
                verb = "added" if s.before is None else "removed"
                title = md(f"{source.display_publisher}: {source.title_en}")
                out.append(f"- `{s.source_id}` {verb}: {title}" + (f" <{source.url}>" if source.url else ""))
            else:
                diffs = "; ".join(f"{n} {md(a) or '(none)'} → {md(b) or '(none)'}" for n, a, b in s.fields)
                out.append(f"- `{s.source_id}` changed: {diffs}")
        out.append("")
    if comparison.names_added or comparison.names_removed:
        out += ["### Product names", ""]
        out += [f"- `{n.id}` added: {md(n.name)}" for n in comparison.names_added]
        out += [f"- `{n.id}` removed: {md(n.name)}" for n in comparison.names_removed]
        out.append("")
    out += _changelog_section(comparison)
    out += _problems(base, "Problems in the base")
    out += _problems(head, "Problems in the change")
    return "\n".join(out).rstrip() + "\n"


def _changelog_section(comparison: Comparison) -> list[str]:
    touched = [c.fact_id for c in comparison.facts]
    out: list[str] = []
    if comparison.changes_added:
        out += ["### Changelog entries added", ""]
        for e in comparison.changes_added:
            facts = ", ".join(f"`{i}`" for i in e.facts) or "the whole ledger"
            out.append(f"- {e.date}, {e.kind} ({facts}): {md(e.change)} Why: {md(e.reason)}")
        out.append("")
    uncovered = [i for i in touched if not any(e.covers(i) for e in comparison.changes_added)]
    if uncovered:
        out += [
            "Not yet in `data/changelog.yaml`: " + ", ".join(f"`{i}`" for i in uncovered) + ".",
            "",
        ]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="factdiff", description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="HEAD", help="git revision to compare with (default: HEAD)")
    parser.add_argument("--head", help="git revision to compare (default: the working tree)")
    parser.add_argument("--repo", type=Path, default=Path.cwd(), help="the repository (default: here)")
    parser.add_argument("--data", default="data", help="the data folder inside the repository")
    args = parser.parse_args(argv)
    repo = args.repo.resolve()
    try:
        _git(repo, "rev-parse", "--git-dir")
        with tempfile.TemporaryDirectory(prefix="factdiff-") as scratch:
            base = load_side(repo, args.base, args.data, Path(scratch))
            head = load_side(repo, args.head, args.data, Path(scratch))
    except GitError as error:
        print(f"factdiff: {error}", file=sys.stderr)
        return 2
    report = render(compare(base, head))
    sys.stdout.write(report)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as handle:
            handle.write(report + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
