"""Read profile files (YAML or JSON; one profile or a list) into `Profile` objects.

Every problem names the file, the line, the field, the allowed values and,
where one is close, the likely intended word.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from pydantic import ValidationError

from advisor.contract.fields import COLLAB, input_fields
from advisor.contract.profile import Collaboration, Profile, field_path
from advisor.errors import (
    TYPE_FIXES,
    InputError,
    Problem,
    did_you_mean,
    display_path,
    printable_name,
)
from advisor.io.documents import (
    STANDARD_INPUT,
    Document,
    parse_json,
    parse_plain_yaml,
    parse_yaml,
    read_standard_input,
    read_text,
)

SUFFIXES = (".yaml", ".yml", ".json")


@dataclass
class LoadedProfile:
    profile: Profile
    source: str  # "file" or "file#2" for the third profile of a list


def _allowed(loc: tuple) -> tuple[str, ...]:
    names = [p for p in loc if isinstance(p, str)]
    if not names:
        return ()
    spec = input_fields().get(COLLAB + names[-1] if "collaborations" in names[:-1] else names[-1])
    return spec.values if spec else ()


def _problem(doc: Document, prefix: tuple, err: dict) -> Problem:
    loc = tuple(err["loc"])
    line, col = doc.where(prefix + loc)
    name = field_path(prefix + loc)
    kind, value = err["type"], err.get("input")
    if kind == "extra_forbidden":
        model = Collaboration if "collaborations" in loc[:-1] else Profile
        guess = did_you_mean(str(loc[-1]), model.model_fields)
        fix = f"did you mean '{guess}'?" if guess else f"known fields: {', '.join(model.model_fields)}"
        return Problem(doc.path, f"unknown field '{loc[-1]}'", line, col, None, fix)
    allowed = _allowed(loc)
    if kind == "enum" and allowed:
        guess = did_you_mean(str(value), allowed)
        fix = (f"did you mean '{guess}'? " if guess else "") + f"allowed: {', '.join(allowed)}"
        return Problem(doc.path, f"'{value}' is not an allowed value", line, col, name, fix)
    if kind == "literal_error" and loc == ("schema_version",):
        return Problem(doc.path, f"version {value!r} is not supported", line, col, name, "use schema_version: 1")
    if kind == "model_type" or kind == "dict_type":
        return Problem(doc.path, "must be a mapping of field: value", line, col, name or None,
                       "write one field per line, e.g. career_stage: postdoc")
    if kind == "missing":
        return Problem(doc.path, "is required", line, col, name, None)
    message = err["msg"].removeprefix("Value error, ")
    message = message[0].lower() + message[1:]
    if value is not None and not isinstance(value, (dict, list)):
        shown = repr(value)
        message = f"{shown if len(shown) <= 60 else shown[:57] + '...'}: {message}"
    fix = TYPE_FIXES.get(kind)
    if kind in ("int_parsing", "int_parsing_size"):  # `0x7DF`, `1e3`: text, not numbers (docs/profile.md)
        fix = "write a whole number in decimal digits, without quotes (e.g. 2015)"
    return Problem(doc.path, message, line, col, name, fix)


def _parse(path: Path, text: str, shown: str) -> Document:
    if path.suffix.lower() == ".json":
        return parse_json(text, shown)
    return parse_yaml(text, str(path))


def _all_valid(data: Any, shown: str) -> list[LoadedProfile] | None:
    """The profiles of plain YAML data when every one is valid, else None (the strict loader says what is wrong)."""
    items = data if isinstance(data, list) else [data]
    if not items or not all(isinstance(item, dict) for item in items):
        return None
    try:
        profiles = [Profile.model_validate(item) for item in items]
    except ValidationError:
        return None
    listed = isinstance(data, list)
    return [LoadedProfile(profile, printable_name(f"{shown}#{i}" if listed else shown))
            for i, profile in enumerate(profiles)]


def profiles_from_document(doc: Document, text: str | None = None) -> list[LoadedProfile]:
    """Validate a parsed document holding one profile or a list of them."""
    items = doc.data if isinstance(doc.data, list) else [doc.data]
    line, column = doc.lines.get((), (1, 1))  # where the document starts (its line, in a JSON Lines file)
    if doc.data is None:
        raise InputError(Problem(doc.path, "is empty", line, column, fix="write a profile: see profiles/ for examples"))
    if not items:
        raise InputError(Problem(doc.path, "is an empty list: it holds no profile", line, column,
                                 fix="write a profile, or a list of profiles: see profiles/ for examples"))
    loaded, problems = [], []
    for i, item in enumerate(items):
        prefix = (i,) if isinstance(doc.data, list) else ()
        try:
            profile = Profile.model_validate(item)
        except ValidationError as error:
            if not doc.lines and text is not None:  # JSON: find lines only when they are needed
                try:
                    doc.lines = parse_yaml(text, doc.path).lines
                except InputError:  # JSON that YAML 1.1 cannot read (a C1 control in a text): its first line
                    doc.lines = {(): (1, None)}
            problems += [_problem(doc, prefix, err) for err in error.errors()]
            continue
        loaded.append(LoadedProfile(profile, printable_name(doc.path if not prefix else f"{doc.path}#{i}")))
    if problems:
        raise InputError(problems)
    return loaded


def load_profiles(path: str | Path, standard_input: BinaryIO | None = None,
                  shown: str | None = None) -> list[LoadedProfile]:
    """All profiles in one file (`-`: standard input, YAML or JSON); InputError lists every problem found.
    `shown`: the file's name in messages, if already worked out (`display_path(path)` by default).
    `advisor evaluate`, `batch`, `ask` and sessions all read profiles here, so they read them alike."""
    if str(path) == "-":
        text = read_standard_input(standard_input or sys.stdin.buffer)
        return profiles_from_document(parse_yaml(text, STANDARD_INPUT), text)
    path = Path(path)
    if path.is_dir():
        raise InputError(Problem(display_path(path), "is a folder", fix="name profile files (batch takes folders)"))
    if path.suffix.lower() not in SUFFIXES:
        raise InputError(Problem(display_path(path), f"has an unknown extension '{path.suffix}'",
                                 fix="use .yaml, .yml or .json"))
    text = read_text(path)
    shown = display_path(path) if shown is None else shown
    if path.suffix.lower() != ".json":
        fast = parse_plain_yaml(text)
        loaded = _all_valid(fast, shown) if fast is not None else None
        if loaded is not None:
            return loaded
    return profiles_from_document(_parse(path, text, shown), text)


def load_one_profile(path: str | Path, use: str, fix: str, standard_input: BinaryIO | None = None) -> LoadedProfile:
    """The one profile of a file that must hold exactly one (`use` says what it is for, `fix` what to do)."""
    loaded = load_profiles(path, standard_input)
    if len(loaded) != 1:
        shown = STANDARD_INPUT if str(path) == "-" else display_path(path)
        raise InputError(Problem(shown, f"holds {len(loaded)} profiles; {use} one", 1, 1, fix=fix))
    return loaded[0]


def dump_profile(profile: Profile) -> dict[str, Any]:
    """A profile as it is written to a file: only the answers given."""
    return profile.model_dump(mode="json", exclude_none=True)
