"""The one reading path of the tool's input files: bounded reading, then YAML or JSON with line numbers.

Every file a command reads (profiles, answers, sessions, rules) goes through `read_bytes`: only regular
files, at most a limit of bytes. Every failure is an InputError naming the file, the line and a fix.

PyYAML follows YAML 1.1, where `NO` (Norway), `on`, `off`, `yes` and `no` are booleans and `0123` is
octal. Our loader reads a plain value as a number only when it is written in decimal digits (`2015`,
`-3`, `2.5`); `true`/`false` as booleans; `~`, `null` or nothing as null; everything else is text, and
pydantic decides what it means for each field. Explicit tags are checked like plain values (`!!int x`
is refused, not a crash); other tags, complex keys, duplicate keys, anchors and aliases (the "billion
laughs" bomb), numbers of more than MAX_DIGITS digits, deep nesting and oversized files are refused.
`parse_plain_yaml` reads the same documents with yaml-rs, many times faster, where it reads them alike.
"""

from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Callable

import yaml

from advisor.errors import InputError, Problem, display_path

try:  # libyaml's C parser is several times faster; same safe semantics.
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader

try:
    import yaml_rs
except ImportError:  # pragma: no cover - an optional speed-up
    yaml_rs = None

MAX_FILE_BYTES = 5 * 1024 * 1024
STANDARD_INPUT = "<stdin>"  # how standard input is named in messages and results
MAX_DEPTH = 50  # levels of lists and mappings inside one another
MAX_DIGITS = 100  # digits of a number: no field needs more, and Python refuses ints of more than 4,300

Path_ = tuple  # a path inside a document: ("collaborations", 0, "stage")

