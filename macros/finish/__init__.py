"""What runs over a built site, after any engine: the downloads, the feed, link previews and
redirects, Chinese words in the search index, and the site checks. `finish()` is the one step;
MkDocs runs it after its last page (adapters/mkdocs.py), and `python -m macros finish SITE` runs it
after any other engine.
"""

from __future__ import annotations

from pathlib import Path

from ..ledger import Ledger


def finish(site_dir: Path, config_file: Path, ledger: Ledger) -> list[str]:
    """Write what the pages link to and check the site; one line per problem."""
    from ..sidecar import SIDECAR, SidecarError
    from . import checks, downloads, publish, siteconf

    # The search index is cut into words in the build's second process, if it runs (sidecar.py),
    # while this one finishes and checks the pages, which do not read it. (The downloads are written
    # here: there, a second copy of the ledger would cost more memory than the time it saves.)
    segmenting = SIDECAR.submit("macros.finish.search:segment_index", site_dir, config_file.parent / "data")
    downloads.write_downloads(ledger.store, site_dir)
    problems = publish.finish_site(site_dir, config_file, ledger.store, ledger.changes)
    found = checks.check_site(site_dir, ledger.store.name_strings())
    try:
        segmenting.result()
    except (SidecarError, OSError, ValueError) as error:
        problems.append(f"the search index could not be cut into words: {error}")
    # Another edition's pages are named from the whole site's root: "zh/index.html".
    language = siteconf.load(config_file).language
    edition = "" if language == "en" else f"{language}/"
    return problems + [edition + line for line in found]
