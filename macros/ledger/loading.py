"""Read YAML files while remembering the line of every key and list item.

Dates stay strings (the validator checks them), duplicate keys are errors rather than "last
wins", and a syntax error becomes one `path:line: message` line instead of a traceback.
"""

from __future__ import annotations

import re
import unicodedata
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
    incomplete: bool = False  # (the file's top mapping) a key of it was dropped as a mistake


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


# Characters a reader of a message could not see or that would disorder the line (controls, line
# and paragraph separators, direction overrides, zero-width characters) are shown as escapes.
_ESCAPES = {c: repr(chr(c))[1:-1] for c in (*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029)}
_ESCAPES |= {c: f"\\u{c:04x}" for c in (*range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2060, 0x206A), 0xFEFF)}

# Characters no text of the ledger may hold: controls other than the line break (NUL, ESC and the
# like, which the chart renderer cannot draw and a browser shows as nothing), line and paragraph
# separators, direction overrides and isolates (which reorder what a reader sees), lone surrogates
# and the noncharacters (which cannot be written out as UTF-8 or XML).
FORBIDDEN = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]"
)


def describe_character(char: str) -> str:
    """A character named so a reader can find it: U+001B ESC, U+202E RIGHT-TO-LEFT OVERRIDE."""
    code = ord(char)
    name = {0: "NUL", 0x1B: "ESC", 0x09: "TAB", 0x0D: "CARRIAGE RETURN", 0x7F: "DELETE"}.get(code)
    if name is None:
        name = unicodedata.name(char, "a control character" if code < 0xA0 else "a noncharacter")
    return f"U+{code:04X} ({name})"


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


def load_yaml(path: Path, display: str) -> tuple[Any, list[Problem]]:
    """Parse one file; return its data (None on failure) and the problems found."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        return None, [Problem(display, 1, f"cannot read file ({error.strerror})")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        return None, [Problem(display, line, f"not UTF-8 text ({error.reason} at byte {error.start + 1})")]
    # The quick ways first (see `_read_lines`, `_read_plainly`); they take a file only when they
    # read it exactly as the full reader below does, and leave every problem to it.
    plain = _read_lines(text)
    if plain is not None:  # (nested at most _FLAT deep: the depth check below would pass)
        return plain, []
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
_FLAT = 50  # deeper than this, the full reader decides (data files need about six levels)


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


# --- the common case, read line by line -------------------------------------------------------
#
# The ledger's files are written in one plain style: block mappings and lists, one key or list
# item a line, values on the key's line (plain, quoted, or a small {key: value} or [a, b]) or
# folded below it with `>-`. For such a file, reading its lines directly gives the same data and
# the same line numbers as libyaml, several times faster than going through libyaml's events
# (each of which Python builds as an object with two position marks). Anything outside that
# style, however harmless, makes `_read_lines` give up (None) and the file is read by libyaml:
# it never guesses, so every message and every value stays libyaml's.

_KEY_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_]{0,100}):(?: +|$)")
# What may not start a plain value (YAML's indicators), and what may not appear in one inside
# [ ] or { }.
_NOT_PLAIN_START = frozenset("-?:,[]{}#&*!|>'\"%@` ")
_FLOW_PLAIN = re.compile(r"[^-?:,\[\]{}#&*!|>'\"%@` ][^:,\[\]{}#'\"]*")
_FLOW_ENTRY = re.compile(r" *([A-Za-z_][A-Za-z0-9_]{0,100}): +")
_BLOCK_HEADERS = {">-": (" ", ""), ">": (" ", "\n"), "|-": ("\n", ""), "|": ("\n", "\n")}


class _NotPlain(Exception):
    """The file leaves the plain style `_read_lines` reads."""


def _read_lines(text: str) -> Any:
    """The data of a file in the ledger's plain style, or None when it is not in that style."""
    if _may_need_scan(text) or "\ufeff" in text:  # escapes, tags, characters libyaml treats apart
        return None
    try:
        return _LineReader(text).read()
    except Exception:  # not in the plain style: libyaml reads it, and reports what is wrong
        return None


def _may_need_scan(text: str) -> bool:
    """Forbidden characters reach a value raw or through a backslash escape in a quoted scalar,
    and a tag starts with "!": a file with none of these needs no check value by value."""
    return "\\" in text or "!" in text or FORBIDDEN.search(text) is not None


class _Resolver(_Loader):
    """Tags and plain values as `_Loader` resolves and constructs them, for `_LineReader`, which
    parses nothing with libyaml. One is shared by every file: a plain value's tag depends on its
    text alone, so what one file resolved serves the next."""

    def __init__(self) -> None:
        super().__init__("")
        self.dispose()

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if len(self.resolved) > 100_000:  # a long-running `mkdocs serve` sees many versions of files
            self.resolved.clear()
        return super().resolve(kind, value, implicit)


