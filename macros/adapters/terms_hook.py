"""MkDocs hook: data/search-terms.txt is checked before the search plugin reads it.

Material's search plugin loads the file into jieba as soon as the configuration is read, before
any page or macro, and a line it cannot read ends the build with a traceback. This hook runs
first and stops the build with one line per problem instead, under plain `mkdocs build` and
`mkdocs serve` as under `make build` and `make check`.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

log = logging.getLogger("mkdocs.plugins.briefing")


@event_priority(100)  # before the search plugin reads the file
def on_config(config: Any) -> Any:
    project = Path(config.config_file_path).parent
    if str(project) not in sys.path:
        sys.path.insert(0, str(project))
    from macros.ledger import terms

    problems = terms.check_terms(project / "data" / terms.NAME, f"data/{terms.NAME}")
    for problem in problems:
        log.error(str(problem))
    if problems:
        raise PluginError(f"{len(problems)} problem(s) in data/{terms.NAME} (listed above); the site was not built")
    return config
