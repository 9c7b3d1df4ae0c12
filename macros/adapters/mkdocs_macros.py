"""Entry file for mkdocs-macros (`module_name` in mkdocs.yml); everything is in mkdocs.py."""

from macros.adapters.mkdocs import define_env, on_pre_page_macros
from macros.adapters.mkdocs import macros_post_build as on_post_build

__all__ = ["define_env", "on_post_build", "on_pre_page_macros"]
