"""Entry file for MkDocs hooks (`hooks:` in mkdocs.yml); everything is in mkdocs.py."""

from macros.adapters.mkdocs import (
    on_config,
    on_env,
    on_files,
    on_page_content,
    on_page_context,
    on_page_markdown,
    on_post_build,
    on_post_page,
    on_pre_build,
    on_serve,
    on_startup,
)

__all__ = [
    "on_config",
    "on_env",
    "on_files",
    "on_page_content",
    "on_page_context",
    "on_page_markdown",
    "on_post_build",
    "on_post_page",
    "on_pre_build",
    "on_serve",
    "on_startup",
]
