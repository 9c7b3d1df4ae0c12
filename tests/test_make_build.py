"""Contributors' mistakes, end to end through the real `make build`.

A fixture project gets the project's Makefile and virtual environment by symbolic link and is
built once for real; each test copies it, makes one mistake and runs `make build` again. Every
mistake must stop the build with a non-zero exit, report itself in exactly one line naming the file
and the line, never print a Python traceback, and leave the previous good site/ byte for byte as it
was.
"""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from macros.adapters import sitebuild
from macros.ledger import units
from tests import sites
from tests.sites import ROOT, make_site, snapshot

# The fixture sources without the second document, which these facts do not cite.
SOURCES = sites.SOURCES[: sites.SOURCES.index("  - id: doc-b\n")]

FACTS = """\
facts:
  - id: tech.max-duration
    label: Longest clip
    topic: technology
    unit: seconds
    product: sora-2
    claims:
      - value: 25
        source: openai-launch
        via: doc-a
        rank: preferred
        rank_reason: OpenAI's own figure
      - value: 20
        source: doc-a
        rank: deprecated
        verdict: superseded
        rank_reason: The launch limit
events:
  - id: event.launch
    title: OpenAI releases Sora 2
    label: Launch date
    topic: technology
    claims:
      - value: 2025-09-30
        source: openai-launch
"""

PAGE = """\
# Briefing

Sora 2 makes clips of {{ fact("tech.max-duration") }}. It came out on {{ date("event.launch") }}.
"""

FILES = {
    "data/sources.yaml": SOURCES,
    "data/facts.yaml": FACTS,
    "docs/index.md": PAGE,
    "docs/facts.md": "# Register\n\n{{ fact_register() }}\n",
    "docs/contested.md": "# Contested\n\n{{ contested_table() }}\n",
    "docs/sources.md": "# Sources\n\n{{ source_list() }}\n",
}

DATA_SUMMARY = "1 problem(s) in data/ (listed above); the site was not built"


@dataclass(frozen=True)
class Mistake:
    name: str
    files: dict[str, str | bytes]  # the files the contributor changed, with their new contents
    line: str  # the one line the build must print about it
    in_data: bool = True  # data mistakes are followed by the count of problems


def edit(path: str, old: str, new: str) -> dict[str, str | bytes]:
    """FILES[path] with one exact, unique piece of text replaced."""
    text = FILES[path]
    assert text.count(old) == 1, f"{old!r} must occur once in {path}"
    return {path: text.replace(old, new)}


NEW_SOURCE = """\
  - id: doc-c
    title: Unused
    title_en: Unused
    publisher: Nobody
    accessed: 2026-11-21
    language: en
    kind: blog
    tier: secondary
"""

DUPLICATE_FACT = """\
facts:
  - id: tech.max-duration
    label: The same id again
    topic: technology
    unit: seconds
    claims:
      - value: 30
        source: openai-launch
"""

