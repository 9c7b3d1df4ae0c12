"""Debian's chromium, as the project runs it headless: for the printed edition, the browser tests
and the Lighthouse benchmark, with one set of switches.

Chromium's own background traffic is switched off: the machines we build on have no network for it.
"""

from __future__ import annotations

import os

PATH = os.environ.get("CHROMIUM", "/usr/bin/chromium")
HEADLESS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
