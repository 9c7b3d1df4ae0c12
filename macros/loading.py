"""Read YAML files while remembering the line of every key and list item.

Dates stay strings (the validator checks them), duplicate keys are errors rather than "last
wins", and a syntax error becomes one `path:line: message` line instead of a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

try:  # libyaml is several times faster; the pure-Python loader behaves the same
    _Base: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Base = yaml.SafeLoader


class LineDict(dict[str, Any]):
    """A mapping that knows its own line and the line of each key (1-based)."""

    line: int
    key_lines: dict[str, int]


class LineList(list[Any]):
    """A sequence that knows its own line and the line of each item (1-based)."""

    line: int
    item_lines: list[int]


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class _Loader(_Base):  # type: ignore[misc]
    # Timestamps are left as strings so that "2025-02-30" reaches the validator, which says
    # what is wrong with it, instead of the YAML layer raising on it.
    yaml_implicit_resolvers = {  # noqa: RUF012 - PyYAML's own class-level table
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in _Base.yaml_implicit_resolvers.items()
    }

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicate_keys: list[tuple[int, str]] = []

    def construct_mapping(self, node: Any, deep: bool = False) -> LineDict:
        result = LineDict()
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                key = str(key)
            line = key_node.start_mark.line + 1
            if key in result.key_lines:
                self.duplicate_keys.append((line, f"duplicate key '{key}' (first at line {result.key_lines[key]})"))
                continue
            result.key_lines[key] = line
            result[key] = self.construct_object(value_node, deep=True)
        return result

    def construct_sequence(self, node: Any, deep: bool = False) -> LineList:
        result = LineList(self.construct_object(child, deep=True) for child in node.value)
        result.line = node.start_mark.line + 1
        result.item_lines = [child.start_mark.line + 1 for child in node.value]
        return result


_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_sequence)


def _syntax_problem(path: str, text: str, error: yaml.YAMLError) -> Problem:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line = mark.line + 1 if mark is not None else 1
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    lines = text.splitlines()
    if "\t" in problem or (0 < line <= len(lines) and lines[line - 1][:1] == "\t"):
        return Problem(path, line, "YAML syntax: a tab is used for indentation; indent with spaces")
    return Problem(path, line, f"YAML syntax: {problem}")


def load_yaml(path: Path, display: str) -> tuple[Any, list[Problem]]:
    """Parse one file; return its data (None on failure) and the problems found."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        return None, [Problem(display, 1, f"not UTF-8 text ({error.reason})")]
    except OSError as error:
        return None, [Problem(display, 1, f"cannot read file ({error.strerror})")]
    loader = _Loader(text)
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as error:
        return None, [_syntax_problem(display, text, error)]
    finally:
        loader.dispose()
    problems = [Problem(display, line, message) for line, message in loader.duplicate_keys]
    return data, problems
