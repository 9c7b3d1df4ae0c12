"""Read YAML files while remembering the line of every key and list item.

Dates stay strings (the validator checks them), duplicate keys are errors rather than "last
wins", and a syntax error becomes one `path:line: message` line instead of a traceback.

A file in the ledger's plain style is read here, line by line, without PyYAML; any other file,
and every file with a mistake, by `fullread` (PyYAML over libyaml), which defines what a file
means and words every message.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any


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


# Numbers are plain decimals. YAML 1.1 also reads 012 as octal (10) and 1:30 as base 60 (90), and
# a contributor who typed either meant something else: such values stay text, and the validator
# asks for plain digits. 1_000 is still a thousand.
_DECIMAL_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$")
_DECIMAL_FLOAT = re.compile(
    r"^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
_FLAT = 50  # deeper than this, the full reader decides (data files need about six levels)


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
    # The quick way first (see `_read_lines`): it takes a file only when it reads it exactly as
    # the full reader does, and leaves every problem to it.
    plain = _read_lines(text)
    if plain is not None:
        return plain, []
    from . import fullread  # PyYAML, imported only when a file needs it

    return fullread.read(text, display)


# --- the common case, read line by line -------------------------------------------------------
#
# The ledger's files are written in one plain style: block mappings and lists, one key or list
# item a line, values on the key's line (plain, quoted, or a small {key: value} or [a, b]) or
# folded below it with `>-`. For such a file, reading its lines directly gives the same data and
# the same line numbers as libyaml, several times faster than going through libyaml's events
# (each of which Python builds as an object with two position marks). Anything outside that
# style, however harmless, makes `_read_lines` give up (None) and the file is read by `fullread`:
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


# Plain values other than text, as the full reader (`fullread._Loader`: PyYAML's YAML 1.1 rules,
# with this project's own number patterns and without timestamps) resolves and constructs them,
# written out here so that reading a file in the plain style needs no PyYAML. A test compares both
# on every value either rule could take.
_BOOLS = {
    word: truth for truth, words in ((True, ("yes", "true", "on")), (False, ("no", "false", "off"))) for word in words
}
_BOOLS |= {variant: truth for word, truth in _BOOLS.items() for variant in (word.capitalize(), word.upper())}
_NULLS = ("", "~", "null", "Null", "NULL")
# A merge key, YAML's "value" tag, and its "yaml" tag (which a plain value cannot start with
# anyway): left to the full reader.
_NOT_PLAIN_VALUES = ("<<", "=", "!", "&", "*")
# The first characters (and '' for an empty value) some non-text value may start with: any other
# plain value is text, as the full reader's resolver would find after trying none.
_RESOLVABLE = frozenset(word[:1] for word in (*_BOOLS, *_NULLS, *_NOT_PLAIN_VALUES, *"-+0123456789."))
_INF = float("inf")
_NAN = -_INF / _INF  # as PyYAML makes it


def _plain_value(value: str) -> Any:
    """A plain value of one line, with the type and value the full reader gives it."""
    if value in _BOOLS:
        return _BOOLS[value]
    if value in _NULLS:
        return None
    if value in _NOT_PLAIN_VALUES:
        raise _NotPlain
    if _DECIMAL_INT.match(value):
        digits = value.replace("_", "")
        sign = -1 if digits[0] == "-" else 1
        if digits[0] in "+-":
            digits = digits[1:]
        return 0 if digits == "0" else sign * int(digits)  # over 4,300 digits: ValueError, full reader
    if _DECIMAL_FLOAT.match(value):
        digits = value.replace("_", "").lower()
        sign = -1 if digits[0] == "-" else 1
        if digits[0] in "+-":
            digits = digits[1:]
        if digits == ".inf":
            return sign * _INF
        if digits == ".nan":
            return _NAN
        return sign * float(digits)
    return value


# Plain values by their text, as `_plain_value` made them (texts included): a text gives the same
# value every time, and these values cannot be changed, so one object serves every repeat.
_PLAIN: dict[str, Any] = {}
_NOT_YET = object()


class _LineReader:
    def __init__(self, text: str) -> None:
        self.text = text
        self._lines: list[str] | None = None

    @property
    def lines(self) -> list[str]:
        """The file's lines, for the few values written over several of them."""
        if self._lines is None:
            self._lines = self.text.split("\n")
        return self._lines

    @staticmethod
    def scalar(value: str) -> Any:
        """A plain value, with the type the full reader gives it."""
        made = _PLAIN.get(value, _NOT_YET)
        if made is _NOT_YET:
            made = _plain_value(value) if value[:1] in _RESOLVABLE else value
            if len(_PLAIN) > 100_000:  # a long-running `mkdocs serve` sees many versions of files
                _PLAIN.clear()
            _PLAIN[value] = made
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
        scalar, inline, plain = self.scalar, self.inline, _PLAIN
        not_plain_start, resolvable = _NOT_PLAIN_START, _RESOLVABLE
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
                made = plain.get(value, _NOT_YET)
                if made is _NOT_YET:
                    made = scalar(value)
                container[key] = share(value, value) if made.__class__ is str else made
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
