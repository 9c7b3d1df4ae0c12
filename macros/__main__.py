"""Command line: `python -m macros check|site-check|build|schema|finish|pdf|links`, used by the Makefile and CI.

`build` is `make build`: a strict MkDocs build that replaces `site/` only when it passes.
Every command prints one line per problem and exits 1 when there is any; a data mistake never
produces a traceback.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path

# What `check` needs; the other commands import their own modules (the site checks, the links,
# the printed edition, publishing), so `make check` does not pay for loading them.
from .ledger import Ledger, evidence, load_ledger, schema


def _check(args: argparse.Namespace) -> int:
    # `python -m macros check` is a process of its own that only reads. Once the ledger is read,
    # the cycle collector would walk all of it for nothing (the records hold no reference cycles),
    # and freeing it object by object on the way out is as long: about a tenth of a second each at
    # 10,000 facts. The collector stays off, and the process ends as soon as every line is out,
    # with the ledger still held here (let go any sooner, it would be freed before the end).
    if args.own_process:
        gc.disable()
    ledger = load_ledger(Path(args.data), Path.cwd())
    code = _check_ledger(args, ledger)
    if not args.own_process:
        return code
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _check_ledger(args: argparse.Namespace, ledger: Ledger) -> int:
    store, changes, problems = ledger.store, ledger.changes, ledger.problems
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) in {args.data}/", file=sys.stderr)
        return 1
    counts = f"{len(store.sources)} sources, {len(store.facts)} facts, {len(store.names)} names"
    print(f"{args.data}/: {counts}, {len(changes)} changelog entries: ok")
    print(f"{args.data}/: {evidence.summary(store)}")
    return 0


def _site_check(args: argparse.Namespace) -> int:
    from .finish import checks

    ledger, site = _ledger(Path(args.data)), _site(args.site)
    if ledger is None or site is None:
        return 1
    if _report(checks.check_site(site, ledger.store.name_strings()), site):
        return 1
    print(f"{site}/: every figure sourced, every footnote defined: ok")
    return 0


def _ledger(data: Path) -> Ledger | None:
    """The ledger, or None after printing the data's problems."""
    ledger = load_ledger(data, Path.cwd())
    for problem in ledger.problems:
        print(problem, file=sys.stderr)
    return ledger if ledger.ok else None


def _site(path: str) -> Path | None:
    site = Path(path)
    if not site.is_dir():
        print(f"{site}: no built site here; run the build first", file=sys.stderr)
        return None
    return site


def _report(problems: list[str], site: Path) -> bool:
    """Print a built site's problems, one a line, and their count; True when there were any."""
    for line in problems:
        print(line, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) in {site}/", file=sys.stderr)
    return bool(problems)


def _finish(args: argparse.Namespace) -> int:
    from . import finish

    ledger, site = _ledger(Path(args.data)), _site(args.site)
    if ledger is None or site is None:
        return 1
    if _report(finish.finish(site, Path(args.config), ledger), site):
        return 1
    print(f"{site}/: downloads, feed, link previews, Dataset markup and redirects written; site checks passed")
    return 0


def _pdf(args: argparse.Namespace) -> int:
    from .finish import printbook, siteconf

    ledger, site = _ledger(Path(args.data)), _site(args.site)
    if ledger is None or site is None:
        return 1
    config = Path(args.config)
    try:
        pdf, chapters = printbook.print_pdf(
            site, siteconf.load(config), ledger.store, ledger.changes, config.resolve().parent
        )
    except printbook.PrintError as error:
        print(f"make pdf: {error}", file=sys.stderr)
        return 1
    print(f"{pdf}: {len(chapters)} chapters, {pdf.stat().st_size // 1024} KiB")
    return 0


def _links(args: argparse.Namespace) -> int:
    from .finish import links, siteconf

    site = _site(args.site)
    if site is None:
        return 1
    site_url = siteconf.load(Path(args.config)).url
    if args.external:
        found = links.external_links(site, site_url)
        broken = links.check_external(found)
        lines = [f"{url}: {why} (linked from {', '.join(found[url])})" for url, why in sorted(broken.items())]
        summary = f"{len(found)} outside addresses asked, {len(broken)} not answering"
    else:
        lines = links.check_site_links(site, site_url, args.require)
        summary = f"{site}/: every internal link and anchor resolves"
    for line in lines:
        print(line, file=sys.stderr)
    if args.report:
        with open(args.report, "a", encoding="utf-8") as report:
            report.write(f"### Links\n\n{summary}\n\n" + "".join(f"- {line}\n" for line in lines))
    if lines:
        print(f"{len(lines)} broken link(s) in {site}/", file=sys.stderr)
        return 1
    print(summary)
    return 0


def _schema(args: argparse.Namespace) -> int:
    path = Path(args.output)
    text = schema.json_schema_text()
    if args.check:
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            print(f"{path}: out of date with macros/schema.py; run `make schema`", file=sys.stderr)
            return 1
        return 0
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}")
    return 0


def _build(args: argparse.Namespace) -> int:
    from .adapters import sitebuild  # imports MkDocs: only for this command

    return sitebuild.build(Path.cwd(), args.site_dir, args.engine)


def main(argv: list[str] | None = None, own_process: bool = False) -> int:
    """Run one command. own_process: this process runs nothing else (`python -m macros`), so a
    command may end it as soon as its work is done."""
    parser = argparse.ArgumentParser(prog="python -m macros", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("check", help="validate the data folder")
    p.add_argument("data", nargs="?", default="data")
    p.set_defaults(run=_check)
    p = sub.add_parser("site-check", help="check a built site")
    p.add_argument("site", nargs="?", default="site")
    p.add_argument("--data", default="data")
    p.set_defaults(run=_site_check)
    p = sub.add_parser("build", help="build the site into a folder of its own, then swap it in as site/")
    p.add_argument("--site-dir", default="site")
    p.add_argument("--engine", choices=("mkdocs", "zensical"), default="mkdocs", help="the site generator")
    p.set_defaults(run=_build)
    p = sub.add_parser("schema", help="write (or --check) the JSON Schema of data files")
    p.add_argument("--output", default="data/schema.json")
    p.add_argument("--check", action="store_true")
    p.set_defaults(run=_schema)
    p = sub.add_parser(
        "finish", help="after any engine: downloads, feed, link previews, redirects, then the site checks"
    )
    p.add_argument("site", nargs="?", default="site")
    p.add_argument("--data", default="data")
    p.add_argument("--config", default="mkdocs.yml")
    p.set_defaults(run=_finish)
    p = sub.add_parser("pdf", help="print the briefing to SITE/briefing-book.pdf with headless chromium")
    p.add_argument("site", nargs="?", default="site")
    p.add_argument("--data", default="data")
    p.add_argument("--config", default="mkdocs.yml")
    p.set_defaults(run=_pdf)
    p = sub.add_parser("links", help="check the built site's internal links and anchors (--external: outside ones)")
    p.add_argument("site", nargs="?", default="site")
    p.add_argument("--config", default="mkdocs.yml")
    p.add_argument("--require", action="append", default=[], help="a file the site must have (repeatable)")
    p.add_argument("--external", action="store_true", help="ask every outside address instead (needs the network)")
    p.add_argument("--report", help="also append a Markdown report to this file (a CI job summary)")
    p.set_defaults(run=_links)
    args = parser.parse_args(argv)
    args.own_process = own_process
    code: int = args.run(args)
    return code


if __name__ == "__main__":
    sys.exit(main(own_process=True))