_TAG = "tag:yaml.org,2002:"
# The plain values read as something other than text, and what an explicitly tagged value must look like.
_SCALARS = {
    "null": (re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]),
    "bool": (re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")),
    "int": (re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")),
    "float": (re.compile(r"^[-+]?(?:0|[1-9][0-9]*)\.[0-9]+$"), list("-+0123456789")),
}
_WRITTEN = {"null": "nothing, ~ or null", "bool": "true or false", "int": "a whole number in decimal digits",
            "float": "a number in decimal digits, such as 2.5"}


class StrictLoader(_BaseLoader):
    """Safe loader reading plain values as `_SCALARS` says: no yes/no/on/off booleans, no octal, no dates."""


StrictLoader.yaml_implicit_resolvers = {}
for _name, (_pattern, _first) in _SCALARS.items():
    StrictLoader.add_implicit_resolver(_TAG + _name, _pattern, _first)

@dataclass
class Document:
    """A parsed YAML/JSON document and the line of every key and item in it."""

    path: str
    data: Any
    lines: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def where(self, at: Path_) -> tuple[int | None, int | None]:
        """Line and column (1-based) of `at`, or of its nearest known parent."""
        at = tuple(at)
        while at:
            if at in self.lines:
                return self.lines[at]
            at = at[:-1]
        return self.lines.get((), (None, None))


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _index_lines(path: str, node: yaml.Node) -> dict[Path_, tuple[int, int]]:
    """Map every key/item path to its position, after `_check_node` on every node."""
    lines: dict[Path_, tuple[int, int]] = {(): _mark(node)}
    seen: set[int] = set()
    stack = [((), node, 0)]
    while stack:
        at, current, depth = stack.pop()
        if id(current) in seen:
            _refuse(path, current, "anchors and aliases (&name, *name) are not allowed here",
                    "write the value out in full")
        seen.add(id(current))
        _check_node(path, current, depth)
        if isinstance(current, yaml.MappingNode):
            keys: dict[Any, int] = {}
            for key_node, value_node in current.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    _refuse(path, key_node, "a key must be a word or a text, not a list or a mapping",
                            "write the key as plain text (no `?` before it, no brackets around it)", "complex-key")
                _check_node(path, key_node, depth + 1)  # a key is a value too: `!!int x:` is refused like one
                key = key_node.value
                line, col = _mark(key_node)
                if key in keys:
                    _refuse(path, key_node, f"key '{key}' appears twice (first on line {keys[key]})",
                            "keep only one of them", "duplicate-key")
                keys[key] = line
                lines[at + (key,)] = (line, col)
                stack.append((at + (key,), value_node, depth + 1))
        elif isinstance(current, yaml.SequenceNode):
            for i, item in enumerate(current.value):
                lines[at + (i,)] = _mark(item)
                stack.append((at + (i,), item, depth + 1))
    return lines


def _check_node(path: str, node: yaml.Node, depth: int) -> None:
    """Refuse a node the loader would not read as `_SCALARS` says: nested too deeply, a tag of another kind
    (`!!timestamp`, `!!set`, `!!python/...`), a tagged value not written as its tag requires, too many digits."""
    kind = node.tag.removeprefix(_TAG)
    tag = f"!!{kind}" if node.tag.startswith(_TAG) else node.tag  # as written
    if not isinstance(node, yaml.ScalarNode):
        if depth >= MAX_DEPTH:
            _refuse(path, node, f"nested more than {MAX_DEPTH} levels deep", "flatten the document")
        if kind != ("map" if isinstance(node, yaml.MappingNode) else "seq"):
            _refuse(path, node, f"the tag {tag} is not allowed here", "remove the tag")
        return
    if kind == "str":
        return
    if kind not in _SCALARS:
        _refuse(path, node, f"the tag {tag} is not allowed here", "remove the tag: write the value as text")
    value = node.value
    if not (_SCALARS[kind][0].match(value) or kind == "float" and _SCALARS["int"][0].match(value)):
        shown = value if len(value) <= 40 else value[:40] + "..."
        _refuse(path, node, f"'{shown}' is tagged !!{kind} but is not {_WRITTEN[kind]}",
                f"write {_WRITTEN[kind]}, or remove the tag `!!{kind}`")
    digits = len(value.lstrip("+-").partition(".")[0]) if kind in ("int", "float") else 0
    if digits > MAX_DIGITS:
        _refuse(path, node, f"holds a number of {digits:,} digits", f"write a number of at most {MAX_DIGITS} digits "
                "(no answer needs more)", "number-too-long")


def _refuse(path: str, node: yaml.Node, message: str, fix: str, code: str = "unsafe-yaml"):
    line, col = _mark(node)
    raise InputError(Problem(display_path(path), message, line, col, fix=fix, code=code))


def read_bytes(path: str | Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """A regular file's bytes, never more than `limit` read; InputError for a folder, a named pipe, a socket or
    a device (a pipe waits for a writer, /dev/zero never ends), a file over the limit, one that cannot be read."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a named pipe opens without waiting for a writer
        try:
            mode, size = (info := os.fstat(fd)).st_mode, info.st_size
            if stat.S_ISDIR(mode):
                raise InputError(Problem(display_path(path), "is a folder", fix="name a file"))
            if not stat.S_ISREG(mode):
                raise InputError(Problem(display_path(path), "is not a regular file (a named pipe, a socket or a "
                                         "device): not read", fix="use a regular file holding the text"))
            if size > limit:
                raise _too_big(display_path(path), f"{size:,} bytes", limit)
            chunks, left = [], limit + 1  # a file growing while it is read stops at the limit too
            while left > 0 and (chunk := os.read(fd, min(left, 1 << 20))):
                chunks.append(chunk)
                left -= len(chunk)
        finally:
            os.close(fd)
    except OSError as error:
        raise InputError(Problem(display_path(path), f"cannot be read: {error.strerror or error}",
                                 fix="check the path and its permissions")) from None
    if left <= 0:
        raise _too_big(display_path(path), f"more than {limit:,} bytes", limit)
    return b"".join(chunks)


def read_standard_input(stream: BinaryIO) -> str:
    """Standard input's text (a profile piped in: `-` as the file name), with the checks of a file."""
    data = stream.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise _too_big(STANDARD_INPUT, f"more than {MAX_FILE_BYTES:,} bytes", MAX_FILE_BYTES)
    return decode_text(data, lambda: STANDARD_INPUT)


def _too_big(shown: str, what: str, limit: int) -> InputError:
    return InputError(Problem(shown, f"is {what}; the limit is {limit:,}", fix="split it into smaller files"))


def decode_text(data: bytes, shown: Callable[[], str]) -> str:
    """Bytes as UTF-8 text, a byte order mark (Windows editors write one) skipped; `shown()` names them in the error."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(Problem(shown(), f"is not UTF-8 text (byte {error.start})", fix="save it as UTF-8")) from None


def parse_yaml(text: str, path: str = "<input>") -> Document:
    """Parse one YAML document (JSON is YAML too) into data and a line index."""
    shown = path if path in ("<input>", STANDARD_INPUT) else display_path(path)
    try:
        loader = StrictLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return Document(shown, None, {})
            lines = _index_lines(shown, node)
            data = loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        what = error.problem or "cannot be parsed"
        at = _character_at(text, line, col)
        raise InputError(Problem(shown, f"YAML syntax error: {what}", line, col, fix=_syntax_fix(what, at),
                                 code="yaml-syntax")) from None
    except yaml.YAMLError as error:
        raise InputError(Problem(shown, f"YAML error: {error}", code="yaml-syntax")) from None
    except RecursionError:
        raise too_deep(shown) from None
    return Document(shown, data, lines)


def _character_at(text: str, line: int | None, column: int | None) -> str:
    """The character at a 1-based line and column ("" where there is none)."""
    if not line or not column:
        return ""
    rows = text.splitlines()
    row = rows[line - 1] if line <= len(rows) else ""
    return row[column - 1] if column <= len(row) else ""


def _syntax_fix(problem: str, at: str) -> str:
    """The fix for a YAML syntax error, in the terms of someone editing by hand (`at`: the character it is on)."""
    if at == "\t" or "tab character" in problem:
        return "indent with spaces, not tabs"
    if problem.startswith("mapping values are not allowed"):
        return 'put the text in quotes: a ": " inside it reads as a new field (e.g. title: "Note: this")'
    if at in ("@", "`"):
        return f'put the text in quotes: YAML keeps "{at}" at the start of a value for itself'
    return "check indentation and quoting around this line"


class _DuplicateKey(ValueError):
    """A JSON object with the same key twice (`json.loads` would silently keep the last one)."""


class _LongNumber(ValueError):
    """A JSON integer of more than MAX_DIGITS digits (Python refuses to read more than 4,300)."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data = dict(pairs)
    if len(data) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return data


def _integer(digits: str) -> int:
    if len(digits) - digits.startswith("-") > MAX_DIGITS:
        raise _LongNumber(digits)
    return int(digits)


_JSON_NESTING = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _too_deep_at(text: str) -> int | None:
    """Where (an offset) valid JSON text nests more than MAX_DEPTH levels, or None."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:  # the common case, found at C speed
        return None
    depth = 0
    for token in _JSON_NESTING.finditer(text):
        bracket = token.group()
        depth += 1 if bracket in "[{" else -1 if bracket in "]}" else 0
        if depth > MAX_DEPTH:
            return token.start()
    return None


def parse_json(text: str, shown: str, line: int | None = None) -> Document:
    """A JSON document (a file's text; or, given its `line`, one line of a JSON Lines file) with the checks of
    `parse_yaml`; no line index (`parse_yaml` of the same text finds it when a message needs it)."""
    def line_of(offset: int) -> int:
        return line if line is not None else text.count("\n", 0, max(offset, 0)) + 1

    try:
        data = json.loads(text, object_pairs_hook=_unique_keys, parse_int=_integer)
    except _DuplicateKey as error:
        if line is None:
            parse_yaml(text, shown)  # JSON is YAML: the strict loader names the line of the second key
        raise InputError(Problem(shown, f"key '{error}' appears twice in one object", line,
                                 fix="keep only one of them", code="duplicate-key")) from None
    except _LongNumber as error:
        digits = str(error)
        raise InputError(Problem(shown, f"holds a number of {len(digits.lstrip('-')):,} digits",
                                 line_of(text.find(digits)), code="number-too-long",
                                 fix=f"write a number of at most {MAX_DIGITS} digits (no answer needs more)")) from None
    except json.JSONDecodeError as error:
        if line is not None:
            raise InputError(Problem(shown, f"JSON syntax error: {error.msg} (column {error.colno})", line,
                                     fix="each line must hold one complete JSON object")) from None
        raise InputError(Problem(shown, f"JSON syntax error: {error.msg}", error.lineno, error.colno,
                                 fix="check commas, quotes and brackets around this position")) from None
    except RecursionError:
        raise too_deep(shown, line) from None
    deep = _too_deep_at(text)
    if deep is not None:
        raise InputError(Problem(shown, f"nested more than {MAX_DEPTH} levels deep", line_of(deep),
                                 fix="flatten the document", code="unsafe-yaml"))
    return Document(shown, data, {(): (line, None)} if line is not None else {})


def too_deep(shown: str, line: int | None = None) -> InputError:
    """The error for a document nested too deeply for the parser (a hostile or broken file)."""
    return InputError(Problem(shown, "nested too deeply to read", line, fix="flatten the document", code="unsafe-yaml"))


# Where yaml-rs (YAML 1.2, with extensions) and the strict loader could read a plain document differently.
_NOT_PLAIN = re.compile("|".join((
    r"[&*!%?]|^(?:---|\.\.\.)",  # anchors, aliases, tags, directives, complex keys (a ? anywhere), markers
    r"[\\\t]",  # escapes in quotes, tabs
    # characters PyYAML refuses (controls) or reads as line breaks (YAML 1.1 only), a byte order mark inside
    "[^\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]",
    # numbers not in decimal digits: a leading zero, 0x, 0o, 0b, an underscore, an exponent, a decimal point,
    # .inf or .nan; and numbers too long to read
    r"(?<![\w.+-])[-+]?0\w|[0-9]_|_[0-9]|[0-9.]e[-+]?[0-9]|[0-9]\.|\.[0-9]|\.(?:inf|nan)",
    "[0-9]{%d}" % (MAX_DIGITS + 1),
)), re.ASCII | re.IGNORECASE | re.MULTILINE)


def parse_plain_yaml(text: str) -> Any:
    """The data of a plain YAML document read by yaml-rs, exactly as `parse_yaml` reads it but many times
    faster; None when the text is not plain (see `_NOT_PLAIN`) or yaml-rs is missing or refuses it: then
    `parse_yaml` reads it, and says what is wrong."""
    if yaml_rs is None or _NOT_PLAIN.search(text):
        return None
    try:
        return yaml_rs.loads(text, parse_datetime=False)
    except (Exception, RecursionError):  # noqa: BLE001 - any refusal leaves it to the strict loader
        return None


def load_yaml_file(path: str | Path) -> Document:
    """Read and parse a YAML or JSON file, with the checks above."""
    path = Path(path)
    return parse_yaml(read_text(path), str(path))


def read_text(path: str | Path, limit: int = MAX_FILE_BYTES) -> str:
    """A file's text (see `read_bytes`), refusing non-UTF-8 files with a clear message."""
    return decode_text(read_bytes(path, limit), lambda: display_path(path))
