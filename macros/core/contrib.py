"""What contributors and citing readers get: the changelog of facts, "last checked" lines taken
from the data, "cite this page" text and "edit this fact" links.

Plain functions from records to Markdown, like render.py; glue.py registers them. The changelog
is `data/changelog.yaml`, checked here with the same one-line-per-problem messages as the ledger.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..finish.downloads import bib_text
from ..ledger import schema
from ..ledger.loading import LineDict, LineList, Problem, load_yaml
from ..ledger.model import Fact, Store
from ..ledger.validate import check_date
from .render import PageNotes, attr, esc, format_date

# What an entry records. Every kind but `removed` means someone compared the facts it names with
# their sources that day, so it also counts as a verification date.
CHANGE_KINDS = ("added", "updated", "corrected", "checked", "removed")
_FIELDS = ("date", "kind", "facts", "change", "reason", "change_zh", "reason_zh")
_REQUIRED = ("date", "kind", "change", "reason")
_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DOTTED = re.compile(schema.DOTTED)


@dataclass(frozen=True)
class ChangeEntry:
    """One change to the ledger: when, what kind, which facts (none: all of them), what and why."""

    date: str
    kind: str
    change: str
    reason: str
    facts: tuple[str, ...]
    path: str
    line: int

    def covers(self, fact_id: str) -> bool:
        return not self.facts or fact_id in self.facts


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "a true/false value"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, LineDict):
        return "a mapping"
    if isinstance(value, LineList):
        return "a list"
    if value is None:
        return "empty"
    return "text"


def _entry_fields(path: str, index: int, item: LineDict, problems: list[Problem]) -> dict[str, Any]:
    """The fields of one entry that are well formed; a problem for each one that is not."""
    where = f"changelog entry {index}"
    good: dict[str, Any] = {}
    for key, value in item.items():
        line = item.key_lines.get(key, item.line)
        if key not in _FIELDS:
            close = difflib.get_close_matches(key, _FIELDS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(Problem(path, line, f"{where}: unknown field '{key}'{hint}"))
        elif key == "facts":
            ids = _fact_ids(path, where, value, line, problems)
            if ids is not None:
                good[key] = ids
        elif not isinstance(value, str) or not value.strip():
            problems.append(Problem(path, line, f"{where}: field '{key}' must be text, not {_type_name(value)}"))
        elif key == "date" and not (_FULL_DATE.fullmatch(value) and check_date(value)):
            problems.append(Problem(path, line, f"{where}: field 'date' must be a date YYYY-MM-DD, not '{value}'"))
        elif key == "kind" and value not in CHANGE_KINDS:
            choices = ", ".join(CHANGE_KINDS)
            problems.append(Problem(path, line, f"{where}: field 'kind' must be one of {choices}, not '{value}'"))
        elif len(value) > schema.LONG:
            message = f"{where}: field '{key}' is {len(value)} characters long; the limit is {schema.LONG}"
            problems.append(Problem(path, line, message))
        else:
            good[key] = value
    for key in _REQUIRED:
        if key not in item:
            problems.append(Problem(path, item.line, f"{where}: missing required field '{key}'"))
    return good


def _fact_ids(path: str, where: str, value: Any, line: int, problems: list[Problem]) -> list[tuple[str, int]] | None:
    if isinstance(value, LineList) and not value:
        message = f"{where}: field 'facts' is an empty list; name the facts, or leave the field out for all of them"
        problems.append(Problem(path, line, message))
        return None
    if not isinstance(value, LineList):
        problems.append(
            Problem(path, line, f"{where}: field 'facts' must be a list of fact ids, not {_type_name(value)}")
        )
        return None
    ids: list[tuple[str, int]] = []
    for item, item_line in zip(value, value.item_lines, strict=True):
        if not isinstance(item, str) or not _DOTTED.fullmatch(item):
            shown = f"'{item}'" if isinstance(item, str) else _type_name(item)
            problems.append(Problem(path, item_line, f"{where}: {shown} is not a fact id like 'tech.max-duration'"))
        elif item in (i for i, _ in ids):
            problems.append(Problem(path, item_line, f"{where}: fact '{item}' is listed twice"))
        else:
            ids.append((item, item_line))
    return ids


def load_changelog(path: Path, root: Path, store: Store) -> tuple[list[ChangeEntry], list[Problem]]:
    """Read and check data/changelog.yaml against the ledger; a missing file is an empty changelog.

    A fact id must name a fact of the ledger, or one that an entry of kind `removed` took out.
    """
    if not path.exists():
        return [], []
    try:
        display = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        display = path.as_posix()
    data, problems = load_yaml(path, display)
    if data is None:
        if not problems:
            problems.append(Problem(display, 1, "the file is empty; expected a mapping with a 'changelog' list"))
        return [], problems
    if not isinstance(data, LineDict):
        problems.append(Problem(display, 1, f"expected a mapping with a 'changelog' list, not {_type_name(data)}"))
        return [], problems
    for key in data:
        if key != "changelog":
            problems.append(Problem(display, data.key_lines[key], f"unknown list '{key}' (expected changelog)"))
    items = data.get("changelog")
    if not isinstance(items, LineList):
        line = data.key_lines.get("changelog", 1)
        problems.append(Problem(display, line, f"'changelog' must be a list of entries, not {_type_name(items)}"))
        return [], problems
    checked: list[tuple[int, dict[str, Any], LineDict]] = []
    for index, (item, item_line) in enumerate(zip(items, items.item_lines, strict=True), start=1):
        if not isinstance(item, LineDict):
            problems.append(
                Problem(display, item_line, f"changelog entry {index} must be a mapping, not {_type_name(item)}")
            )
            continue
        checked.append((index, _entry_fields(display, index, item, problems), item))
    removed = {i for _, good, _ in checked if good.get("kind") == "removed" for i, _ in good.get("facts", [])}
    entries: list[ChangeEntry] = []
    for index, good, item in checked:
        for fact_id, line in good.get("facts", []):
            if fact_id not in store.facts and fact_id not in removed:
                close = difflib.get_close_matches(fact_id, list(store.facts), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                message = f"changelog entry {index}: fact '{fact_id}' is not in the data{hint}"
                problems.append(Problem(display, line, message))
        if all(key in good for key in _REQUIRED):
            facts = tuple(i for i, _ in good.get("facts", []))
            entries.append(
                ChangeEntry(good["date"], good["kind"], good["change"], good["reason"], facts, display, item.line)
            )
    problems.sort(key=lambda p: p.line)
    return entries, problems


def _data(text: str) -> str:
    return f'<span class="from-data">{text}</span>'


def fact_ids_in(markdown: str) -> list[str]:
    """The facts a rendered page shows, in order of first use (from the figures' data-fact marks)."""
    return list(dict.fromkeys(re.findall(r'data-fact="([^"]+)"', markdown)))


def fact_checked(store: Store, fact: Fact, entries: Sequence[ChangeEntry] = ()) -> str | None:
    """When the fact was last compared with its sources: the latest access date of a source behind
    a claim that may be shown, or the latest changelog entry about it, whichever is later."""
    dates = [store.sources[s].accessed for c in fact.live_claims for s in (c.source, c.via) if s in store.sources]
    dates += [e.date for e in entries if e.kind != "removed" and e.covers(fact.id)]
    return max(dates) if dates else None


def checked_range(store: Store, fact_ids: Iterable[str], entries: Sequence[ChangeEntry] = ()) -> tuple[str, str] | None:
    """The oldest and the newest "last checked" date among the given facts (unknown ids are skipped)."""
    dates = [fact_checked(store, store.facts[i], entries) for i in fact_ids if i in store.facts]
    known = [d for d in dates if d is not None]
    return (min(known), max(known)) if known else None


def last_checked(store: Store, fact_ids: Iterable[str], entries: Sequence[ChangeEntry] = ()) -> str:
    """A line for the foot of a page: when its figures were last checked against their sources."""
    return checked_line(checked_range(store, fact_ids, entries))


def checked_line(span: tuple[str, str] | None) -> str:
    """The "last checked" line for a range from `checked_range`; nothing when no figure is shown."""
    if span is None:
        return ""
    oldest, newest = (format_date(d) for d in span)
    when = f"on {newest}" if oldest == newest else f"between {oldest} and {newest}"
    text = f"The figures on this page were last checked against their sources {when}."
    return f'\n\n<p class="last-checked">{_data(esc(text))}</p>\n'


def cite_page(site_name: str, title: str, url: str | None, date: str | None) -> str:
    """A "cite this page" box: a citation line and a biblatex entry. `date` is the newest check
    date of the page's figures, never the build date, so two builds stay identical."""
    parts = [f"{site_name}.", f"“{title}”."]
    if date:
        parts.append(f"Figures last checked {format_date(date)}.")
    if url:
        parts.append(url)
    key = re.sub(r"[^a-z0-9]+", "-", f"{site_name} {title}".lower()).strip("-") or "page"
    bib = [f"@online{{{key},", f"  title = {{{bib_text(title)}}},", f"  organization = {{{bib_text(site_name)}}},"]
    if date:
        bib.append(f"  date = {{{date}}},")
    if url:
        bib.append(f"  url = {{{url}}},")
    bib.append("}")
    code = "\n".join(f"        {line}" for line in bib)
    return (
        f'\n\n!!! quote "Cite this page"\n\n    {_data(esc(" ".join(parts)))}\n\n    As a biblatex entry:\n\n{code}\n'
    )


def _entry_facts(store: Store, notes: PageNotes, entry: ChangeEntry) -> str:
    if not entry.facts:
        return "every fact in the ledger at the time"
    links = []
    for fact_id in entry.facts:
        fact = store.facts.get(fact_id)
        if fact is None:  # taken out since; the entry that removed it says why
            links.append(f"`{fact_id}` (removed)")
        else:
            links.append(f"[{_data(esc(fact.label))}]({notes.register_link(fact)})")
    return ", ".join(links)


def changelog(store: Store, notes: PageNotes, entries: Sequence[ChangeEntry]) -> str:
    """The changelog page: newest date first, each entry with what changed, why, and its facts."""
    by_date: dict[str, list[ChangeEntry]] = {}
    for entry in sorted(entries, key=lambda e: e.date, reverse=True):
        by_date.setdefault(entry.date, []).append(entry)
    out = []
    for date, group in by_date.items():
        out.append(f"\n## {_data(esc(format_date(date)))} {{ #changes-{date} }}\n")
        for entry in group:
            out.append(f"- **{entry.kind.capitalize()}**: {_data(esc(entry.change))}\n")
            out.append(f"    Why: {_data(esc(entry.reason))}\n")
            out.append(f"    Facts: {_entry_facts(store, notes, entry)}\n")
    return "\n".join(out)


def edit_base(repo_url: str | None, edit_uri: str | None, docs_dir: str = "docs") -> str | None:
    """The address prefix that opens a file of the repository in the code host's editor, derived
    from MkDocs' `repo_url` and `edit_uri` ("edit/main/docs/" gives ".../edit/main/")."""
    if not repo_url or not edit_uri or not repo_url.startswith("https://"):
        return None
    uri = edit_uri.strip("/") + "/"
    suffix = docs_dir.strip("/") + "/"
    if not uri.endswith(suffix):
        return None
    return repo_url.rstrip("/") + "/" + uri[: -len(suffix)]


def edit_fact_link(base: str | None, fact: Fact) -> str:
    """An "Edit this fact" link to the YAML file that holds the fact; empty without a repository."""
    if base is None:
        return ""
    href = base + quote(fact.path)
    where = f"{fact.path}, line {fact.line}"
    return f'<a class="edit-fact" href="{attr(href)}" title="{attr(where)}">Edit this fact</a>'


def fact_footer(store: Store, fact: Fact, entries: Sequence[ChangeEntry], base: str | None) -> str:
    """The line under a fact's register entry: when it was last checked, and its edit link."""
    parts = []
    checked = fact_checked(store, fact, entries)
    if checked:
        parts.append(_data(esc(f"Last checked against its sources on {format_date(checked)}.")))
    link = edit_fact_link(base, fact)
    if link:
        parts.append(link)
    return f'\n<p class="fact-meta">{" ".join(parts)}</p>\n' if parts else ""
