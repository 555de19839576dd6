"""Safe YAML reading that keeps line numbers and avoids the YAML 1.1 traps.

PyYAML follows YAML 1.1, where `NO` (Norway), `on`, `off`, `yes` and `no` are
booleans and `0123` is octal. Our loader resolves only `true`/`false` as
booleans and only plain decimal integers, so those values stay strings and
pydantic decides what they mean for each field. Duplicate keys, anchors and
aliases (the "billion laughs" bomb) and oversized files are refused.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Callable

import yaml

from advisor.errors import InputError, Problem, display_path

try:  # libyaml's C parser is several times faster; same safe semantics.
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader

MAX_FILE_BYTES = 5 * 1024 * 1024
STANDARD_INPUT = "<stdin>"  # how standard input is named in messages and results
MAX_DEPTH = 50

Path_ = tuple  # a path inside a document: ("collaborations", 0, "stage")


class StrictLoader(_BaseLoader):
    """Safe loader with YAML 1.2-like scalars: no yes/no/on/off booleans, no octal."""


StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:int")]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.copy().items()
}
# Dates stay text here; pydantic parses them with a clear message when malformed.
StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in StrictLoader.yaml_implicit_resolvers.items()
}
StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
)


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
    """Map every key/item path to its position; refuse aliases, duplicate keys, deep nesting."""
    lines: dict[Path_, tuple[int, int]] = {(): _mark(node)}
    seen: set[int] = set()
    stack = [((), node, 0)]
    while stack:
        at, current, depth = stack.pop()
        if id(current) in seen:
            line, col = _mark(current)
            raise InputError(Problem(display_path(path), "anchors and aliases (&name, *name) are not allowed here",
                                     line, col, fix="write the value out in full", code="unsafe-yaml"))
        seen.add(id(current))
        if depth > MAX_DEPTH:
            line, col = _mark(current)
            raise InputError(Problem(display_path(path), f"nested more than {MAX_DEPTH} levels deep", line, col,
                                     fix="flatten the document", code="unsafe-yaml"))
        if isinstance(current, yaml.MappingNode):
            keys: dict[Any, int] = {}
            for key_node, value_node in current.value:
                key = key_node.value
                line, col = _mark(key_node)
                if key in keys:
                    raise InputError(Problem(display_path(path), f"key '{key}' appears twice (first on line {keys[key]})",
                                             line, col, fix="keep only one of them", code="duplicate-key"))
                keys[key] = line
                lines[at + (key,)] = (line, col)
                stack.append((at + (key,), value_node, depth + 1))
        elif isinstance(current, yaml.SequenceNode):
            for i, item in enumerate(current.value):
                lines[at + (i,)] = _mark(item)
                stack.append((at + (i,), item, depth + 1))
    return lines


def _read_text(path: Path) -> str:
    # The path shown in messages is worked out only for an error: it costs more than reading a small file.
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            data = handle.read(MAX_FILE_BYTES + 1) if size <= MAX_FILE_BYTES else None
    except OSError as error:
        raise InputError(Problem(display_path(path), f"cannot be read: {error.strerror or error}",
                                 fix="check the path and its permissions")) from None
    return _text(data, size, lambda: display_path(path))


def read_standard_input(stream: BinaryIO) -> str:
    """Standard input's text (a profile piped in: `-` as the file name), with the checks of a file."""
    return _text(stream.read(MAX_FILE_BYTES + 1), 0, lambda: STANDARD_INPUT)


def _text(data: bytes | None, size: int, shown: Callable[[], str]) -> str:
    """Bytes read from a file (None: not read, it is `size` bytes) as text: at most MAX_FILE_BYTES of UTF-8,
    a byte order mark (Windows editors write one) skipped."""
    if data is None or len(data) > MAX_FILE_BYTES:  # (a device or a pipe says size 0)
        what = f"{size:,} bytes" if data is None else f"more than {MAX_FILE_BYTES:,} bytes"
        raise InputError(Problem(shown(), f"is {what}; the limit is {MAX_FILE_BYTES:,}",
                                 fix="split it into smaller files"))
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


class DuplicateKey(ValueError):
    """A JSON object with the same key twice (`json.loads` would silently keep the last one)."""

    def __init__(self, key: str):
        super().__init__(f"key '{key}' appears twice in one object")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data = dict(pairs)
    if len(data) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise DuplicateKey(key)
            seen.add(key)
    return data


def loads_json(text: str) -> Any:
    """JSON text as data, refusing duplicate keys like the YAML loader does (raises DuplicateKey)."""
    return json.loads(text, object_pairs_hook=_unique_keys)


def too_deep(shown: str, line: int | None = None) -> InputError:
    """The error for a document nested too deeply for the parser (a hostile or broken file)."""
    return InputError(Problem(shown, "nested too deeply to read", line, fix="flatten the document", code="unsafe-yaml"))


def load_yaml_file(path: str | Path) -> Document:
    """Read and parse a YAML or JSON file, with the checks above."""
    path = Path(path)
    return parse_yaml(_read_text(path), str(path))


def read_text(path: str | Path) -> str:
    """A file's text, refusing oversized and non-UTF-8 files with a clear message."""
    return _read_text(Path(path))
