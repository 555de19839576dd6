"""Profiles from one work item: a profile file, read as `advisor evaluate` reads it, or a JSON Lines line."""

from __future__ import annotations

from advisor.errors import printable_name
from advisor.io.documents import parse_json
from advisor.io.profiles import LoadedProfile, load_profiles, profiles_from_document


def read_file(path: str) -> list[LoadedProfile]:
    """The profiles of one YAML or JSON file (`path` as shown); InputError as `advisor evaluate` reports it."""
    return load_profiles(path, shown=path)


def read_line(path: str, line: int, text: str) -> list[LoadedProfile]:
    """The profile (or list of profiles) on one line of a JSON Lines file."""
    doc = parse_json(text, path, line)
    loaded = profiles_from_document(doc)
    for i, item in enumerate(loaded):
        item.source = printable_name(f"{path}:{line}#{i}" if isinstance(doc.data, list) else f"{path}:{line}")
    return loaded
