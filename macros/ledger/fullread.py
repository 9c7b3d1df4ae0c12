"""The full reader: PyYAML over libyaml, for a file that `loading`'s line reader does not take.

A file outside the ledger's plain style (anchors, tags, escapes, unusual layout) and every file
with a mistake are read here, so that every message is PyYAML's own, made into one line. Imported
only when such a file comes: a ledger in the plain style is read without loading PyYAML at all.
"""

from __future__ import annotations

from typing import Any

import yaml

from .loading import (
    _DECIMAL_FLOAT,
    _DECIMAL_INT,
    _FLAT,
    FORBIDDEN,
    LineDict,
    LineList,
    Problem,
    _may_need_scan,
    describe_character,
)

try:  # libyaml is several times faster; the pure-Python loader behaves the same
    _Base: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Base = yaml.SafeLoader


_STR = "tag:yaml.org,2002:str"
_DEEP = 100  # lists and mappings nested deeper than this are refused; data files need about six
_CHEAP_BOUND = 5000  # below this bound on nesting, libyaml's recursive composer is safe


class _Unreadable(yaml.constructor.ConstructorError):
    """A value PyYAML parses but Python cannot hold; its message needs no "YAML syntax" prefix."""

    def __init__(self, problem: str, mark: Any) -> None:
        super().__init__(None, None, problem, mark)


_INT_TAG, _FLOAT_TAG = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"


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


_SEQ, _MAP, _MERGE = "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map", "tag:yaml.org,2002:merge"
_ScalarNode = yaml.ScalarNode
# Builtins that accept any two arguments, or none, and have no effect: see _Loader.__init__.
_ignore_two, _ignore_none = slice, tuple


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag


class _Loader(_Base):  # type: ignore[misc]
    yaml_implicit_resolvers = _resolvers()

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.key_problems: list[tuple[int, str]] = []
        self.resolved: dict[str, str] = {}
        self.root: Any = None
        self.incomplete = False  # a top-level key was dropped: what the file defines is not all there
        self.scan = _may_need_scan(stream)
        if not self.yaml_path_resolvers:
            # libyaml's composer calls these two for every node, and without path resolvers (this
            # loader has none) they do nothing: builtins that do nothing spare a Python call each.
            self.descend_resolver = _ignore_two
            self.ascend_resolver = _ignore_none

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        # The tag of a plain scalar depends on its text alone, and keys repeat on every record:
        # remembering them makes reading a large file markedly faster.
        if kind is _ScalarNode and implicit[0]:
            tag = self.resolved.get(value)
            if tag is None:
                if value[:1] not in _RESOLVABLE:  # no implicit tag starts with this character: text
                    return _STR
                tag = self.resolved[value] = super().resolve(kind, value, implicit)
            return tag
        return super().resolve(kind, value, implicit)

    def _explicit(self, node: Any) -> bool:
        """Was the node given a tag of its own (`!!int 012`, `!!set`)? Tags get round the rules
        for plain values and are never needed in the ledger."""
        if type(node) is yaml.ScalarNode:
            implied = self.resolve(yaml.ScalarNode, node.value, (True, False)) if not node.style else _STR
        else:
            implied = _SEQ if type(node) is yaml.SequenceNode else _MAP
        return bool(node.tag != implied)

    def _text(self, node: Any, what: str) -> str:
        """A plain text scalar, its characters checked when the file may hold forbidden ones."""
        value: str = node.value
        if self.scan:
            if not node.style and self._explicit(node):
                raise _Unreadable(self._tag_message(node), node.start_mark)
            bad = FORBIDDEN.search(value)
            if bad:
                line = node.start_mark.line + 1 + (value.count("\n", 0, bad.start()) if node.style == "|" else 0)
                self.key_problems.append((line, f"{what} holds {describe_character(bad.group())}; remove it"))
        return value

    @staticmethod
    def _tag_message(node: Any) -> str:
        return f"the YAML tag '{_short_tag(node.tag)}' is not allowed; write the value plainly, without a tag"

    def construct_document(self, node: Any) -> Any:
        self.root = node
        return super().construct_document(node)

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        if self._explicit(node):
            raise _Unreadable(self._tag_message(node), node.start_mark)
        return super().construct_object(node, deep=deep)

    def construct_value(self, node: Any, what: str = "a list item") -> Any:
        if node.tag == _STR and type(node) is yaml.ScalarNode:  # most values: no constructor call needed
            return self._text(node, what)
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
            if key_node.tag == _MERGE and not key_node.style:
                self.key_problems.append((line, "a merge key '<<' is not supported here; write the fields out in full"))
                self.incomplete |= node is self.root
                continue
            if key_node.tag != _STR and self._explicit(key_node):
                self.key_problems.append((line, f"a key: {self._tag_message(key_node)}"))
                continue
            # The key as written: `yes:` is the key 'yes', not True; `~:` is '~', not None.
            key = self._text(key_node, "a key") if self.scan else key_node.value
            if key in key_lines:
                self.key_problems.append((line, f"duplicate key '{key}' (first at line {key_lines[key]})"))
                self.incomplete |= node is self.root
                continue
            key_lines[key] = line
            if value_node.tag == _STR and type(value_node) is yaml.ScalarNode:  # inlined construct_value
                result[key] = self._text(value_node, f"field '{key}'") if self.scan else value_node.value
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


