"""The engine-neutral core: Markdown and HTML for pages, made from the ledger by the pages' macro calls."""
