"""Lighthouse figures for `make bench-lighthouse`: printed and recorded, never asserted.

Builds the real site (or takes a built one), serves it on loopback, and runs Lighthouse (pinned in
package.json) with Debian's chromium on one page of every kind: the overview, each core page, the
contested figures, a fact register page, the charts and the timeline, for a phone (Lighthouse's
default: a mid-range phone on a throttled connection) and for a desktop. Prints the four category
scores, total blocking time, the paint and layout-shift metrics, each page's weight and the size of
the search index as a table, and records the table with the commands that produced it in
bench-results/lighthouse.md. Each page is measured three times and the median run kept (`--runs`):
one run's performance score varies with the machine's load.

The site is served with gzip, as any static host serves it; `--no-gzip` measures it uncompressed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gzip
import http.server
import json
import os
import shlex
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from macros.finish import chromium  # noqa: E402 - needs the project on sys.path

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
PYTHON = ROOT / ".venv" / "bin" / "python"
RESULTS = ROOT / "bench-results" / "lighthouse.md"
# One page of each kind: the overview, the core pages, the contested figures, a register page (the
# longest), the charts and the timeline.
PAGES = [
    "",
    "technology/",
    "industry-impact/",
    "copyright-policy/",
    "risks/",
    "after-launch/",
    "product-changes/",
    "contested/",
    "facts/industry/",
    "charts/",
    "timeline/",
]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
GOALS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
MAX_BLOCKING_MS = 200  # total blocking time, on every page
# The same switches as the browser tests and the printed edition (macros/chromium.py).
CHROME_FLAGS = " ".join(chromium.HEADLESS)
COMPRESSIBLE = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map"}


class _Handler(http.server.SimpleHTTPRequestHandler):
    """A static server that compresses text with gzip when the browser accepts it."""

    use_gzip = True
    cache: dict[Path, bytes] = {}  # noqa: RUF012 - shared by the server's threads, filled once per file

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the theme's redirect to the address with a slash
            path = path / "index.html"
        wants = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (self.use_gzip and wants and path.suffix in COMPRESSIBLE and path.is_file()):
            return super().send_head()
        body = self.cache.get(path)
        if body is None:
            body = self.cache[path] = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return _Body(body)


class _Body:
    """What send_head returns: a file-like body for copyfile()."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, size: int = -1) -> bytes:
        data, self.data = (self.data, b"") if size < 0 else (self.data[:size], self.data[size:])
        return data

    def close(self) -> None:
        pass


@dataclass
class Result:
    page: str
    preset: str
    scores: dict[str, int]
    weight: int  # bytes transferred to load the page
    requests: int
    metrics: dict[str, float]
    performance_runs: tuple[int, ...] = ()  # every run's performance score, when run more than once


def build_site(target: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "BRIEFING_FAIL_ON_MACRO_ERROR": "true"}
    command = [str(PYTHON), "-m", "mkdocs", "build", "--strict", "--site-dir", str(target)]
    print("$ " + shlex.join(command), flush=True)
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)