MISTAKES = [
    Mistake(
        "yaml syntax error",
        edit("data/facts.yaml", "    label: Longest clip\n", "    label: [Longest clip\n"),
        "data/facts.yaml:4: YAML syntax: did not find expected ',' or ']'",
    ),
    Mistake(
        "tab indentation",
        edit("data/facts.yaml", "    unit: seconds\n", "\tunit: seconds\n"),
        "data/facts.yaml:5: YAML syntax: a tab is used for indentation; indent with spaces",
    ),
    Mistake(
        "duplicate key",
        edit("data/facts.yaml", "    unit: seconds\n", "    unit: seconds\n    unit: minutes\n"),
        "data/facts.yaml:6: duplicate key 'unit' (first at line 5)",
    ),
    Mistake(
        "duplicate id across files",
        {"data/more.yaml": DUPLICATE_FACT},
        "data/more.yaml:2: fact 'tech.max-duration': duplicate id (first defined at data/facts.yaml:2)",
    ),
    Mistake(
        "duplicate source id across files",
        {"data/more.yaml": "sources:\n" + NEW_SOURCE.replace("doc-c", "doc-a")},
        "data/sources.yaml:15: source 'doc-a': duplicate id (first defined at data/more.yaml:2)",
    ),
    Mistake(
        "missing required field",
        edit("data/facts.yaml", "    label: Longest clip\n", ""),
        "data/facts.yaml:2: fact 'tech.max-duration': missing required field 'label'",
    ),
    Mistake(
        "wrong type",
        edit("data/facts.yaml", "    label: Longest clip\n", "    label: [Longest, clip]\n"),
        "data/facts.yaml:3: fact 'tech.max-duration': field 'label' must be text, not a list",
    ),
    Mistake(
        "impossible date",
        edit("data/sources.yaml", "published: 2025-09-30", "published: 2025-02-30"),
        "data/sources.yaml:9: source 'openai-launch': field 'published' is not a valid date: '2025-02-30' "
        "(use YYYY-MM-DD, YYYY-MM or YYYY)",
    ),
    Mistake(
        "impossible date as an event's value",
        edit("data/facts.yaml", "value: 2025-09-30", "value: 2025-09-31"),
        "data/facts.yaml:24: event 'event.launch': claim 1: value is not a valid date: '2025-09-31' (use YYYY-MM-DD)",
    ),
    Mistake(
        "unknown source",
        edit("data/facts.yaml", "        source: doc-a\n", "        source: doc-x\n"),
        "data/facts.yaml:14: fact 'tech.max-duration': claim 2 names unknown source 'doc-x' (did you mean 'doc-a'?)",
    ),
    Mistake(
        "unknown via",
        edit("data/facts.yaml", "via: doc-a", "via: nowhere"),
        "data/facts.yaml:10: fact 'tech.max-duration': claim 1 names unknown via 'nowhere'",
    ),
    Mistake(
        "a source nobody cites",
        {"data/sources.yaml": SOURCES + NEW_SOURCE},
        "data/sources.yaml:24: source 'doc-c' is not cited by any claim",
    ),
    Mistake(
        "a rank without a reason",
        edit("data/facts.yaml", "        rank_reason: OpenAI's own figure\n", ""),
        "data/facts.yaml:8: fact 'tech.max-duration': claim 1: rank 'preferred' needs a rank_reason",
    ),
    Mistake(
        "two preferred claims",
        edit("data/facts.yaml", "        rank: deprecated\n        verdict: superseded\n", "        rank: preferred\n"),
        "data/facts.yaml:13: fact 'tech.max-duration': claims 1, 2 are all preferred; at most one may be",
    ),
    Mistake(
        "a non-https address",
        edit("data/sources.yaml", "url: https://openai.com/", "url: http://openai.com/"),
        "data/sources.yaml:11: source 'openai-launch': field 'url' must be an https:// address, "
        "not 'http://openai.com/index/sora-2/'",
    ),
    Mistake(
        "a javascript: address",
        edit("data/sources.yaml", "url: https://openai.com/index/sora-2/", "url: javascript:alert(document.cookie)"),
        "data/sources.yaml:11: source 'openai-launch': field 'url' must be an https:// address, "
        "not 'javascript:alert(document.cookie)'",
    ),
    Mistake(
        "a data: address for the archived copy",
        edit(
            "data/sources.yaml", "    language: en\n", '    archive_url: "data:text/html,<b>x</b>"\n    language: en\n'
        ),
        "data/sources.yaml:12: source 'openai-launch': field 'archive_url' must be an https:// address, "
        "not 'data:text/html,<b>x</b>'",
    ),
    Mistake(
        "an empty file",
        {"data/empty.yaml": ""},
        "data/empty.yaml:1: the file is empty; expected a mapping with sources, facts, events or names",
    ),
    Mistake(
        "a list where a mapping is expected",
        {"data/list.yaml": "- id: tech.x\n  label: A fact without its list\n"},
        "data/list.yaml:1: the file must be a mapping with sources, facts, events or names, not a list",
    ),
    Mistake(
        "a claim written as a list",
        edit("data/facts.yaml", "      - value: 2025-09-30\n        source: openai-launch\n", "      - [2025-09-30]\n"),
        "data/facts.yaml:24: event 'event.launch': claim 1 must be a mapping, not a list",
    ),
    Mistake(
        "units that differ between the claims of one fact",
        edit("data/facts.yaml", "      - value: 20\n", "      - value: 20\n        unit: minutes\n"),
        "data/facts.yaml:14: fact 'tech.max-duration': claim 2: unit 'minutes' differs from the fact's unit 'seconds'",
    ),
    Mistake(
        "an unknown name",
        edit("data/facts.yaml", "product: sora-2", "product: sora-3"),
        "data/facts.yaml:6: fact 'tech.max-duration': product 'sora-3' is not in names",
    ),
    Mistake(
        "a 100 KB string",
        edit("data/facts.yaml", "label: Longest clip", "label: " + "Longest clip " * 7693),
        "data/facts.yaml:3: fact 'tech.max-duration': field 'label' is 100008 characters long; the limit is 300",
    ),
    Mistake(
        "a 100 KB number",
        edit("data/facts.yaml", "value: 25", "value: " + "9" * 100_000),
        "data/facts.yaml:8: a number of 100000 digits is too long to read",
    ),
    Mistake(
        "a number too large to be a figure",
        edit("data/facts.yaml", "value: 25", "value: 1" + "0" * 20),
        "data/facts.yaml:8: fact 'tech.max-duration': claim 1: value is too large for a figure "
        "(the limit is 1,000 trillion)",
    ),
    Mistake(
        "not a number",
        edit("data/facts.yaml", "value: 25", "value: .nan"),
        "data/facts.yaml:8: fact 'tech.max-duration': claim 1: value must be a finite number",
    ),
    Mistake(
        "a misspelt field",
        edit("data/sources.yaml", "publisher_en:", "publisher-en:"),
        "data/sources.yaml:19: source 'doc-a': unknown field 'publisher-en' (did you mean 'publisher_en'?)",
    ),
    Mistake(
        "an unknown unit",
        edit("data/facts.yaml", "unit: seconds", "unit: secs"),
        f"data/facts.yaml:5: fact 'tech.max-duration': unknown unit 'secs' (known: {', '.join(units.names())})",
    ),
    Mistake(
        "a number without a unit",
        edit("data/facts.yaml", "    unit: seconds\n", ""),
        "data/facts.yaml:2: fact 'tech.max-duration': a number needs a unit "
        "(see data/README.md; 'count' for a bare number)",
    ),
    Mistake(
        "text where a number belongs",
        edit("data/facts.yaml", "value: 25", "value: twenty-five"),
        "data/facts.yaml:8: fact 'tech.max-duration': claim 1: value must be a number or {min, max}, not text",
    ),
    Mistake(
        "a range upside down",
        edit("data/facts.yaml", "value: 25", "value: {min: 30, max: 10}"),
        "data/facts.yaml:8: fact 'tech.max-duration': claim 1: range min 30 is not below max 10",
    ),
    Mistake(
        "a malformed fact id",
        edit("data/facts.yaml", "id: tech.max-duration", "id: Tech Max Duration"),
        "data/facts.yaml:2: fact 'Tech Max Duration': field 'id' must be a dotted id like 'tech.max-duration', "
        "not 'Tech Max Duration'",
    ),
    Mistake(
        "an unknown topic",
        edit("data/facts.yaml", "    topic: technology\n    unit", "    topic: tech\n    unit"),
        "data/facts.yaml:4: fact 'tech.max-duration': field 'topic' must be one of technology, industry, "
        "copyright, risks, after-launch, not 'tech'",
    ),
    Mistake(
        "an empty list of claims",
        edit(
            "data/facts.yaml",
            "    claims:\n      - value: 2025-09-30\n        source: openai-launch\n",
            "    claims: []\n",
        ),
        "data/facts.yaml:23: event 'event.launch': field 'claims' must be a non-empty list of claims, "
        "not an empty list",
    ),
    Mistake(
        "a quotation without its translation",
        edit(
            "data/facts.yaml",
            "        via: doc-a\n",
            "        via: doc-a\n        quote: 原话\n        wording: reported\n",
        ),
        "data/facts.yaml:8: fact 'tech.max-duration': claim 1: a quotation needs both quote and quote_en; "
        "'quote_en' is missing",
    ),
    Mistake(
        "a deprecated claim without a verdict",
        edit("data/facts.yaml", "        verdict: superseded\n", ""),
        "data/facts.yaml:13: fact 'tech.max-duration': claim 2: a deprecated claim needs a verdict "
        "(wrong, superseded, other-product, unverified)",
    ),
    Mistake(
        "an unknown rank",
        edit("data/facts.yaml", "rank: preferred", "rank: best"),
        "data/facts.yaml:11: fact 'tech.max-duration': claim 1: field 'rank' must be one of preferred, normal, "
        "deprecated, not 'best'",
    ),
    Mistake(
        "the same document as source and via",
        edit("data/facts.yaml", "via: doc-a", "via: openai-launch"),
        "data/facts.yaml:10: fact 'tech.max-duration': claim 1 names 'openai-launch' as both source and via",
    ),
    Mistake(
        "an event id without its prefix",
        edit("data/facts.yaml", "id: event.launch", "id: launch.day"),
        "data/facts.yaml:19: event 'launch.day': an event id must start with 'event.'",
    ),
    Mistake(
        "an unknown list in a file",
        {"data/more.yaml": DUPLICATE_FACT.replace("facts:", "fact:")},
        "data/more.yaml:1: unknown list 'fact' (expected sources, facts, events or names)",
    ),
    Mistake(
        "a file that is not UTF-8",
        {"data/more.yaml": "sources: []  # café\n".encode("latin-1")},
        "data/more.yaml:1: not UTF-8 text (invalid continuation byte at byte 19)",
    ),
    Mistake(
        "a YAML tag that would run code",
        edit("data/facts.yaml", "value: 25", 'value: !!python/object/apply:os.system ["touch pwned"]'),
        "data/facts.yaml:8: the YAML tag '!!python/object/apply:os.system' is not allowed; write the value plainly, "
        "without a tag",
    ),
    Mistake(
        "a list used as a key",
        edit("data/facts.yaml", "    label: Longest clip\n", "    label: Longest clip\n    [a, b]: c\n"),
        "data/facts.yaml:4: a key must be plain text, not a list or mapping",
    ),
    Mistake(
        "lists nested thousands deep",
        {"data/more.yaml": "facts:\n  - " + "[" * 50_000 + "]" * 50_000 + "\n"},
        "data/more.yaml:2: lists and mappings nested more than 100 deep",
    ),
    Mistake(
        "an unknown fact on a page",
        {"docs/index.md": PAGE.replace('fact("tech.max-duration")', 'fact("tech.max-durration")')},
        "index.md: fact(): unknown fact 'tech.max-durration'",
        in_data=False,
    ),
    Mistake(
        "a control character in a label a chart draws",
        {
            **edit("data/facts.yaml", "label: Longest clip", 'label: "Longest\\x01clip"'),
            "docs/index.md": PAGE + '\n{{ chart_bars(["tech.max-duration"], "Clip length") }}\n',
        },
        "data/facts.yaml:3: field 'label' holds U+0001 (a control character); remove it",
    ),
    Mistake(
        "a right-to-left override in a publisher",
        edit("data/sources.yaml", "publisher: OpenAI", 'publisher: "Open\\u202eAI"'),
        "data/sources.yaml:8: field 'publisher' holds U+202E (RIGHT-TO-LEFT OVERRIDE); remove it",
    ),
    Mistake(
        "an id ending in a line break",
        edit("data/facts.yaml", "id: event.launch", 'id: "event.launch\\n"'),
        "data/facts.yaml:19: event 'event.launch\\n': field 'id' must be a dotted id like 'tech.max-duration', "
        "not 'event.launch\\n'",
    ),
    Mistake(
        "a search-terms file that is not UTF-8",
        {"data/search-terms.txt": b"term 10 n\ncaf\xe9 3\n"},
        "data/search-terms.txt:2: not UTF-8 text (invalid continuation byte at byte 14)",
    ),
    Mistake(
        "a page macro given a list",
        {"docs/index.md": PAGE.replace('fact("tech.max-duration")', 'fact(["tech.max-duration"])')},
        "index.md: fact(): these arguments do not fit (unhashable type: 'list')",
        in_data=False,
    ),
    Mistake(
        "a page macro given no argument",
        {"docs/index.md": PAGE.replace('fact("tech.max-duration")', "fact()")},
        "index.md: fact(): these arguments do not fit (fact() missing 1 required positional argument: 'fact_id')",
        in_data=False,
    ),
    Mistake(
        "a figure in a footnote written on a page",
        {"docs/index.md": PAGE + "\nAs noted.[^n]\n\n[^n]: It reached 627,000 downloads.\n"},
        'index.html: figure not from data: "It reached 627,000 downloads."',
        in_data=False,
    ),
    Mistake(
        "a figure typed into a page",
        {"docs/index.md": PAGE + "\nThe app had 627,000 downloads.\n"},
        'index.html: figure not from data: "The app had 627,000 downloads."',
        in_data=False,
    ),
]


