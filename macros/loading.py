"""Read YAML files while remembering the line of every key and list item.

Dates stay strings (the validator checks them), duplicate keys are errors rather than "last
wins", and a syntax error becomes one `path:line: message` line instead of a traceback.
"""

from __future__ import annotations

import re
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
        # A key or value quoted in a message may hold a line break: shown escaped, it stays one line.
        return f"{self.path}:{self.line}: {self.message}".translate(_ESCAPES)


_ESCAPES = {c: repr(chr(c))[1:-1] for c in (*range(0x20), 0x7F, 0x85, 0x2028, 0x2029)}


_STR = "tag:yaml.org,2002:str"
_DEEP = 100  # lists and mappings nested deeper than this are refused; data files need about six
_CHEAP_BOUND = 5000  # below this bound on nesting, libyaml's recursive composer is safe


class _Unreadable(yaml.constructor.ConstructorError):
    """A value PyYAML parses but Python cannot hold; its message needs no "YAML syntax" prefix."""

    def __init__(self, problem: str, mark: Any) -> None:
        super().__init__(None, None, problem, mark)


_INT_TAG, _FLOAT_TAG = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
# Numbers are plain decimals. YAML 1.1 also reads 012 as octal (10) and 1:30 as base 60 (90), and
# a contributor who typed either meant something else: such values stay text, and the validator
# asks for plain digits. 1_000 is still a thousand.
_DECIMAL_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$")
_DECIMAL_FLOAT = re.compile(
    r"^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)


def _resolvers() -> dict[str, list[tuple[str, Any]]]:
    # Timestamps are left as strings so that "2025-02-30" reaches the validator, which says
    # what is wrong with it, instead of the YAML layer raising on it.
    table = {
        first: [(tag, rx) for tag, rx in resolvers if tag not in ("tag:yaml.org,2002:timestamp", _INT_TAG, _FLOAT_TAG)]
        for first, resolvers in _Base.yaml_implicit_resolvers.items()
    }
    for tag, rx, firsts in ((_INT_TAG, _DECIMAL_INT, "-+0123456789"), (_FLOAT_TAG, _DECIMAL_FLOAT, "-+0123456789.")):
        for first in firsts:
            table.setdefault(first, []).append((tag, rx))
    return table


class _Loader(_Base):  # type: ignore[misc]
    yaml_implicit_resolvers = _resolvers()

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.key_problems: list[tuple[int, str]] = []
        self.resolved: dict[str, str] = {}

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        # The tag of a plain scalar depends on its text alone, and keys repeat on every record:
        # remembering them makes reading a large file markedly faster.
        if kind is not yaml.ScalarNode or not implicit[0]:
            return super().resolve(kind, value, implicit)
        tag = self.resolved.get(value)
        if tag is None:
            tag = self.resolved[value] = super().resolve(kind, value, implicit)
        return tag

    def construct_value(self, node: Any) -> Any:
        if node.tag == _STR and type(node) is yaml.ScalarNode:  # most values: no constructor call needed
            return node.value
        return self.construct_object(node, deep=True)

    def construct_mapping(self, node: Any, deep: bool = False) -> LineDict:
        result = LineDict()
        result.line = node.start_mark.line + 1
        key_lines: dict[str, int] = {}
        result.key_lines = key_lines
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if type(key_node) is not yaml.ScalarNode:
                # A list or mapping as a key is never meant, and spelling out a huge one would hang.
                self.key_problems.append((line, "a key must be plain text, not a list or mapping"))
                continue
            key = key_node.value if key_node.tag == _STR else str(self.construct_object(key_node, deep=True))
            if key in key_lines:
                self.key_problems.append((line, f"duplicate key '{key}' (first at line {key_lines[key]})"))
                continue
            key_lines[key] = line
            if value_node.tag == _STR and type(value_node) is yaml.ScalarNode:  # inlined construct_value
                result[key] = value_node.value
            else:
                result[key] = self.construct_object(value_node, deep=True)
        return result

    def construct_yaml_int(self, node: Any) -> Any:
        try:
            return super().construct_yaml_int(node)
        except ValueError:  # Python refuses to read integers of more than 4300 digits
            raise _Unreadable(f"a number of {len(node.value)} digits is too long to read", node.start_mark) from None

    def construct_sequence(self, node: Any, deep: bool = False) -> LineList:
        result = LineList(self.construct_value(child) for child in node.value)
        result.line = node.start_mark.line + 1
        result.item_lines = [child.start_mark.line + 1 for child in node.value]
        return result


_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_sequence)


def _syntax_problem(path: str, text: str, error: yaml.YAMLError) -> Problem:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line = mark.line + 1 if mark is not None else 1
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    if isinstance(error, _Unreadable):
        return Problem(path, line, problem)
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
    deep = _too_deep(text) if _nesting_bound(text) > _CHEAP_BOUND else 0
    if deep:
        return None, [Problem(display, deep, f"lists and mappings nested more than {_DEEP} deep")]
    loader = _Loader(text)
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as error:
        return None, [_syntax_problem(display, text, error)]
    except RecursionError:
        return None, [Problem(display, _too_deep(text) or 1, f"lists and mappings nested more than {_DEEP} deep")]
    finally:
        loader.dispose()
    problems = [Problem(display, line, message) for line, message in loader.key_problems]
    return data, problems


def _nesting_bound(text: str) -> int:
    """An upper bound on how deep lists and mappings nest, cheap to compute: each level needs a
    bracket or at least two more columns on a line."""
    longest = max(map(len, text.split("\n")))
    return text.count("[") + text.count("{") + 2 * longest + 2


def _too_deep(text: str) -> int:
    """The line where lists and mappings nest deeper than _DEEP, or 0. libyaml's composer recurses
    in C and crashes the interpreter on a file nested tens of thousands deep; its parser does not."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Base):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > _DEEP:
                    return event.start_mark.line + 1 if event.start_mark else 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        pass  # the real read reports it
    return 0
