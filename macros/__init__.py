"""The briefing book's fact pipeline: load and validate data/, render facts, check the built site.

`ledger/` reads the data and knows no engine; `core/` makes pages from it with plain functions
from records to Markdown; `finish/` works over a built site; `adapters/` holds the only code that
imports MkDocs or Zensical. `sidecar.py` is the second process a MkDocs build works beside.
"""
