"""Entry file for Zensical's macros extension (`module_name` in zensical.yml); see zensical.py."""

from macros.adapters.zensical import define_env

__all__ = ["define_env"]
