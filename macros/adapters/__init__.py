"""The only code that knows a site generator: MkDocs (with mkdocs-macros) and Zensical, and the build driver."""