_RESOLVER: _Resolver | None = None
# Numbers, true/false and nulls by their text, as `_LineReader.scalar` made them: a text gives the
# same value every time, and these values cannot be changed, so one object serves every repeat.
_CONSTRUCTED: dict[str, Any] = {}
_NOT_YET = object()


class _LineReader:
    def __init__(self, text: str) -> None:
        global _RESOLVER
        if _RESOLVER is None:
            _RESOLVER = _Resolver()
        self.loader = _RESOLVER
        self.text = text
        self.resolved = self.loader.resolved
        self._lines: list[str] | None = None

    @property
    def lines(self) -> list[str]:
        """The file's lines, for the few values written over several of them."""
        if self._lines is None:
            self._lines = self.text.split("\n")
        return self._lines

    def scalar(self, value: str) -> Any:
        """A plain value, with the type `_Loader` gives it."""
        known = _CONSTRUCTED.get(value, _NOT_YET)
        if known is not _NOT_YET:
            return known
        tag = self.resolved.get(value)
        if tag is None:
            tag = self.loader.resolve(_ScalarNode, value, (True, False)) if value[:1] in _RESOLVABLE else _STR
        if tag == _STR:
            return value
        construct = _PLAIN_KINDS.get(tag)
        if construct is None:
            raise _NotPlain
        made = construct(self.loader, _ScalarNode(tag, value, None, None, ""))
        if len(_CONSTRUCTED) > 100_000:  # as for `_Resolver.resolved`
            _CONSTRUCTED.clear()
        _CONSTRUCTED[value] = made
        return made

    def inline(self, rest: str, number: int) -> Any:
        """A value written on its key's or dash's line: `rest` starts with its first character."""
        first = rest[0]
        if first not in _NOT_PLAIN_START or (first == "-" and rest[1:2] in _DIGITS):
            cut = rest.find(" #")
            if cut >= 0:
                rest = rest[:cut]
            rest = rest.rstrip(" ")
            if ": " in rest or rest[-1] == ":":
                raise _NotPlain
            return self.scalar(rest)
        if first == "'" or first == '"':
            end = rest.find(first, 1)
            while first == "'" and end > 0 and rest[end + 1 : end + 2] == "'":  # '' stands for one quote
                end = rest.find("'", end + 2)
            if end < 0:
                raise _NotPlain
            _comment_or_nothing(rest[end + 1 :])
            value = rest[1:end]
            return value.replace("''", "'") if first == "'" else value
        if first == "{" or first == "[":
            close = "}" if first == "{" else "]"
            end = rest.find(close)
            if end < 0:
                raise _NotPlain
            _comment_or_nothing(rest[end + 1 :])
            inner = rest[1:end]
            if "{" in inner or "[" in inner:
                raise _NotPlain
            if first == "{":
                mapping = LineDict()
                mapping.line = number
                mapping.key_lines = {}
                if inner.strip(" "):
                    for entry in inner.split(","):
                        matched = _FLOW_ENTRY.match(entry)
                        if matched is None:
                            raise _NotPlain
                        key = matched.group(1)
                        if key in mapping:
                            raise _NotPlain
                        mapping.key_lines[key] = number
                        mapping[key] = self.flow_scalar(entry[matched.end() :])
                return mapping
            sequence = LineList(self.flow_scalar(item) for item in inner.split(",")) if inner.strip(" ") else LineList()
            sequence.line = number
            sequence.item_lines = [number] * len(sequence)
            return sequence
        raise _NotPlain

    def flow_scalar(self, text: str) -> Any:
        value = text.strip(" ")
        if not _FLOW_PLAIN.fullmatch(value):
            raise _NotPlain
        return self.scalar(value)

    def block(self, header: str, index: int, parent_indent: int) -> tuple[str, int]:
        """A folded (`>-`, `>`) or literal (`|-`, `|`) value in the plainest form: every line at
        one indent, no blank line within. Returns the text and the index of the next line."""
        joint, end = _BLOCK_HEADERS[header]
        lines = self.lines
        first = lines[index] if index < len(lines) else ""
        indent = len(first) - len(first.lstrip(" "))
        if indent <= parent_indent or not first.strip(" "):
            raise _NotPlain
        parts = []
        while index < len(lines):
            line = lines[index]
            stripped = line.lstrip(" ")
            if not stripped:
                if line:  # spaces alone: they may count as text in a block value
                    raise _NotPlain
                break
            own = len(line) - len(stripped)
            if own < indent:
                break
            if own > indent:  # a more indented line keeps its line break
                raise _NotPlain
            parts.append(stripped)
            index += 1
        after = index
        while after < len(lines) and not lines[after]:
            after += 1
        if after == len(lines) or lines[after].strip(" ") == "":
            # The file ends here (libyaml then drops the last line break or not by other rules),
            # or a line of spaces follows.
            if after < len(lines) or index == len(lines) or end:
                raise _NotPlain
        elif len(lines[after]) - len(lines[after].lstrip(" ")) >= indent:
            raise _NotPlain  # a blank line within the value
        return joint.join(parts) + end, index

    def read(self) -> Any:
        resolved, resolve, scalar, inline = self.resolved, self.loader.resolve, self.scalar, self.inline
        not_plain_start, resolvable, text_tag = _NOT_PLAIN_START, _RESOLVABLE, _STR
        texts: dict[str, str] = {}
        share = texts.setdefault
        root: LineDict | None = None
        # Open mappings and lists, innermost last: (indent, container, is a mapping).
        stack: list[tuple[int, Any, bool]] = []
        top_indent, is_mapping = -1, True
        container: Any = None
        pending: Any = None  # the mapping whose last key has its value on the lines below it
        key = ""
        skip = 0  # the lines up to this one belong to a value written over several lines
        # One (indent, dash, key, rest) a line, numbered from 1.
        for number, (spaces, dash, key_found, rest) in enumerate(_LINE_PARTS.findall(self.text), 1):
            if (not key_found and not dash and (not rest or rest[0] == "#")) or number <= skip:
                continue  # a blank line, a comment, or a line of a value read already
            indent = len(spaces)
            if pending is not None:
                if indent > top_indent:  # the value: a mapping or a list below the key
                    if len(stack) >= _FLAT:
                        raise _NotPlain
                    new: Any = LineList() if dash else LineDict()
                    new.line = number
                    if dash:
                        new.item_lines = []
                    else:
                        new.key_lines = {}
                    pending[key] = new
                    stack.append((top_indent, container, is_mapping))
                    top_indent, container, is_mapping = indent, new, not dash
                else:
                    pending[key] = None  # `key:` with nothing below it
                pending = None
            elif root is None:
                if indent or dash:
                    raise _NotPlain
                root = container = LineDict()
                root.line = number
                root.key_lines = {}
                top_indent = 0
            while top_indent > indent:
                if not stack:
                    raise _NotPlain
                top_indent, container, is_mapping = stack.pop()
            if top_indent != indent:
                raise _NotPlain
            if is_mapping:
                if dash or not key_found:
                    raise _NotPlain
            else:
                if not dash:
                    raise _NotPlain
                if not key_found:
                    if not rest or rest[0] == "#":
                        raise _NotPlain
                    container.append(inline(rest, number))
                    container.item_lines.append(number)
                    continue
                if len(stack) >= _FLAT:
                    raise _NotPlain
                item = LineDict()
                item.line = number
                item.key_lines = {}
                container.append(item)
                container.item_lines.append(number)
                stack.append((top_indent, container, False))
                top_indent, container, is_mapping = indent + len(dash), item, True
            key = share(key_found, key_found)
            if key in container:
                raise _NotPlain
            container.key_lines[key] = number
            if not rest:
                pending = container
                continue
            first = rest[0]
            if first not in not_plain_start and " #" not in rest and ": " not in rest:
                # The common case: a plain value, nothing after it (inlined `inline`).
                value = rest.rstrip(" ")
                if value[-1] == ":":
                    raise _NotPlain
                if first not in resolvable:
                    # Text (no implicit tag starts with this character). One object for each
                    # repeated text (a source id, a date, a tier): less memory, and less for the
                    # second process to hand back.
                    container[key] = share(value, value)
                    continue
                tag = resolved.get(value)
                if tag is None:
                    tag = resolve(_ScalarNode, value, (True, False))
                container[key] = share(value, value) if tag == text_tag else scalar(value)
            elif first == "#":
                pending = container
            elif first == ">" or first == "|":
                header = rest.split(" #", 1)[0].rstrip(" ")
                if header not in _BLOCK_HEADERS:
                    raise _NotPlain
                container[key], skip = self.block(header, number, top_indent)
            else:
                container[key] = inline(rest, number)
        if pending is not None:
            pending[key] = None
        return root


# Every line, split into its indent, a list item's dash and the spaces after it, a key, and the
# rest of the line (all but the indent may be empty).
_LINE_PARTS = re.compile(r"^( *)(- +|-$)?(?:([A-Za-z_][A-Za-z0-9_]{0,100}):(?: +|$))?(.*)$", re.M)
_DIGITS = frozenset("0123456789.")


def _comment_or_nothing(rest: str) -> None:
    """What follows a quoted or bracketed value on its line: nothing, or a comment."""
    if rest and (rest[0] != " " or (rest.strip(" ") and rest.lstrip(" ")[0] != "#")):
        raise _NotPlain