def lighthouse_command(url: str, preset: str, output: Path) -> list[str]:
    command = [
        str(LIGHTHOUSE.relative_to(ROOT)),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={output}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    if preset == "desktop":
        command.append("--preset=desktop")
    return command


def median_run(base: str, page: str, preset: str, folder: Path, runs: int) -> Result:
    """Lighthouse's own advice: the scores of one run vary, so report the median of several."""
    results = sorted(
        (run_page(base, page, preset, folder / f"run{n}") for n in range(runs)), key=lambda r: r.scores["performance"]
    )
    middle = results[len(results) // 2]
    middle.performance_runs = tuple(r.scores["performance"] for r in results)
    return middle


def run_page(base: str, page: str, preset: str, folder: Path) -> Result:
    folder.mkdir(parents=True, exist_ok=True)
    output = folder / f"{preset}-{page.strip('/').replace('/', '-') or 'home'}.json"
    command = lighthouse_command(base + page, preset, output)
    subprocess.run(command, cwd=ROOT, check=True, env={**os.environ, "CHROME_PATH": _chrome()})
    report = json.loads(output.read_text(encoding="utf-8"))
    audits = report["audits"]
    scores = {c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES}
    metrics = {
        name: float(audits[name]["numericValue"])
        for name in (
            "first-contentful-paint",
            "largest-contentful-paint",
            "total-blocking-time",
            "cumulative-layout-shift",
        )
    }
    requests = len(audits["network-requests"]["details"]["items"])
    return Result(page, preset, scores, int(audits["total-byte-weight"]["numericValue"]), requests, metrics)


def _chrome() -> str:
    return os.environ.get("CHROME_PATH") or os.environ.get("CHROMIUM") or "/usr/bin/chromium"


def _kb(size: float) -> str:
    return f"{size / 1024:,.0f} KB"


def table(results: list[Result]) -> list[str]:
    lines = [
        "| page | device | performance (median, range) | TBT | LCP | CLS | accessibility | best practices | SEO "
        "| FCP | page weight | requests |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        m = r.metrics
        spread = r.performance_runs
        performance = str(r.scores["performance"])
        if len(spread) > 1:
            performance += f" ({min(spread)}–{max(spread)})"
        cells = [
            "/" + r.page,
            r.preset,
            performance,
            f"{m['total-blocking-time']:.0f} ms",
            f"{m['largest-contentful-paint'] / 1000:.1f} s",
            f"{m['cumulative-layout-shift']:.3f}",
            *(str(r.scores[c]) for c in CATEGORIES[1:]),
            f"{m['first-contentful-paint'] / 1000:.1f} s",
            _kb(r.weight),
            str(r.requests),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def versions() -> str:
    package = json.loads((ROOT / "node_modules" / "lighthouse" / "package.json").read_text(encoding="utf-8"))
    chrome = subprocess.run([_chrome(), "--version"], capture_output=True, text=True, check=False).stdout.strip()
    node = subprocess.run(["node", "--version"], capture_output=True, text=True, check=False).stdout.strip()
    return f"Lighthouse {package['version']}, {chrome or 'chromium'}, Node.js {node}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, help="a built site to measure (default: build the real site now)")
    parser.add_argument("--pages", default=",".join(PAGES), help="paths from the site root, comma-separated")
    parser.add_argument("--presets", default="mobile,desktop", help="mobile, desktop or both, comma-separated")
    parser.add_argument("--runs", type=int, default=3, help="runs per page and device; the median run is kept")
    parser.add_argument("--no-gzip", action="store_true", help="serve the files uncompressed")
    parser.add_argument("--record", type=Path, default=RESULTS, help="where to record the results")
    parser.add_argument("--reports", type=Path, help="keep every run's Lighthouse report (JSON) in this folder")
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.exists():
        print("Lighthouse is not installed: run `make node_modules`", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as temp:
        folder = Path(temp)
        site = args.site or folder / "site"
        if args.site is None:
            build_site(site)
        _Handler.use_gzip = not args.no_gzip
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        pages = [p.strip() for p in args.pages.split(",")]
        presets = [p.strip() for p in args.presets.split(",") if p.strip()]
        results = []
        try:
            for preset in presets:
                for page in pages:
                    print(f"lighthouse {preset} /{page} ({args.runs} run{'s' if args.runs > 1 else ''})", flush=True)
                    reports = args.reports or folder
                    results.append(median_run(base, page, preset, reports, max(1, args.runs)))
        finally:
            server.shutdown()
            server.server_close()
        index = site / "search" / "search_index.json"
        raw = index.read_bytes()
        index_line = f"Search index: {_kb(len(raw))} ({_kb(len(gzip.compress(raw, mtime=0)))} with gzip)."

    lines = table(results)
    misses = [
        f"/{r.page} ({r.preset}): {c} {r.scores[c]} < {goal}"
        for r in results
        for c, goal in GOALS.items()
        if r.scores[c] < goal
    ] + [
        f"/{r.page} ({r.preset}): total blocking time {r.metrics['total-blocking-time']:.0f} ms > {MAX_BLOCKING_MS} ms"
        for r in results
        if r.metrics["total-blocking-time"] > MAX_BLOCKING_MS
    ]
    goal_line = (
        f"Goals (performance 95 or more, total blocking time {MAX_BLOCKING_MS} ms at most, 100 accessibility, "
        "best practices and SEO): "
    ) + ("met on every page." if not misses else "missed: " + "; ".join(misses) + ".")
    command = " ".join(
        ["python scripts/lighthouse_bench.py", *(shlex.quote(a) for a in (argv if argv is not None else sys.argv[1:]))]
    )
    example = shlex.join(lighthouse_command("http://127.0.0.1:PORT/PAGE", "mobile", Path("PAGE.json")))
    serving = "uncompressed" if args.no_gzip else "with gzip"
    record = [
        "# Lighthouse figures",
        "",
        f"Measured {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')} with {versions()}; "
        f"the built site served on loopback {serving} by the script.",
        "",
        "Commands:",
        "",
        "```sh",
        "make bench-lighthouse",
        f"CHROME_PATH={_chrome()} {command.strip()}",
        f"# for each page and device: CHROME_PATH={_chrome()} {example}  (desktop adds --preset=desktop)",
        "```",
        "",
        *lines,
        "",
        index_line,
        "",
        goal_line,
        "",
    ]
    print()
    print("\n".join([*lines, "", index_line, goal_line]))
    args.record.parent.mkdir(parents=True, exist_ok=True)
    args.record.write_text("\n".join(record), encoding="utf-8")
    print(f"\nrecorded in {args.record.relative_to(ROOT) if args.record.is_relative_to(ROOT) else args.record}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
