"""Reading a large ledger in two processes gives exactly what reading it in one gives.

`load_store` forks a child to read about half the files when the ledger is large. Each comparison
runs in a fresh interpreter (forking a test process that may hold browser threads is not safe),
with the size threshold lowered so small ledgers take the two-process path too.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from tests.sites import ROOT

COMPARE = r"""
import json, os, sys
from pathlib import Path
from macros.ledger import validate

forks = []
real_fork = os.fork
def counting_fork():
    pid = real_fork()
    if pid:
        forks.append(pid)
    return pid
os.fork = counting_fork
os.sched_getaffinity = lambda pid: {0, 1}  # as on a machine with two CPUs
if sys.argv[2] == "child-fails":
    real_load = validate._load_file
    def failing_in_child(path, display):
        if os.getpid() != PARENT:
            raise RuntimeError("the child failed")
        return real_load(path, display)
    PARENT = os.getpid()
    validate._load_file = failing_in_child

def snapshot():
    store, problems = validate.load_store(Path(sys.argv[1]), Path(sys.argv[1]).parent)
    return {
        "facts": {k: repr(v) for k, v in store.facts.items()},
        "sources": {k: repr(v) for k, v in store.sources.items()},
        "names": {k: repr(v) for k, v in store.names.items()},
        "problems": [str(p) for p in problems],
    }

validate.PARALLEL_BYTES = 10**12
one = snapshot()
assert forks == [], forks
validate.PARALLEL_BYTES = 0
two = snapshot()
print(json.dumps({"forked": len(forks), "same": one == two, "problems": one["problems"], "facts": len(one["facts"])}))
"""


def _compare(data: Path, mode: str = "normal") -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", COMPARE, str(data), mode],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    out: dict[str, object] = json.loads(result.stdout)
    return out


def test_the_real_ledger_reads_the_same_in_two_processes() -> None:
    out = _compare(ROOT / "data")
    assert out["forked"] == 1
    assert out["same"] is True
    assert out["problems"] == [] and isinstance(out["facts"], int) and out["facts"] > 300


def test_mistakes_across_both_halves_read_the_same(tmp_path: Path) -> None:
    """A duplicate id across the halves, an unknown source, a syntax error and an uncited source:
    the same lines, in the same order, as when one process reads everything."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    facts = sorted((data / "facts").glob("*.yaml"))
    first, last = facts[0], facts[-1]
    # The first fact of the first file, again at the end of the last file (read by the other process).
    text = first.read_text(encoding="utf-8")
    start = text.index("\n  - id:")
    end = text.index("\n  - id:", start + 1)
    last.write_text(last.read_text(encoding="utf-8").rstrip("\n") + text[start:end] + "\n", encoding="utf-8")
    second = facts[1]
    second.write_text(second.read_text(encoding="utf-8").replace("source: ", "source: x-", 1), encoding="utf-8")
    out = _compare(data)
    assert out["forked"] == 1 and out["same"] is True
    problems = out["problems"]
    assert isinstance(problems, list)
    assert any("duplicate id (first defined at data/facts/" in p for p in problems), problems
    assert any("names unknown source 'x-" in p for p in problems), problems
    # A file that cannot be parsed: its one line, and no reference noise.
    (data / "facts" / "zz-broken.yaml").write_text("facts:\n  - id: [\n", encoding="utf-8")
    out = _compare(data)
    assert out["forked"] == 1 and out["same"] is True
    problems = out["problems"]
    assert isinstance(problems, list) and problems
    assert all("zz-broken.yaml" in p or "duplicate id" in p for p in problems), problems


def test_a_failing_child_is_replaced_by_reading_its_share_here() -> None:
    out = _compare(ROOT / "data", "child-fails")
    assert out["forked"] == 1
    assert out["same"] is True and out["problems"] == []


def test_no_fork_while_other_threads_run() -> None:
    """As under `mkdocs serve`: a second thread is running, so the ledger is read in one process."""
    script = (
        "import os, threading, time\n"
        "from pathlib import Path\n"
        "from macros.ledger import validate\n"
        "validate.PARALLEL_BYTES = 0\n"
        "os.sched_getaffinity = lambda pid: {0, 1}\n"
        "forked = []\n"
        "real = os.fork\n"
        "os.fork = lambda: forked.append(1) or real()\n"
        "stop = threading.Event()\n"
        "threading.Thread(target=stop.wait, daemon=True).start()\n"
        "validate.load_store(Path('data'))\n"
        "stop.set()\n"
        "print(len(forked))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "0"


def test_more_files_than_queue_tokens_read_the_same(tmp_path: Path) -> None:
    """Past 2,048 files a token of the queue stands for several: every file is still read once."""
    data = tmp_path / "data"
    data.mkdir()
    source = (
        "sources:\n  - id: s{n}\n    title: T\n    title_en: T\n    publisher: P\n    accessed: 2025-01-01\n"
        "    language: en\n    kind: news\n    tier: weak\n"
    )
    for n in range(2100):
        (data / f"s{n:04d}.yaml").write_text(source.format(n=n), encoding="utf-8")
    out = _compare(data)
    assert out["forked"] == 1 and out["same"] is True
    problems = out["problems"]
    assert isinstance(problems, list)
    assert len(problems) == 2100, problems[:3]
