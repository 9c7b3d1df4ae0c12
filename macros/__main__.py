"""Command line: `python -m macros check|site-check|schema`, used by the Makefile and CI.

`build` is `make build`: a strict MkDocs build that replaces `site/` only when it passes.
Every command prints one line per problem and exits 1 when there is any; a data mistake never
produces a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import checks, contrib, schema, terms, validate


def _check(args: argparse.Namespace) -> int:
    data = Path(args.data)
    store, problems = validate.load_store(data, Path.cwd())
    changes, change_problems = contrib.load_changelog(data / validate.CHANGELOG, Path.cwd(), store)
    problems += change_problems
    problems += terms.check_terms(data / terms.NAME, f"{args.data}/{terms.NAME}")
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) in {args.data}/", file=sys.stderr)
        return 1
    counts = f"{len(store.sources)} sources, {len(store.facts)} facts, {len(store.names)} names"
    print(f"{args.data}/: {counts}, {len(changes)} changelog entries: ok")
    return 0


def _site_check(args: argparse.Namespace) -> int:
    store, problems = validate.load_store(Path(args.data), Path.cwd())
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1
    site = Path(args.site)
    if not site.is_dir():
        print(f"{site}: no built site here; run the build first", file=sys.stderr)
        return 1
    found = checks.check_site(site, store.name_strings())
    for line in found:
        print(line, file=sys.stderr)
    if found:
        print(f"{len(found)} problem(s) in {site}/", file=sys.stderr)
        return 1
    print(f"{site}/: every figure sourced, every footnote defined: ok")
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
    from . import publish  # imports MkDocs: only for this command

    return publish.build(Path.cwd(), args.site_dir)


def main(argv: list[str] | None = None) -> int:
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
    p.set_defaults(run=_build)
    p = sub.add_parser("schema", help="write (or --check) the JSON Schema of data files")
    p.add_argument("--output", default="data/schema.json")
    p.add_argument("--check", action="store_true")
    p.set_defaults(run=_schema)
    args = parser.parse_args(argv)
    code: int = args.run(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
