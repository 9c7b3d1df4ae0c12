"""`make build`: a strict build into a folder of its own, then swapped into place as `site/`.

`site/` is only ever the previous complete site or the new complete site, never a mix or a part:
whatever stops a build (a data mistake, a full disk, a kill at any moment), and however many
builds run at once in one checkout. Each build writes into its own `site.tmp-<pid>-<random>/` next
to `site/`; when it passes, the two folders trade names in one atomic step (Linux `renameat2`
with RENAME_EXCHANGE; elsewhere the old site is renamed aside and the new one into place, under a
lock), and the old one is deleted. Folders left by builds that were killed are deleted by the next
build. Plain `mkdocs build` is untouched and still writes `site/` directly.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import re
import shutil
import signal
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

PREFIX = "site.tmp-"
LOCK = ".site.lock"
# For the tests only: the build kills itself (SIGKILL, no clean-up) when it reaches this step.
KILL_AT = "BRIEFING_BUILD_KILL_AT"
STEPS = ("start", "folder-made", "built", "locked", "swapped", "done")


def _step(name: str) -> None:
    if os.environ.get(KILL_AT) == name:
        os.kill(os.getpid(), signal.SIGKILL)


def _error(message: str) -> None:
    """One line in the build log's own format, so it reads like MkDocs' other ERROR lines."""
    print(f"ERROR   -  {message}", file=sys.stderr, flush=True)


def _alive(pid: int) -> bool:
    """Is the process running? A zombie (killed, not yet reaped: its parent died with it and no
    one reaps orphans here) is not."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return True
    return stat.rpartition(")")[2].split()[:1] not in (["Z"], ["X"])


def _clear_abandoned(project: Path, site: Path) -> None:
    """Delete the folders of builds that were killed (their process is gone). A site set aside by a
    build killed between its two renames (where folders cannot trade names) is put back first."""
    for folder in sorted(project.glob(PREFIX + "*")):
        match = re.fullmatch(re.escape(PREFIX) + r"(\d+)-.*", folder.name)
        if not match or int(match.group(1)) == os.getpid() or _alive(int(match.group(1))):
            continue
        if "-old-" in folder.name and (folder / "site").is_dir() and not (site.exists() or site.is_symlink()):
            os.rename(folder / "site", site)
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def _locked(project: Path) -> Iterator[None]:
    with open(project / LOCK, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(first: Path, second: Path) -> bool:
    """Trade the names of two folders in one step; False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def swap_into_place(new: Path, site: Path) -> None:
    """Make `new` the site: afterwards `site` is the new folder, and the old one is gone."""
    if site.exists() or site.is_symlink():
        if _exchange(new, site):
            _step("swapped")
            shutil.rmtree(new, ignore_errors=True)  # now the old site
            return
        aside = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-old-", dir=site.parent))
        os.rename(site, aside / "site")
        os.rename(new, site)
        _step("swapped")
        shutil.rmtree(aside, ignore_errors=True)
        return
    os.rename(new, site)
    _step("swapped")


def _mkdocs_build(site_dir: Path, config: str = "mkdocs.yml") -> int:
    """`mkdocs build --strict -f <config> --site-dir <folder>`, in this process; its exit status."""
    from mkdocs.__main__ import cli

    args = ["build", "--strict", "-f", config, "--site-dir", str(site_dir)]
    try:
        cli.main(args=args, prog_name="mkdocs", standalone_mode=True)
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    return 0


def _zensical_build(project: Path, site_dir: Path) -> int:
    """Zensical into the folder, then the finish step (which Zensical has no hook for); 0 or 1."""
    from .. import finish
    from ..ledger import load_ledger
    from . import zensical

    ledger = load_ledger(project / "data", project)
    problems = [str(p) for p in ledger.problems]
    if not problems:
        problems = zensical.build(project / "zensical.yml", site_dir)
    if not problems:
        problems = finish.finish(site_dir, project / "mkdocs.yml", ledger)
    for problem in problems:
        _error(problem)
    if problems:
        _error(f"{len(problems)} problem(s) (listed above); the site was not built")
    return 1 if problems else 0


ENGINES = ("mkdocs", "zensical")
CHINESE = "mkdocs.zh.yml"  # the Chinese edition, built into zh/ of the English site


def _chinese_edition(project: Path, folder: Path) -> int:
    """The Chinese edition into folder/zh/, at SITE_URL + "zh/" when SITE_URL is given; then the
    two editions compared page by page (macros/finish/editions.py)."""
    from ..finish import editions, siteconf

    if "SITE_URL" in os.environ and "SITE_URL_ZH" not in os.environ:
        os.environ["SITE_URL_ZH"] = siteconf.load(project / "mkdocs.yml").url + "zh/"
    code = _mkdocs_build(folder / "zh", CHINESE)
    if code != 0:
        return code
    problems = editions.parity(folder, folder / "zh", project / "docs", project / "docs-zh")
    for problem in problems:
        _error(problem)
    if problems:
        _error(f"{len(problems)} difference(s) between the editions (listed above); the site was not built")
    return 1 if problems else 0


def build(project: Path, site_name: str = "site", engine: str = "mkdocs") -> int:
    """Build the site of `project` with `engine` into `project/<site_name>`; the exit status for `make`."""
    _step("start")
    site = project / site_name
    folder: Path | None = None
    try:
        with _locked(project):
            _clear_abandoned(project, site)
        folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=project))
        _step("folder-made")
        code = _zensical_build(project, folder) if engine == "zensical" else _mkdocs_build(folder)
        if code == 0 and engine == "mkdocs" and (project / CHINESE).is_file():
            code = _chinese_edition(project, folder)
        if code != 0:
            return code
        _step("built")
        with _locked(project):
            _step("locked")
            swap_into_place(folder, site)
        folder = None
        _step("done")
        return 0
    except OSError as error:
        where = f" (at {error.filename})" if error.filename else ""
        _error(f"cannot write the site: {error.strerror or error}{where}; site/ was left as it was")
        return 1
    except KeyboardInterrupt:
        _error("interrupted; site/ was left as it was")
        return 130
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