# The first characters (and '' for an empty value) of a plain scalar that some implicit tag may
# match: any other plain scalar is text, as PyYAML's own resolve would find after trying none.
_RESOLVABLE = frozenset(_Loader.yaml_implicit_resolvers)
assert None not in _RESOLVABLE, "a resolver for every first character would make every scalar resolvable"

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
    if problem == "did not find expected <document start>":
        # A list at the top of the file, then a key: the key line of the list is missing.
        first = next((n for n, text in enumerate(lines, 1) if text.strip() and not text.lstrip().startswith("#")), 1)
        if first < line and lines[first - 1].lstrip().startswith("- "):
            return Problem(
                path,
                first,
                "YAML syntax: a list starts here, without its key: is a line such as 'facts:' missing above it?",
            )
    if problem == "but found another document":
        return Problem(path, line, "a second YAML document ('---') starts here; a data file holds one document")
    if "\t" in problem or (0 < line <= len(lines) and lines[line - 1][:1] == "\t"):
        return Problem(path, line, "YAML syntax: a tab is used for indentation; indent with spaces")
    return Problem(path, line, f"YAML syntax: {problem}")


def read(text: str, display: str) -> tuple[Any, list[Problem]]:
    """Read a file's text with libyaml: from its events when it is ordinary, else with the full
    reader, which gives every mistake its own message. Returns its data (None on failure) and the
    problems found."""
    deep = _too_deep(text) if _nesting_bound(text) > _CHEAP_BOUND else 0
    if deep:
        return None, [Problem(display, deep, f"lists and mappings nested more than {_DEEP} deep")]
    loader = _Loader(text)
    try:
        read = _read_plainly(loader)
    finally:
        loader.dispose()
    if read is not None:
        data, key_problems = read
        return data, [Problem(display, line, message) for line, message in key_problems]
    loader = _Loader(text)
    try:
        data = loader.get_single_data()
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        char = describe_character(chr(error.character)) if isinstance(error.character, int) else "a character"
        return None, [Problem(display, line, f"the file holds {char}, which is not allowed; remove it")]
    except yaml.YAMLError as error:
        return None, [_syntax_problem(display, text, error)]
    except RecursionError:
        return None, [Problem(display, _too_deep(text) or 1, f"lists and mappings nested more than {_DEEP} deep")]
    finally:
        loader.dispose()
    if isinstance(data, LineDict) and loader.incomplete:
        data.incomplete = True
    problems = [Problem(display, line, message) for line, message in loader.key_problems]
    return data, problems


_ScalarEvent, _MappingStartEvent, _SequenceStartEvent = (
    yaml.ScalarEvent,
    yaml.MappingStartEvent,
    yaml.SequenceStartEvent,
)
_CollectionEndEvents = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
_Skipped = (yaml.StreamStartEvent, yaml.DocumentEndEvent)
# What a plain value other than text may be, and the constructor the full reader gives it.
_PLAIN_KINDS = {
    tag: _Loader.yaml_constructors[tag]
    for tag in (_INT_TAG, _FLOAT_TAG, "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null")
}


class _Unusual(Exception):
    """The file uses something `_read_plainly` leaves to the full reader."""


