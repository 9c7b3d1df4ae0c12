"""Speed and memory figures for `make bench`: printed, never asserted.

First the real site: a copy of the project built cold with `mkdocs build --strict` (what CI runs)
against plain Material building the same pages, their Markdown captured after the macros ran, with
no macros plugin and no hooks; median of several runs each. Then synthetic ledgers of 100, 1,000
and 10,000 facts, shaped like the real one (sources, claims and fields per fact) and used over 50
pages, become two projects in a temporary folder: the project as it is (YAML data, pages calling
macros), and a plain Material site holding the same pages with every figure and footnote typed in
(captured from an untimed build), which builds to the same files. Each size times validation
(`python -m macros check`: median of five runs, then one more for its memory), the commands of
`make build` and the plain build, each in a child process: wall time and peak memory. Then a
copy of the real project runs under `make serve` (the command it runs, as `make -n serve` prints
it), and a one-value YAML edit is timed until the page served shows it.

    make bench                                  # everything, as BENCHMARKS.md reports it
    .venv/bin/python scripts/bench.py --sizes 100,1000 --no-serve
    .venv/bin/python scripts/bench.py --real-only   # the real site against plain Material alone
"""

from __future__ import annotations

import argparse
import filecmp
import http.client
import itertools
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from macros import paths
from macros.core import markup
from macros.ledger import load_ledger, units

ROOT = paths.ROOT
sys.path.insert(0, str(ROOT))  # for the fixture-site helpers of tests/

from tests.sites import make_site  # noqa: E402 - needs the project on sys.path

BIN = ROOT / ".venv" / "bin"
PYTHON = BIN / "python" if (BIN / "python").exists() else Path(sys.executable)
PAGES = 50
TOPICS = ("technology", "industry", "copyright", "risks")
PREFIX = {"technology": "tech", "industry": "industry", "copyright": "copyright", "risks": "risks"}
KINDS = ("primary", "news", "analysis", "blog", "research")
TIERS = ("primary", "established", "secondary", "weak")
# Units whose figures change over time: every live claim says when it held (macros/evidence.py).
DATED_UNITS = ("downloads", "users", "USD per month", "videos", "rank")
UNITS = ("seconds", "downloads", "users", "percent", "USD per month", "videos", "count", "rank")
WORDS = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda omicron sigma tau upsilon omega".split()
# Builds are timed cold, as a fresh checkout builds in CI: nothing is kept between them (memo.py).
# Python's own cache of compiled modules is not a result kept between builds: a checkout compiles
# the package once, on its first command, and every later command reads `__pycache__`. An
# environment that forbids writing it (PYTHONDONTWRITEBYTECODE) would time the compiler on every
# run, so the bench lets it be written and compiles the package before timing (`compile_package`).
ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
ENV |= {"NO_MKDOCS_2_WARNING": "1", "BRIEFING_FAIL_ON_MACRO_ERROR": "true", "BRIEFING_CACHE": ""}


# --- synthetic data -------------------------------------------------------------------------------


def _name(i: int) -> str:
    """Digit-free words for ids and labels, so the figure check has nothing to say about them."""
    out = []
    while True:
        out.append(WORDS[i % len(WORDS)])
        i //= len(WORDS)
        if i == 0:
            return "-".join(out)


def _words(i: int, count: int) -> str:
    """Digit-free filler text, different for each i."""
    return " ".join(WORDS[(i * 7 + k * 3) % len(WORDS)] for k in range(count))


