"""Profiles from one work item, fast where it is safe and exactly like `advisor evaluate` otherwise.

PyYAML's C loader reads about 2,000 small documents a second; yaml-rs (a Rust YAML 1.2 parser)
reads about 40,000. YAML 1.2 has none of YAML 1.1's traps (`NO`, `yes` and `on` stay text, `0123`
is not octal), but it differs from our strict loader in details (aliases, dates, hexadecimal,
several documents in one file). So the fast parser is used only for plain documents (no anchor,
alias, tag, directive or document marker: `&`, `*`, `!`, `%`, `---`), dates stay text, and its
result is kept only when it validates. Anything else, and every error, goes through the strict
loader of `advisor evaluate`, which names the file, line and fix.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from advisor.contract.profile import Profile
from advisor.errors import InputError, Problem, printable_name
from advisor.io.documents import Document, DuplicateKey, loads_json, read_text, too_deep
from advisor.io.profiles import LoadedProfile, load_profiles, profiles_from_document

try:
    import yaml_rs
except ImportError:  # pragma: no cover - an optional speed-up
    yaml_rs = None

_NOT_PLAIN = ("&", "*", "!", "%", "---")


def _fast(data) -> list[LoadedProfile] | None:
    """Validated profiles from data, or None when anything is wrong (the strict path then says what)."""
    items = data if isinstance(data, list) else [data]
    if not items or not all(isinstance(item, dict) for item in items):
        return None
    try:
        return [LoadedProfile(Profile.model_validate(item), "") for item in items]
    except ValidationError:
        return None


def _with_sources(loaded: list[LoadedProfile], source: str, listed: bool) -> list[LoadedProfile]:
    for i, item in enumerate(loaded):
        item.source = printable_name(f"{source}#{i}" if listed else source)
    return loaded


def read_file(path: str) -> list[LoadedProfile]:
    """The profiles of one YAML or JSON file; InputError as `advisor evaluate` reports it."""
    suffix = Path(path).suffix.lower()
    if suffix == ".json":
        text = read_text(path)
        try:
            data = loads_json(text)
        except (ValueError, RecursionError):  # the strict loader says what is wrong
            data = None
    elif yaml_rs is not None and suffix in (".yaml", ".yml"):
        text = read_text(path)
        data = None
        if not any(mark in text for mark in _NOT_PLAIN):
            try:
                data = yaml_rs.loads(text, parse_datetime=False)
            except (Exception, RecursionError):  # any refusal sends it to the strict loader
                data = None
    else:
        return load_profiles(path)
    fast = _fast(data) if data is not None else None
    if fast is None:
        return load_profiles(path)
    return _with_sources(fast, path, isinstance(data, list))


def read_line(path: str, line: int, text: str) -> list[LoadedProfile]:
    """The profile (or list of profiles) on one line of a JSON Lines file."""
    source = f"{path}:{line}"
    try:
        data = loads_json(text)
    except DuplicateKey as error:
        raise InputError(Problem(path, str(error), line, fix="keep only one of them", code="duplicate-key")) from None
    except json.JSONDecodeError as error:
        raise InputError(Problem(path, f"JSON syntax error: {error.msg} (column {error.colno})", line,
                                 fix="each line must hold one complete JSON object")) from None
    except RecursionError:
        raise too_deep(path, line) from None
    fast = _fast(data)
    if fast is not None:
        return _with_sources(fast, source, isinstance(data, list))
    loaded = profiles_from_document(Document(path, data, {(): (line, None)}))
    return _with_sources(loaded, source, isinstance(data, list))
