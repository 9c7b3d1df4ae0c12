"""CPU time of one `make serve` rebuild after a one-value YAML edit: printed, never asserted.

Wall time on a shared machine says as much about the other builds running as about this one; the
CPU time a rebuild takes (`time.process_time()` around MkDocs' build) varies far less. This runs
what MkDocs' live-reload server runs for a rebuild (the configuration read afresh, then
`build(config, serve_url=...)`, after `on_startup("serve")`), in one child process, without the
server: a copy of a checkout is built once, then the value `scripts/bench.py` edits under `serve`
is changed `--edits` times, each rebuild timed. The child imports the copy's own `macros` package,
so two checkouts (before and after a change) can be measured by turns with one environment:

    .venv/bin/python scripts/serve_cpu.py                       # this checkout
    .venv/bin/python scripts/serve_cpu.py --checkout ../other   # another one
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from macros import paths

sys.path.insert(0, str(paths.ROOT))  # for bench.py, beside this file

from scripts.bench import ENV, ROOT, _pick_target, copy_real_project

# Run in the copy: the copy's folder first on sys.path, so that its `macros` is the one imported.
_CHILD = """
import json, os, re, sys, tempfile, time
from pathlib import Path
project, data_file, line, edits = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
os.chdir(project)
sys.path.insert(0, project)
from mkdocs.commands.build import build
from mkdocs.config import load_config
site_dir = tempfile.mkdtemp(prefix="serve-cpu-")
url = "http://127.0.0.1:8000/"
def config():
    loaded = load_config(config_file="mkdocs.yml", site_dir=site_dir, strict=False)
    loaded.site_url = url
    return loaded
first = config()
first.plugins.on_startup(command="serve", dirty=False)
build(first, serve_url=url, dirty=False)
lines = Path(data_file).read_text(encoding="utf-8").split("\\n")
cpu, wall = [], []
for n in range(edits):
    lines[line - 1] = re.sub(r"value:\\s*.*$", f"value: {900_001 + 7 * n}", lines[line - 1])
    Path(data_file).write_text("\\n".join(lines), encoding="utf-8")
    started, used = time.perf_counter(), time.process_time()
    build(config(), serve_url=url, dirty=False)
    cpu.append(time.process_time() - used)
    wall.append(time.perf_counter() - started)
import shutil
shutil.rmtree(site_dir, ignore_errors=True)
print(json.dumps({"cpu": cpu, "wall": wall}))
"""


def measure(checkout: Path, edits: int) -> dict[str, list[float]]:
    with tempfile.TemporaryDirectory(prefix="serve-cpu-") as folder:
        project = copy_real_project(Path(folder) / "real", checkout)
        target = _pick_target(project)
        env = {
            **{name: value for name, value in ENV.items() if name != "BRIEFING_CACHE"},
            # What `make serve` sets (Makefile), the search index left out as it leaves it out.
            "SITE_URL": "http://127.0.0.1:8000/",
            "BRIEFING_FAIL_ON_MACRO_ERROR": "false",
            "BRIEFING_SEARCH": "false",
        }
        command = [sys.executable, "-c", _CHILD, str(project), str(target.data_file), str(target.line), str(edits)]
        done = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"the rebuilds failed:\n{done.stderr[-3000:]}")
        result: dict[str, list[float]] = json.loads(done.stdout.strip().splitlines()[-1])
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--checkout", type=Path, default=ROOT, help="the project to copy and measure")
    parser.add_argument("--edits", type=int, default=5, help="one-value edits, each timed")
    args = parser.parse_args()
    result = measure(args.checkout.resolve(), args.edits)
    for name in ("cpu", "wall"):
        values = result[name]
        shown = ", ".join(f"{v:.2f}" for v in values)
        print(f"{name} per rebuild: {shown} s (median {statistics.median(values):.2f} s)")


if __name__ == "__main__":
    main()