def _source_yaml(i: int) -> str:
    """A source with the optional fields in the proportions the real ledger has them."""
    chinese = i % 3 == 1
    name = _name(i)
    lines = [
        f"  - id: src-{name}",
        f"    title: {'关于视频模型的报道' if chinese else 'Report on video models'} {name}",
        f"    title_en: Report on video models {name}",
        f"    publisher: {'定焦One' if chinese else 'Example Outlet'}",
        *(["    publisher_en: Dingjiao One"] if chinese and i % 2 else []),
        *([f"    author: Author {_words(i, 2)}"] if i % 5 == 0 else []),
        *(["    published: 2025-10-01"] if i % 6 else []),
        "    accessed: 2026-11-21",
        *([f"    url: https://example.org/reports/{name}"] if i % 3 else []),
        *([f"    archive_url: https://archive.example.org/{name}"] if i % 50 == 0 else []),
        f"    language: {'zh-Hans' if chinese else 'en'}",
        f"    kind: {KINDS[i % len(KINDS)]}",
        f"    tier: {TIERS[i % len(TIERS)]}",
        *([f"    note: {_words(i, 16)}"] if i % 4 else []),
    ]
    return "\n".join(lines) + "\n"


def _claim(i: int, k: int, value: str, source: str, extra: list[str], dated: bool = False) -> list[str]:
    """One claim, with a locator, a date and a quotation as often as real claims have them."""
    lines = [f"      - value: {value}", f"        source: {source}"]
    if (i + k) % 5 < 3:
        lines.append(f"        locator: Section {_words(i + k, 3)}")
    if dated or (i + k) % 10 < 3:
        lines.append("        as_of: 2025-10-15")
    if (i + k) % 5 < 2:
        lines += [
            "        quote: 这是来源关于这个数字的原话",
            "        quote_en: These are the source's own words on it",
            "        wording: reported",
        ]
    return lines + extra


def _fact_yaml(i: int, sources: int) -> str:
    """Numbers, texts and dates in the real ledger's mix, each in one of five patterns: confirmed,
    contested, corrected, single-source, and sourced through another document."""
    topic = TOPICS[i % len(TOPICS)]
    kind = "number" if i % 20 < 9 else "text" if i % 20 < 17 else "date"
    src = [f"src-{_name((i + k) % sources)}" for k in range(3)]
    number = 10 + (i * 37) % 990
    value = {"number": str(number), "text": f'"The model {_words(i, 6)}"', "date": "2025-10-15"}[kind]
    other = {"number": str(number + 5), "text": f'"The model {_words(i + 1, 6)}"', "date": "2025-10-16"}[kind]
    lines = [
        f"  - id: {PREFIX[topic]}.figure-{_name(i)}",
        f"    label: Synthetic figure {_name(i)} on {_words(i, 5)}",
        f"    topic: {topic}",
        *([f"    type: {kind}"] if kind != "number" else [f"    unit: {UNITS[i % len(UNITS)]}"]),
        *([f"    note: {_words(i, 14)}"] if i % 6 == 0 else []),
        "    claims:",
    ]
    dated = kind == "number" and UNITS[i % len(UNITS)] in DATED_UNITS
    pattern = i % 5
    reason = f"        rank_reason: The later official figure, {_words(i, 8)}"
    if pattern == 0:
        lines += _claim(i, 0, value, src[0], [], dated)
    elif pattern == 1:
        lines += _claim(i, 0, value, src[0], [], dated) + _claim(i, 1, other, src[1], [], dated)
    elif pattern == 2:
        lines += _claim(i, 0, value, src[0], ["        rank: preferred", reason], dated)
        lines += _claim(i, 1, other, src[1], ["        rank: deprecated", "        verdict: superseded", reason], dated)
    elif pattern == 3:
        if kind == "number":
            value = f"{{min: {number}, max: {number * 2}}}"
        lines += _claim(i, 0, value, src[0], ["        qualifiers: {tier: Pro, surface: web}"], dated)
    else:
        lines += _claim(i, 0, value, src[0], [f"        via: {src[2]}", "        rank: preferred", reason], dated)
        lines += _claim(i, 1, value, src[1], [], dated)
    return "\n".join(lines) + "\n"


