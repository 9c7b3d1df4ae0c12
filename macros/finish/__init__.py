"""What runs over a built site, after any engine: the downloads, the feed, link previews and
redirects, Chinese words in the search index, and the site checks. `finish()` is the one step;
MkDocs runs it after its last page (adapters/mkdocs.py), and `python -m macros finish SITE` runs it
after any other engine.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # not imported at run time: the build's second process checks pages without the ledger
    from ..ledger import Ledger


def finish(site_dir: Path, config_file: Path, ledger: Ledger) -> list[str]:
    """Write what the pages link to and check the site; one line per problem."""
    from . import checks, downloads, publish, search, siteconf

    # Here rather than in the build's second process (sidecar.py): the downloads there would need a
    # second copy of the ledger, and the search index's words a second copy of jieba's dictionary,
    # which the theme's search plugin has loaded here already; each takes a tenth of a second.
    downloads.write_downloads(ledger.store, site_dir)
    problems = publish.finish_site(site_dir, config_file, ledger.store, ledger.changes)
    search.segment_index(site_dir, config_file.parent / "data")
    found = checks.check_site(site_dir, ledger.store.name_strings())
    # Another edition's pages are named from the whole site's root: "zh/index.html".
    language = siteconf.load(config_file).language
    edition = "" if language == "en" else f"{language}/"
    return problems + [edition + line for line in found]
