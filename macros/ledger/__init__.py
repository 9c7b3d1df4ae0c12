"""The ledger: reading, validating and judging the YAML data. Nothing here knows a site generator.

`load_ledger()` is the one way in: the build, `python -m macros`, `make diff` and the benchmarks
all call it, so every one of them sees the same facts, changelog and problems.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import paths
from . import changelog, terms, validate
from .changelog import ChangeEntry
from .loading import Problem
from .model import Store


@dataclass(frozen=True)
class Ledger:
    store: Store
    changes: tuple[ChangeEntry, ...]
    problems: tuple[Problem, ...]  # every problem of the data folder, one line each

    @property
    def ok(self) -> bool:
        return not self.problems


def load_ledger(data: Path = paths.DATA, root: Path | None = None) -> Ledger:
    """Read and check the facts and sources, the changelog and the search terms of `data`.
    Problems name files relative to `root` (default: the folder holding `data`)."""
    root = root or data.parent
    store, problems = validate.load_store(data, root)
    changes, change_problems = changelog.load_changelog(data / changelog.NAME, root, store)
    term_file = data / terms.NAME
    try:
        shown_terms = term_file.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        shown_terms = term_file.as_posix()
    term_problems = terms.check_terms(term_file, shown_terms)
    return Ledger(store, tuple(changes), (*problems, *change_problems, *term_problems))