def _read_plainly(loader: _Loader) -> tuple[Any, list[tuple[int, str]]] | None:
    """Build the data of an ordinary file straight from libyaml's events, without composing a
    tree of nodes first and walking it: about half the time of `get_single_data`.

    An ordinary file is one document of mappings, lists and untagged values, without anchors,
    aliases, merge keys or repeated keys, nested at most _FLAT deep: the ledger's files. The
    result is then exactly what the full reader (`_Loader`'s constructors) gives, line numbers and
    problems included. For anything else, and for any error, None: the caller reads the file
    again with the full reader, which says what is wrong in its usual words. A file is never
    read half one way and half the other."""
    try:
        return _build_from_events(loader)
    except Exception:  # an error or an unusual file: the full reader sees it, and reports it
        return None


def _build_from_events(loader: _Loader) -> tuple[Any, list[tuple[int, str]]]:
    get = loader.get_event
    scan = loader.scan
    resolved = loader.resolved
    resolve = loader.resolve
    problems: list[tuple[int, str]] = []
    root: Any = None
    documents = 0
    # The open lists and mappings, innermost last; for a mapping, the key whose value comes next
    # (None while a key is awaited) and the line of each key.
    containers: list[Any] = []
    container: Any = None
    in_mapping = False
    key: str | None = None
    key_lines: dict[str, int] = {}
    lines: list[int] = []
    for event in iter(get, None):
        kind = type(event)
        if kind is _ScalarEvent:
            if event.anchor is not None or event.tag is not None:
                raise _Unusual
            value = event.value
            if in_mapping and key is None:  # a key, taken as written (`yes:` is the key 'yes')
                if value in key_lines or (value == "<<" and not event.style):
                    raise _Unusual
                line = event.start_mark.line + 1
                if scan:
                    bad = FORBIDDEN.search(value)
                    if bad:
                        problems.append((line, f"a key holds {describe_character(bad.group())}; remove it"))
                key = value
                key_lines[key] = line
                continue
            if event.implicit[0]:  # a plain value: its tag as `_Loader.resolve` finds it
                tag = resolved.get(value)
                if tag is None:
                    tag = resolve(_ScalarNode, value, event.implicit) if value[:1] in _RESOLVABLE else _STR
            else:
                tag = _STR
            if tag == _STR:
                if scan:
                    bad = FORBIDDEN.search(value)
                    if bad:
                        mark = event.start_mark
                        line = mark.line + 1 + (value.count("\n", 0, bad.start()) if event.style == "|" else 0)
                        what = "a list item" if not in_mapping else f"field '{key}'"
                        problems.append((line, f"{what} holds {describe_character(bad.group())}; remove it"))
            else:
                construct = _PLAIN_KINDS.get(tag)
                if construct is None:
                    raise _Unusual
                value = construct(loader, _ScalarNode(tag, value, event.start_mark, event.end_mark, event.style))
            if container is None:  # a file that is one value: rare enough to leave to the full reader
                raise _Unusual
            if in_mapping:
                container[key] = value
                key = None
            else:
                container.append(value)
                lines.append(event.start_mark.line + 1)
        elif kind is _MappingStartEvent or kind is _SequenceStartEvent:
            if event.anchor is not None or event.tag is not None or len(containers) >= _FLAT:
                raise _Unusual
            line = event.start_mark.line + 1
            new: Any
            if kind is _MappingStartEvent:
                new = LineDict()
                new.key_lines = {}
            else:
                new = LineList()
                new.item_lines = []
            new.line = line
            if container is None:
                if root is not None:
                    raise _Unusual
                root = new
            elif in_mapping:
                if key is None:  # a list or mapping as a key
                    raise _Unusual
                container[key] = new
            else:
                container.append(new)
                lines.append(line)
            if container is not None:
                containers.append((container, in_mapping, key, key_lines, lines))
            container = new
            in_mapping = kind is _MappingStartEvent
            key = None
            if in_mapping:
                key_lines = new.key_lines
            else:
                lines = new.item_lines
        elif kind in _CollectionEndEvents:
            if containers:
                container, in_mapping, key, key_lines, lines = containers.pop()
                key = None
            else:
                container = None
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise _Unusual
        elif kind is yaml.StreamEndEvent:
            break
        elif kind not in _Skipped:  # an alias
            raise _Unusual
    return root, problems


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
