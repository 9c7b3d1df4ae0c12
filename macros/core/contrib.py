"""What contributors and citing readers get: the changelog of facts, "last checked" lines taken
from the data, "cite this page" text and "edit this fact" links.

Plain functions from records to Markdown, like render.py; the adapters register them. The
changelog itself is read and checked in ledger/changelog.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from ..ledger.changelog import ChangeEntry
from ..ledger.model import Fact, Store
from .markup import attr, bib_text, data, esc
from .render import PageNotes, RenderError, format_date, label
from .words import say


def fact_ids_in(markdown: str) -> list[str]:
    """The facts a rendered page shows, in order of first use (from the figures' data-fact marks)."""
    return list(dict.fromkeys(re.findall(r'data-fact="([^"]+)"', markdown)))


def fact_checked(store: Store, fact: Fact, entries: Sequence[ChangeEntry] = ()) -> str | None:
    """When the fact was last compared with its sources: the latest access date of a source behind
    a claim that may be shown, or the latest changelog entry about it, whichever is later."""
    dates = [store.sources[s].accessed for c in fact.live_claims for s in (c.source, c.via) if s in store.sources]
    by_fact, about_all = _entry_dates(entries)
    dates += by_fact.get(fact.id, about_all)
    return max(dates) if dates else None


# The changelog's dates, worked out once for the entries last asked about: a build asks about
# every fact of every page (a register page about each fact it lists), each time with the
# ledger's one tuple of entries.
_kept_dates: tuple[tuple[ChangeEntry, ...], dict[str, list[str]], list[str]] | None = None


def _entry_dates(entries: Sequence[ChangeEntry]) -> tuple[dict[str, list[str]], list[str]]:
    """The latest date of an entry about each fact the entries name, and of the entries naming
    none (about every fact); each as a list of none or one date. Entries of kind `removed` do not
    count: nobody compared anything with its sources."""
    global _kept_dates
    if _kept_dates is not None and _kept_dates[0] is entries:
        return _kept_dates[1], _kept_dates[2]
    counted = [e for e in entries if e.kind != "removed"]
    about_all = [max(e.date for e in counted if not e.facts)] if any(not e.facts for e in counted) else []
    by_fact: dict[str, list[str]] = {}
    for entry in counted:
        for fact_id in entry.facts:
            by_fact[fact_id] = [max([entry.date, *by_fact.get(fact_id, about_all)])]
    if isinstance(entries, tuple):  # kept only when it cannot change (and is held, so its id is not reused)
        _kept_dates = (entries, by_fact, about_all)
    return by_fact, about_all


def checked_range(store: Store, fact_ids: Iterable[str], entries: Sequence[ChangeEntry] = ()) -> tuple[str, str] | None:
    """The oldest and the newest "last checked" date among the given facts (unknown ids are skipped)."""
    dates = [fact_checked(store, store.facts[i], entries) for i in fact_ids if i in store.facts]
    known = [d for d in dates if d is not None]
    return (min(known), max(known)) if known else None


def last_checked(store: Store, fact_ids: Iterable[str], entries: Sequence[ChangeEntry] = ()) -> str:
    """A line for the foot of a page: when its figures were last checked against their sources."""
    return checked_line(checked_range(store, fact_ids, entries))


def checked_line(span: tuple[str, str] | None, lang: str = "en") -> str:
    """The "last checked" line for a range from `checked_range`; nothing when no figure is shown."""
    if span is None:
        return ""
    oldest, newest = (format_date(d, lang) for d in span)
    if oldest == newest:
        text = say(lang, "The figures on this page were last checked against their sources on {date}.", date=newest)
    else:
        words = "The figures on this page were last checked against their sources between {oldest} and {newest}."
        text = say(lang, words, oldest=oldest, newest=newest)
    return f'\n\n<p class="last-checked">{data(esc(text))}</p>\n'


def cite_page(site_name: str, title: str, url: str | None, date: str | None, lang: str = "en") -> str:
    """A "cite this page" box: a citation line and a biblatex entry. `date` is the newest check
    date of the page's figures, never the build date, so two builds stay identical."""
    parts = [f"{site_name}.", f"“{title}”."] if lang == "en" else [f"{site_name}。", f"《{title}》。"]
    if date:
        parts.append(say(lang, "Figures last checked {date}.", date=format_date(date, lang)))
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
    joined = (" " if lang == "en" else "").join(parts)
    head = f'\n\n!!! quote "{say(lang, "Cite this page")}"\n\n    {data(esc(joined))}'
    return head + f"\n\n    {say(lang, 'As a biblatex entry:')}\n\n{code}\n"


def _entry_facts(store: Store, notes: PageNotes, entry: ChangeEntry) -> str:
    if not entry.facts:
        return notes.say("every fact in the ledger at the time")
    links = []
    for fact_id in entry.facts:
        fact = store.facts.get(fact_id)
        if fact is None:  # taken out since; the entry that removed it says why
            links.append(f"`{fact_id}`{notes.say(' (removed)')}")
        else:
            links.append(f"[{data(esc(label(fact, notes.lang)))}]({notes.register_link(fact)})")
    return ("、" if notes.lang == "zh" else ", ").join(links)


def changelog(store: Store, notes: PageNotes, entries: Sequence[ChangeEntry]) -> str:
    """The changelog page: newest date first, each entry with what changed, why, and its facts."""
    by_date: dict[str, list[ChangeEntry]] = {}
    for entry in sorted(entries, key=lambda e: e.date, reverse=True):
        by_date.setdefault(entry.date, []).append(entry)
    out = []
    lang = notes.lang
    for date, group in by_date.items():
        out.append(f"\n## {data(esc(format_date(date, lang)))} {{ #changes-{date} }}\n")
        for entry in group:
            change, why = entry.change, entry.reason
            if lang == "zh":
                if entry.change_zh is None or entry.reason_zh is None:
                    where = f"{entry.path}:{entry.line}"
                    raise RenderError(
                        f"{where}: changelog entry has no change_zh or reason_zh, which the Chinese edition shows"
                    )
                change, why = entry.change_zh, entry.reason_zh
            kind = say(lang, entry.kind) if lang == "zh" else entry.kind.capitalize()
            colon = "：" if lang == "zh" else ": "
            out.append(f"- **{kind}**{colon}{data(esc(change))}\n")
            out.append(f"    {say(lang, 'Why: ')}{data(esc(why))}\n")
            out.append(f"    {say(lang, 'Facts: ')}{_entry_facts(store, notes, entry)}\n")
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


def edit_fact_link(base: str | None, fact: Fact, lang: str = "en") -> str:
    """An "Edit this fact" link to the YAML file that holds the fact; empty without a repository."""
    if base is None:
        return ""
    href = base + quote(fact.path)
    where = f"{fact.path}, line {fact.line}"
    return f'<a class="edit-fact" href="{attr(href)}" title="{attr(where)}">{say(lang, "Edit this fact")}</a>'


def fact_footer(store: Store, fact: Fact, entries: Sequence[ChangeEntry], base: str | None, lang: str = "en") -> str:
    """The line under a fact's register entry: when it was last checked, and its edit link."""
    parts = []
    checked = fact_checked(store, fact, entries)
    if checked:
        parts.append(
            data(esc(say(lang, "Last checked against its sources on {date}.", date=format_date(checked, lang))))
        )
    link = edit_fact_link(base, fact, lang)
    if link:
        parts.append(link)
    return f'\n<p class="fact-meta">{" ".join(parts)}</p>\n' if parts else ""
