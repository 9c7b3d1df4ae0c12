"""The Atom feed of corrections and updates, made from `data/changelog.yaml` (never from git).

One entry per changelog entry: what changed, why, which facts (linked to their register entries)
and the day. An entry's id is a tag URI made of its date, its kind and its facts, so it stays the
same when entries are added above it, when the site moves to another address, or when a typo in
its text is fixed; two entries that agree on all three are told apart by their order, oldest first.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from ..core.words import say
from ..ledger.changelog import ChangeEntry
from ..ledger.model import Store
from .siteconf import SiteConf

FEED = "feed.xml"
# The tag URI's authority: fixed, so ids do not change when SITE_URL does.
TAG = "tag:sora2-briefing.github.io,2026"


def rfc3339(date: str) -> str:
    """A changelog day as an RFC 3339 timestamp (midnight UTC)."""
    return f"{date}T00:00:00Z"


def entry_ids(changes: Sequence[ChangeEntry]) -> list[str]:
    """Stable ids, in the order of `changes`."""
    seen: dict[str, int] = {}
    ids: dict[int, str] = {}
    # Oldest first, so a new entry of the same day, kind and facts takes the next number.
    order = sorted(range(len(changes)), key=lambda i: (changes[i].date, -i))
    for i in order:
        c = changes[i]
        digest = hashlib.sha256("\n".join([c.date, c.kind, *sorted(c.facts)]).encode()).hexdigest()[:12]
        base = f"{TAG}:changelog/{c.date}/{c.kind}/{digest}"
        seen[base] = seen.get(base, 0) + 1
        ids[i] = base if seen[base] == 1 else f"{base}/{seen[base]}"
    return [ids[i] for i in range(len(changes))]


def _register_url(conf: SiteConf, store: Store, site_dir: Path, fact_id: str) -> str:
    fact = store.facts[fact_id]
    topic_page = site_dir / "facts" / fact.topic / "index.html"
    return conf.url + (f"facts/{fact.topic}/" if topic_page.is_file() else "facts/") + "#" + fact_id


def _label(store: Store, fact_id: str, lang: str) -> str:
    fact = store.facts[fact_id]
    return (fact.label_zh or fact.label) if lang == "zh" else fact.label


def _texts(c: ChangeEntry, lang: str) -> tuple[str, str]:
    """What changed and why, in the feed's language (the English where the Chinese is missing)."""
    if lang == "zh":
        return c.change_zh or c.change, c.reason_zh or c.reason
    return c.change, c.reason


def _content(c: ChangeEntry, conf: SiteConf, store: Store, site_dir: Path) -> str:
    lang = conf.language
    if c.facts:
        items = []
        for fact_id in c.facts:
            if fact_id in store.facts:
                url = _register_url(conf, store, site_dir, fact_id)
                label = escape(_label(store, fact_id, lang))
                items.append(f'<li><a href="{escape(url)}">{label}</a> ({fact_id})</li>')
            else:
                items.append(f"<li>{escape(fact_id)}{say(lang, ' (removed)')}</li>")
        facts = f"<p>{say(lang, 'Facts: ')}</p><ul>" + "".join(items) + "</ul>"
    else:
        facts = f"<p>{say(lang, 'Facts: ')}{say(lang, 'every fact in the ledger at the time')}.</p>"
    change, why = _texts(c, lang)
    return f"<p>{escape(change)}</p><p>{say(lang, 'Why: ')}{escape(why)}</p>{facts}"


def _title(c: ChangeEntry, store: Store, lang: str = "en") -> str:
    labels = [_label(store, i, lang) if i in store.facts else i for i in c.facts]
    if lang == "zh":
        about = "全部账本" if not labels else "；".join(labels[:3]) + ("等" if len(labels) > 3 else "")
        return f"{say(lang, c.kind)}：{about}"
    about = "the whole ledger" if not labels else "; ".join(labels[:3]) + (" and more" if len(labels) > 3 else "")
    return f"{c.kind.capitalize()}: {about}"


FEED_SUBTITLE = "Every change to the figures of the briefing book: what changed, why, and which facts."


def atom(conf: SiteConf, store: Store, changes: Sequence[ChangeEntry], site_dir: Path) -> str:
    ids = entry_ids(changes)
    feed_id = f"{TAG}:changelog"
    if conf.language != "en":  # the other edition's feed is a feed of its own, its entries too
        ids = [i.replace(feed_id, f"{TAG}:{conf.language}/changelog", 1) for i in ids]
        feed_id = f"{TAG}:{conf.language}/changelog"
    order = sorted(range(len(changes)), key=lambda i: (changes[i].date, -i), reverse=True)
    updated = rfc3339(max(c.date for c in changes)) if changes else "1970-01-01T00:00:00Z"
    team = say(conf.language, "{name} team", name=conf.name)
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{conf.language}">',
        f"  <title>{escape(say(conf.language, '{name}: corrections and updates', name=conf.name))}</title>",
        f"  <subtitle>{escape(say(conf.language, FEED_SUBTITLE))}</subtitle>",
        f"  <id>{feed_id}</id>",
        f'  <link rel="self" type="application/atom+xml" href={quoteattr(conf.url + FEED)}/>',
        f'  <link rel="alternate" type="text/html" href={quoteattr(conf.url + "changelog/")}/>',
        f"  <updated>{updated}</updated>",
        f"  <author><name>{escape(team)}</name><uri>{escape(conf.url)}</uri></author>",
    ]
    for i in order:
        c = changes[i]
        link = conf.url + f"changelog/#changes-{c.date}"
        out += [
            "  <entry>",
            f"    <id>{ids[i]}</id>",
            f"    <title>{escape(_title(c, store, conf.language))}</title>",
            f'    <link rel="alternate" type="text/html" href={quoteattr(link)}/>',
            f"    <published>{rfc3339(c.date)}</published>",
            f"    <updated>{rfc3339(c.date)}</updated>",
            f"    <category term={quoteattr(c.kind)}/>",
            f"    <summary>{escape(_texts(c, conf.language)[0])}</summary>",
            f'    <content type="html">{escape(_content(c, conf, store, site_dir))}</content>',
            "  </entry>",
        ]
    out.append("</feed>")
    return "\n".join(out) + "\n"


def write_feed(site_dir: Path, conf: SiteConf, store: Store, changes: Sequence[ChangeEntry]) -> Path:
    path = site_dir / FEED
    path.write_text(atom(conf, store, changes, site_dir), encoding="utf-8")
    return path
