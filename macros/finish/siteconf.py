"""What the steps after the engine need from `mkdocs.yml`, read without any engine: the site's
name, description and address, and the pages of the navigation in order.

`!ENV [NAME, default]` is resolved as MkDocs resolves it; any other tag (`!!python/name:` …) is
read as nothing, since none of the values read here use one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

# Where the site is published when SITE_URL does not say otherwise (mkdocs.yml repeats it).
DEFAULT_SITE_URL = "https://sora2-briefing.github.io/briefing-book/"


class _Loader(yaml.SafeLoader):
    pass


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    else:
        items = loader.construct_sequence(node)  # type: ignore[arg-type]
        names, default = items[:-1], items[-1]
    for name in names:
        if isinstance(name, str) and name in os.environ:
            return yaml.safe_load(os.environ[name])
    return default


def _anything(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


_Loader.add_constructor("!ENV", _env)
_Loader.add_multi_constructor("!", _anything)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _anything)


@dataclass(frozen=True)
class NavPage:
    title: str
    src: str  # the Markdown file, relative to docs/ ("technology.md")
    url: str  # the built page's address relative to the site root ("technology/", "" for the home)


@dataclass(frozen=True)
class SiteConf:
    name: str
    description: str
    url: str  # always ends in "/"
    repo_url: str | None
    nav: tuple[NavPage, ...]
    language: str = "en"  # the edition's language: en, or zh (theme.language)


def page_url(src: str) -> str:
    """The directory URL of a Markdown file: "technology.md" → "technology/", "index.md" → ""."""
    stem = src[: -len(".md")] if src.endswith(".md") else src
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def _walk(items: Any, out: list[NavPage]) -> None:
    for item in items or []:
        if isinstance(item, str):
            out.append(NavPage(item, item, page_url(item)))
        elif isinstance(item, dict):
            for title, value in item.items():
                if isinstance(value, str):
                    if "://" not in value:
                        out.append(NavPage(str(title), value, page_url(value)))
                else:
                    _walk(value, out)


def _read(config_file: Path) -> dict[str, Any]:
    """The configuration, with what it INHERITs from a parent file (its own keys win)."""
    data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_Loader) or {}
    parent = data.pop("INHERIT", None)
    if isinstance(parent, str):
        return {**_read(config_file.parent / parent), **data}
    return dict(data)


def load(config_file: Path) -> SiteConf:
    data = _read(config_file)
    url = str(data.get("site_url") or os.environ.get("SITE_URL") or DEFAULT_SITE_URL)
    nav: list[NavPage] = []
    _walk(data.get("nav"), nav)
    return SiteConf(
        name=str(data.get("site_name", "")),
        description=" ".join(str(data.get("site_description", "")).split()),
        url=url if url.endswith("/") else url + "/",
        repo_url=data.get("repo_url"),
        nav=tuple(nav),
        language="zh" if str((data.get("theme") or {}).get("language", "en")).startswith("zh") else "en",
    )