def _page(number: int, fact_ids: list[str]) -> str:
    title = f"Synthetic page {_name(number)}"
    out = [f"# {title}", ""]
    for n, fact_id in enumerate(fact_ids):
        out.append(f'The figure called {_name(n)} stands at {{{{ fact("{fact_id}") }}}} in this account.')
        if n % 8 == 7:
            out.append("")
    return "\n".join(out) + "\n"


EVIDENCE_PAGES = {
    "docs/index.md": "# Synthetic briefing\n\nA ledger generated for measuring the build.\n",
    "docs/facts.md": "# Fact register\n\n{{ register_contents() }}\n",
    # One register page per topic, as on the real site.
    **{
        f"docs/facts/{topic}.md": f"# Fact register: {topic}\n\n{{{{ fact_register('{topic}') }}}}\n"
        for topic in TOPICS
    },
    "docs/contested.md": "# Contested figures\n\n{{ contested_table() }}\n",
    "docs/sources.md": "# Sources\n\n{{ source_list() }}\n",
}


def synthetic_files(facts: int) -> dict[str, str]:
    """The data and pages of a synthetic project with `facts` facts over 50 pages, shaped like the
    real ledger: as many sources per fact, claims per fact and fields per claim."""
    sources = max(10, facts * 44 // 100)
    files = {"data/sources.yaml": "sources:\n" + "".join(_source_yaml(i) for i in range(sources))}
    per_file = max(1, facts // 10)
    for start in range(0, facts, per_file):
        chunk = range(start, min(facts, start + per_file))
        files[f"data/facts/part-{_name(start // per_file)}.yaml"] = "facts:\n" + "".join(
            _fact_yaml(i, sources) for i in chunk
        )
    ids = [f"{PREFIX[TOPICS[i % len(TOPICS)]]}.figure-{_name(i)}" for i in range(facts)]
    for page in range(PAGES):
        files[f"docs/page-{_name(page)}.md"] = _page(page, ids[page::PAGES])
    files.update(EVIDENCE_PAGES)
    return files


CAPTURE_HOOK = """\
from pathlib import Path

from macros.adapters.mkdocs import STATE

OUT = Path(__file__).resolve().parent / "rendered"


def on_page_markdown(markdown, page, config, files):
    # With the foot the Markdown step is about to add (last checked, cite box, footnotes).
    run = STATE.run
    target = OUT / page.file.src_path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(run.finish(markdown) if run is not None else markdown, encoding="utf-8")
    return markdown
"""


def plain_files(project: Path, folder: Path) -> dict[str, str]:
    """The pages as the macros leave them, for a plain Material site to hold typed in.

    One untimed build of the project runs with a hook after the macros plugin that saves each
    page's Markdown; the downloads it wrote become static files. MkDocs turns both projects into
    the same site, so the plain build is the cost of the site without the fact pipeline.
    """
    (folder / "capture.py").write_text(CAPTURE_HOOK, encoding="utf-8")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    # The capture hook runs last, after the macros and the project's own hooks: a second `hooks:`
    # key would replace the project's list rather than add to it.
    hooks = re.search(r"\nhooks:\n(?:  .*\n)+", config)
    capture = f"  - {folder / 'capture.py'}\n"
    if hooks:
        config = config[: hooks.end()] + capture + config[hooks.end() :]
    else:
        config += "\nhooks:\n" + capture
    (project / "mkdocs-capture.yml").write_text(config, encoding="utf-8")
    site = folder / "captured-site"
    command = [str(BIN / "mkdocs"), "build", "--strict", "-f", "mkdocs-capture.yml", "--site-dir", str(site)]
    run(command, project, folder / "capture.log")
    (project / "mkdocs-capture.yml").unlink()
    rendered = folder / "rendered"
    out = {f"docs/{p.relative_to(rendered).as_posix()}": p.read_text(encoding="utf-8") for p in rendered.rglob("*.md")}
    for path in (site / "data").rglob("*"):
        if path.is_file():
            out[f"docs/data/{path.relative_to(site / 'data').as_posix()}"] = path.read_text(encoding="utf-8")
    shutil.rmtree(site)
    return out


def write_project(root: Path, files: dict[str, str], plain: bool) -> Path:
    """A project folder like the fixture sites: the real configuration, macros and theme linked in."""
    make_site(root, files)
    if plain:
        make_plain(root)
        (root / "macros").unlink()
    return root


def make_plain(root: Path) -> None:
    """The project's configuration without the macros plugin, its hooks and its watched folders."""
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"\n  - macros:\n(?:      .*\n|\s*#.*\n)+", "\n", config)
    config = re.sub(r"\nwatch:\n(?:  - .*\n)+", "\n", config)
    config = re.sub(r"\nhooks:\n(?:  .*\n)+", "\n", config)
    config = re.sub(r"\n  # The end of every page[^\n]*\n  - macros\.core\.mdstep\n", "\n", config)
    assert not re.search(r"^\s*- macros\b|module_name|render_cache|^hooks:", config, re.M), (
        "the plain site still has macros"
    )
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")


# --- measuring -----------------------------------------------------------------------------------


@dataclass
class Run:
    seconds: float
    peak_mb: float


def _descendants(pid: int) -> list[int]:
    """A process and every process under it, now (Linux's /proc)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        todo.extend(int(child) for child in children)
    return found


def _resident_kb(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
    return int(match.group(1)) if match else 0


def run(command: list[str], cwd: Path, log: Path, sample: bool = True) -> Run:
    """Run one child process; its wall time and its peak resident memory: the larger of the peak of
    its largest process (os.wait4, which covers the processes it waited for) and the largest sum of
    its processes' resident memory at one moment, sampled every 10 ms (a build works beside a
    second process, sidecar.py, whose memory counts as much as its own). `sample=False` waits
    without sampling: the sampling reads /proc every 10 ms, and for a command of half a second that
    keeps both CPUs busy (validation) it takes CPU time from the command itself; the peak is then
    that of its largest process alone."""
    with log.open("w", encoding="utf-8") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(command, cwd=cwd, env=ENV, stdout=out, stderr=subprocess.STDOUT)
        together = 0
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG if sample else 0)
            if pid:
                break
            together = max(together, sum(_resident_kb(p) for p in _descendants(proc.pid)))
            time.sleep(0.01)
        seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed in {cwd}; see {log}:\n{log.read_text()[-3000:]}")
    return Run(seconds, max(usage.ru_maxrss, together) / 1024)  # Linux reports kilobytes


VALIDATION_RUNS = 5  # validation takes half a second at most: its median of five at every size


def best_of(runs: list[Run]) -> Run:
    """The median time, and the largest peak memory."""
    return Run(statistics.median(r.seconds for r in runs), max(r.peak_mb for r in runs))


@dataclass
class Size:
    facts: int
    validate: Run  # `python -m macros check data`, as `make check` runs it
    validate_in_process: float  # load_ledger alone, without starting Python
    full: Run  # every command of `make build`, one after the other
    plain: Run  # `mkdocs build --strict` of the plain project
    same_output: str


def make_recipe(project: Path) -> list[str]:
    """The commands `make build` runs, as make itself prints them."""
    for name in ("Makefile", ".venv", "requirements.txt"):
        (project / name).symlink_to(ROOT / name)
    listing = subprocess.run(["make", "-s", "-n", "build"], cwd=project, env=ENV, capture_output=True, text=True)
    if listing.returncode != 0 or not listing.stdout.strip():
        raise SystemExit(f"make -n build failed in {project}: {listing.stderr}")
    return listing.stdout.strip().splitlines()


def run_recipe(recipe: list[str], project: Path, folder: Path) -> Run:
    steps = [run(["bash", "-c", line], project, folder / f"build-step-{n}.log") for n, line in enumerate(recipe)]
    return Run(sum(s.seconds for s in steps), max(s.peak_mb for s in steps))


def measure_size(facts: int, folder: Path, repeat: int) -> Size:
    files = synthetic_files(facts)
    project = write_project(folder / "macros-site", files, plain=False)
    plain = write_project(folder / "plain-site", plain_files(project, folder), plain=True)
    recipe = make_recipe(project)
    checks, fulls, plains, in_process = [], [], [], []
    for n in range(repeat):
        check = [str(PYTHON), "-m", "macros", "check", "data"]
        # Timed without the memory sampler; one more run, sampled, gives the peak of both processes.
        timed = [run(check, project, folder / "check.log", sample=False) for _ in range(VALIDATION_RUNS)]
        sampled = run(check, project, folder / "check.log")
        checks.append(Run(statistics.median(r.seconds for r in timed), sampled.peak_mb))
        start = time.perf_counter()
        load_ledger(project / "data", project)
        in_process.append(time.perf_counter() - start)
        fulls.append(run_recipe(recipe, project, folder))
        shutil.rmtree(plain / "site", ignore_errors=True)
        plains.append(
            run([str(BIN / "mkdocs"), "build", "--strict", "--site-dir", "site"], plain, folder / "plain.log")
        )
        print(
            f"  {facts:>6,} facts, run {n + 1} of {repeat}: make build {fulls[-1].seconds:.2f} s,"
            f" plain build {plains[-1].seconds:.2f} s",
            flush=True,
        )
    return Size(
        facts,
        best_of(checks),
        statistics.median(in_process),
        best_of(fulls),
        best_of(plains),
        compare_sites(project / "site", plain / "site"),
    )


def compare_sites(one: Path, two: Path) -> str:
    """Whether both builds wrote the same files with the same bytes (the plain build is like for like)."""
    names = {p.relative_to(one).as_posix() for p in one.rglob("*") if p.is_file()}
    others = {p.relative_to(two).as_posix() for p in two.rglob("*") if p.is_file()}
    if others - names:
        return f"no: {len(others - names)} files only in the plain build, e.g. {sorted(others - names)[0]}"
    # After the engine, `python -m macros finish` writes the feed and the link-preview image, and
    # puts the tags that announce them in each page's head, and cuts the Chinese text of the search
    # index into words: plain Material does none of this. The pages are compared without those
    # tags, the search index as data without the cuts.
    headed, differing, segmented = 0, [], False
    for name in sorted(names & others):
        if filecmp.cmp(one / name, two / name, shallow=False):
            continue
        if _FINISH_HEAD.sub(b"", (one / name).read_bytes()) == (two / name).read_bytes():
            headed += 1
        elif name.endswith("search_index.json") and _unsegmented(one / name) == _unsegmented(two / name):
            segmented = True
        else:
            differing.append(name)
    if differing:
        return f"no: {len(differing)} files differ, e.g. {differing[0]}"
    extra = sorted(names - others)
    if not headed and not extra and not segmented:
        return "yes"
    cut = ", the search index's word cuts" if segmented else ""
    return f"yes, but for the finish step's head tags in {headed} pages{cut} and its files {', '.join(extra) or 'none'}"


def _unsegmented(index: Path) -> Any:
    """A search index as data, without the zero-width spaces that cut Chinese text into words."""

    def uncut(value: Any) -> Any:
        if isinstance(value, str):
            return value.replace("\u200b", "")
        if isinstance(value, list):
            return [uncut(item) for item in value]
        if isinstance(value, dict):
            return {key: uncut(item) for key, item in value.items()}
        return value

    return uncut(json.loads(index.read_text(encoding="utf-8")))


_FINISH_HEAD = re.compile(rb"<!-- briefing:head -->.*?<!-- /briefing:head -->\n", re.S)


# --- the real site: its cold build against plain Material on the same pages ----------------------


@dataclass
class Real:
    full: Run  # `mkdocs build --strict` of a copy of the real project (what CI runs), cold
    plain: Run  # `mkdocs build --strict` of the same pages, captured after the macros ran
    runs: int


def measure_real(folder: Path, repeat: int) -> Real:
    """A copy of the real project and a plain Material copy of it: the same configuration and
    assets, each page's Markdown as the macros left it (plain_files), no macros plugin, no hooks.
    Both are built cold with `mkdocs build --strict`, by turns, `repeat` times; medians kept."""
    project = copy_real_project(folder / "real")
    captured = plain_files(project, folder)
    plain = copy_real_project(folder / "plain")
    for name, text in captured.items():
        (plain / name).parent.mkdir(parents=True, exist_ok=True)
        (plain / name).write_text(text, encoding="utf-8")
    make_plain(plain)
    shutil.rmtree(plain / "macros")
    command = [str(BIN / "mkdocs"), "build", "--strict", "--site-dir", "site"]
    fulls, plains = [], []
    for n in range(repeat):
        for root in (project, plain):
            shutil.rmtree(root / "site", ignore_errors=True)
            shutil.rmtree(root / ".cache", ignore_errors=True)
        fulls.append(run(command, project, folder / "real-full.log"))
        plains.append(run(command, plain, folder / "real-plain.log"))
        print(
            f"  real site, run {n + 1} of {repeat}: full {fulls[-1].seconds:.2f} s, plain {plains[-1].seconds:.2f} s",
            flush=True,
        )
    return Real(best_of(fulls), best_of(plains), repeat)


def report_real(real: Real) -> None:
    ratio = real.full.seconds / real.plain.seconds
    print()
    print(
        f"real site: full {real.full.seconds:.2f} s, plain {real.plain.seconds:.2f} s, ratio {ratio:.2f}"
        f" (cold `mkdocs build --strict`, median of {real.runs}; peak MB {real.full.peak_mb:.0f} / "
        f"{real.plain.peak_mb:.0f}; goal at most 1.3)"
    )


# --- serve: from saving a YAML edit to the page showing it ---------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(port: int, path: str) -> str:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read().decode("utf-8", "replace")
        conn.close()
        return body if response.status == 200 else ""
    except OSError:
        return ""


def _wait_for(port: int, path: str, text: str, limit: float) -> float | None:
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        if text in _get(port, path):
            return time.perf_counter() - start
        time.sleep(0.02)
    return None


@dataclass
class Target:
    """One number on one page, and the YAML line that holds it."""

    data_file: Path
    line: int
    page: str
    fact_id: str
    unit: str
    modifier: str | None


def _pick_target(project: Path) -> Target:
    store = load_ledger(project / "data", project).store
    calls = re.compile(r"""\bfact\(\s*["']([^"']+)["']""")
    for page in sorted((project / "docs").glob("*.md")):
        for fact_id in calls.findall(page.read_text(encoding="utf-8")):
            fact = store.facts.get(fact_id)
            if fact is None or fact.type != "number" or fact.contested or len(fact.shown_claims) != 1:
                continue
            claim = fact.shown_claims[0]
            if isinstance(claim.value, tuple) or not units.known(fact.unit):
                continue
            url = "/" if page.stem == "index" else f"/{page.stem}/"
            return Target(project / fact.path, claim.line_of("value"), url, fact_id, fact.unit, claim.modifier)
    raise SystemExit("no page of the real site shows a single-valued number to edit")


def _set_value(target: Target, value: int) -> None:
    lines = target.data_file.read_text(encoding="utf-8").split("\n")
    line = lines[target.line - 1]
    assert re.search(r"value:\s*\S", line), f"{target.data_file}:{target.line} holds no value: {line!r}"
    lines[target.line - 1] = re.sub(r"value:\s*.*$", f"value: {value}", line)
    target.data_file.write_text("\n".join(lines), encoding="utf-8")


def compile_package(root: Path) -> None:
    """Compile the project's Python once, as its first command would, before anything is timed."""
    command = [str(BIN / "python"), "-m", "compileall", "-q", str(root / "macros"), str(root / "scripts")]
    subprocess.run(command, env=ENV, check=True, stdout=subprocess.DEVNULL)


def copy_real_project(project: Path, source: Path = ROOT) -> Path:
    """A copy of the real project (or of another checkout of it), without its environment, built
    output or caches."""
    ignore = shutil.ignore_patterns(
        ".venv",
        ".git",
        "site",
        "site.tmp*",
        ".site.lock",
        ".cache",
        "*_cache",
        "__pycache__",
        "node_modules",
        "bench-results",
    )
    shutil.copytree(source, project, ignore=ignore, symlinks=True)
    compile_package(project)
    return project


def measure_serve(folder: Path, edits: int) -> tuple[Target, list[float], list[float]]:
    """Serve a copy of the real project, change one value, time until the page shows it."""
    project = copy_real_project(folder / "real")
    target = _pick_target(project)
    port = _free_port()
    log = folder / "serve.log"
    (project / ".venv").symlink_to(ROOT / ".venv")
    listing = subprocess.run(["make", "-s", "-n", "serve"], cwd=project, env=ENV, capture_output=True, text=True)
    recipe = listing.stdout.strip().splitlines()
    if listing.returncode != 0 or len(recipe) != 1:
        raise SystemExit(f"make -n serve did not print one command in {project}: {listing.stderr}")
    # What `make serve` runs, on a free port; exec, so that stopping the shell stops the server.
    command = ["bash", "-c", f"exec env {recipe[0]} --dev-addr 127.0.0.1:{port}"]
    # An editor's server keeps results between its rebuilds, in the copy's own .cache (empty at start).
    env = {name: value for name, value in ENV.items() if name != "BRIEFING_CACHE"}
    with log.open("w", encoding="utf-8") as out:
        server = subprocess.Popen(command, cwd=project, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            if _wait_for(port, target.page, 'data-fact="', limit=300) is None:
                raise SystemExit(f"mkdocs serve did not come up; see {log}")
            latencies = []
            for n in range(edits):
                value = 900_001 + 7 * n  # below a million, so each value reads differently on the page
                shown = markup.esc(units.format_number(value, target.unit, target.modifier))
                time.sleep(1.5)  # let the server settle after the previous build
                if f">{shown}</span>" in _get(port, target.page):
                    raise SystemExit(f"{target.page} already shows {shown}: pick another value")
                _set_value(target, value)
                took = _wait_for(port, target.page, f">{shown}</span>", limit=120)
                if took is None:
                    raise SystemExit(f"the page never showed {shown}; see {log}")
                latencies.append(took)
            # The page shows the new value once it is written, before the build's end (the finish
            # step, the site checks), when MkDocs logs the build's duration: wait for that line.
            deadline = time.monotonic() + 60
            while len(_BUILT.findall(log.read_text())) < edits + 1 and time.monotonic() < deadline:
                time.sleep(0.05)
        finally:
            stop_server(server)
    builds = [float(s) for s in _BUILT.findall(log.read_text())]
    return target, latencies, builds[1:]  # the first build is the server starting up


def stop_server(server: subprocess.Popen[Any]) -> None:
    """Stop `mkdocs serve` as Ctrl-C does, so that MkDocs removes the folder it served from
    (terminated, it would leave it behind; with `make serve` that folder is in memory)."""
    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


_BUILT = re.compile(r"Documentation built in ([\d.]+) seconds")


# --- report --------------------------------------------------------------------------------------


def _seconds(size: Size, pick: str) -> float:
    value = getattr(size, pick)
    return float(value.seconds if isinstance(value, Run) else value)


def _growth(sizes: list[Size], pick: str) -> str:
    """Seconds per 1,000 facts added, between each pair of sizes: equal figures mean linear growth."""
    parts = []
    for small, large in itertools.pairwise(sizes):
        added = _seconds(large, pick) - _seconds(small, pick)
        parts.append(f"{added / (large.facts - small.facts) * 1000:.3f}")
    return " / ".join(parts)


def report(sizes: list[Size]) -> None:
    print()
    print(
        "| facts | validation (`macros check`) | validation in-process | full build (`make build`) | plain build "
        "| full / plain | peak MB full / plain | same site |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---|")
    for s in sizes:
        cells = [
            f"{s.facts:,}",
            f"{s.validate.seconds:.2f} s, {s.validate.peak_mb:.0f} MB",
            f"{s.validate_in_process:.2f} s",
            f"{s.full.seconds:.2f} s",
            f"{s.plain.seconds:.2f} s",
            f"{s.full.seconds / s.plain.seconds:.2f}",
            f"{s.full.peak_mb:.0f} / {s.plain.peak_mb:.0f}",
            s.same_output,
        ]
        print("| " + " | ".join(cells) + " |")
    if len(sizes) > 1:
        print()
        print("Seconds added per 1,000 more facts, from one size to the next (equal figures: linear growth):")
        for label, pick in (("validation", "validate"), ("full build", "full"), ("plain build", "plain")):
            print(f"  {label:<12} {_growth(sizes, pick)}")
        ratios = " -> ".join(f"{s.full.seconds / s.plain.seconds:.2f}" for s in sizes)
        print(f"  full / plain by size: {ratios}")
    last = sizes[-1]
    ratio = last.full.seconds / last.plain.seconds
    print()
    print(f"Goals at {last.facts:,} facts: full build at most 1.3 x the plain build: {ratio:.2f} x;")
    print(f"  validation under 0.5 s: {last.validate.seconds:.2f} s (in-process {last.validate_in_process:.2f} s)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,1000,10000", help="numbers of facts, comma-separated ('' for none)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per size below 10,000 facts (median kept)")
    parser.add_argument("--edits", type=int, default=3, help="YAML edits timed under mkdocs serve")
    parser.add_argument("--no-serve", action="store_true", help="skip the mkdocs serve measurement")
    parser.add_argument("--no-real", action="store_true", help="skip the real site's build against plain Material")
    parser.add_argument(
        "--real-only",
        action="store_true",
        help="only the real site's build against plain Material (no sizes, no serve)",
    )
    parser.add_argument("--real-repeat", type=int, default=5, help="builds of the real site, each way (median kept)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary projects and print where")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="bench-"))
    compile_package(ROOT)  # the synthetic projects run this checkout's package
    try:
        print(f"make bench: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}", flush=True)
        sizes = []
        real = None if args.no_real else measure_real(folder / "real", args.real_repeat)
        if args.real_only:
            assert real is not None, "--real-only and --no-real exclude each other"
            report_real(real)
            return 0
        for facts in (int(n) for n in args.sizes.split(",") if n.strip()):
            repeat = 1 if facts >= 10_000 else args.repeat
            sizes.append(measure_size(facts, folder / f"n{facts}", repeat))
        if sizes:
            report(sizes)
        if real is not None:
            report_real(real)
        if not args.no_serve:
            (folder / "serve").mkdir()
            target, latencies, builds = measure_serve(folder / "serve", args.edits)
            print()
            print(
                f"make serve on the real site: '{target.fact_id}' edited in "
                f"{target.data_file.relative_to(folder / 'serve' / 'real')}:{target.line}, page {target.page}"
            )
            print(
                f"  save to rebuilt page: {', '.join(f'{t:.2f} s' for t in latencies)}"
                f" (median {statistics.median(latencies):.2f} s; goal under 1 s)"
            )
            if builds:
                print(f"  of which MkDocs rebuilding: {', '.join(f'{b:.2f} s' for b in builds)}")
    finally:
        if args.keep:
            print(f"projects kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