def _make_build(project: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("BRIEFING_FAIL_ON_MACRO_ERROR", None)  # the Makefile's own default must hold
    return subprocess.run(
        ["make", "--no-print-directory", "-C", str(project), "build"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _problem_lines(output: str) -> list[str]:
    """What the build reported: its ERROR lines, without the log prefix."""
    return [line.split("-", 1)[1].strip() for line in output.splitlines() if line.startswith("ERROR")]


@dataclass(frozen=True)
class GoodProject:
    root: Path
    site: dict[str, str]


@pytest.fixture(scope="module")
def good_project(tmp_path_factory: pytest.TempPathFactory) -> GoodProject:
    """The fixture project with the Makefile and .venv linked in, after one good `make build`."""
    root = make_site(tmp_path_factory.mktemp("make") / "project", FILES)
    for name in ("Makefile", ".venv", "requirements.txt"):
        (root / name).symlink_to(ROOT / name)
    result = _make_build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (root / "site" / "index.html").is_file() and not list(root.glob("site.tmp*"))
    return GoodProject(root, snapshot(root / "site"))


def test_the_good_project_builds_and_its_figures_are_there(good_project: GoodProject) -> None:
    page = (good_project.root / "site" / "index.html").read_text(encoding="utf-8")
    assert '<span class="fig" data-fact="tech.max-duration">25 seconds</span>' in page
    assert '<span class="fig" data-fact="event.launch">30 September 2025</span>' in page
    assert "data/facts.json" in good_project.site


@pytest.mark.parametrize("mistake", MISTAKES, ids=[m.name for m in MISTAKES])
def test_mistake_stops_make_build_with_one_line_and_keeps_the_good_site(
    good_project: GoodProject, tmp_path: Path, mistake: Mistake
) -> None:
    project = tmp_path / "project"
    shutil.copytree(good_project.root, project, symlinks=True)
    for name, content in mistake.files.items():
        path = project / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")

    result = _make_build(project)

    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "Traceback" not in output
    assert _problem_lines(output) == [mistake.line, *([DATA_SUMMARY] if mistake.in_data else [])], output
    assert snapshot(project / "site") == good_project.site


def test_there_are_at_least_thirty_distinct_mistakes() -> None:
    assert len({m.name for m in MISTAKES}) == len(MISTAKES) >= 30
    assert len({m.line for m in MISTAKES}) == len(MISTAKES)


# --- make build at once, killed, on a full disk ---------------------------------------------------------


def _site_state(project: Path) -> dict[str, str]:
    return snapshot(project / "site") if (project / "site").is_dir() else {}


def _leftovers(project: Path) -> list[str]:
    return sorted(p.name for p in project.glob("site.tmp*"))


def _real_project(folder: Path) -> Path:
    """A copy of the real site's sources, with the project's Makefile, code and .venv linked in."""
    folder.mkdir(parents=True)
    for name in ("docs", "data"):
        shutil.copytree(ROOT / name, folder / name, symlinks=True)
    shutil.copyfile(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    for name in ("macros", "overrides", "Makefile", ".venv", "requirements.txt"):
        (folder / name).symlink_to(ROOT / name)
    return folder


def _without_sitemap(snapshot: dict[str, str]) -> dict[str, str]:
    return {name: digest for name, digest in snapshot.items() if not name.startswith("sitemap.xml")}


def test_two_builds_at_once_in_one_checkout_both_leave_a_complete_site(real_site: Path, tmp_path: Path) -> None:
    """The real site (large enough for its builds to overlap while writing pages), built twice at
    once in one checkout: both builds pass, and site/ is the whole site, as a build alone makes it."""
    project = _real_project(tmp_path / "project")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("BRIEFING_FAIL_ON_MACRO_ERROR", None)

    def start() -> subprocess.Popen[str]:
        return subprocess.Popen(
            ["make", "--no-print-directory", "-C", str(project), "build"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    # The second build starts once the first is writing its pages: then they overlap for sure.
    first = start()
    while first.poll() is None and not list(project.glob("site.tmp*/assets")):
        time.sleep(0.01)
    builds = [first, start()]
    outputs = [build.communicate(timeout=600)[0] for build in builds]
    assert [build.returncode for build in builds] == [0, 0], outputs
    assert _without_sitemap(_site_state(project)) == _without_sitemap(snapshot(real_site))
    assert _leftovers(project) == []


# Besides the steps of macros/sitebuild.py, a kill from outside while MkDocs writes the pages.
WRITING = "writing pages"


def _killed_build(project: Path, step: str) -> subprocess.CompletedProcess[str]:
    """`make build`, killed with SIGKILL (no clean-up of any kind) when it reaches `step`: by itself
    at a step of sitebuild.py, or, while MkDocs writes pages, with its whole process group."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if step != WRITING:
        env[sitebuild.KILL_AT] = step
    env.pop("BRIEFING_FAIL_ON_MACRO_ERROR", None)
    build = subprocess.Popen(
        ["make", "--no-print-directory", "-C", str(project), "build"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    if step == WRITING:
        while build.poll() is None and not list(project.glob("site.tmp-*/assets")):
            time.sleep(0.01)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(build.pid, signal.SIGKILL)
    out, err = build.communicate(timeout=600)
    return subprocess.CompletedProcess(build.args, build.returncode, out, err)


def test_a_build_killed_at_any_step_leaves_the_old_site_or_the_new_one(
    good_project: GoodProject, tmp_path: Path
) -> None:
    """Each step of `make build` in turn: the build is killed there, and `site/` is then either the
    site before it, byte for byte, or the complete new one; the next build cleans up after it."""
    project = tmp_path / "project"
    shutil.copytree(good_project.root, project, symlinks=True)
    before = good_project.site
    for n, step in enumerate([*sitebuild.STEPS, WRITING], start=1):
        facts = project / "data" / "facts.yaml"
        facts.write_text(FACTS.replace("value: 25", f"value: {25 + n}"), encoding="utf-8")
        killed = _killed_build(project, step)
        assert killed.returncode != 0 or step == WRITING, f"{step}: the build was not killed"
        assert "Traceback" not in killed.stdout + killed.stderr
        during = _site_state(project)
        finished = _make_build(project)
        assert finished.returncode == 0, finished.stdout + finished.stderr
        after = _site_state(project)
        assert during in (before, after), f"killed at {step}: site/ is neither the old site nor the new one"
        assert f">{25 + n} seconds</span>" in (project / "site" / "index.html").read_text(encoding="utf-8")
        assert _leftovers(project) == [], f"after a kill at {step}"
        before = after


def _limit_file_size() -> None:  # pragma: no cover - runs in the child before exec
    # Writes beyond 50 KB fail with "File too large", as they would with "No space left on device".
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (50_000, 50_000))


def test_a_full_disk_is_one_line_and_keeps_the_good_site(good_project: GoodProject, tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(good_project.root, project, symlinks=True)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        ["make", "--no-print-directory", "-C", str(project), "build"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        preexec_fn=_limit_file_size,
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output, output
    lines = _problem_lines(output)
    assert len(lines) == 1 and lines[0].startswith("cannot write the site: File too large"), output
    assert lines[0].endswith("; site/ was left as it was")
    assert _site_state(project) == good_project.site
    assert _leftovers(project) == []
