"""The briefing book's fact pipeline: load and validate data/, render facts, check the built site.

Loading and validation know nothing of MkDocs; rendering is plain functions from records to
Markdown strings; `glue.py` is the only file that talks to mkdocs-macros.
"""
