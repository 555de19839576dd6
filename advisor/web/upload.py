"""A profile file uploaded from a browser, read as `advisor session new --profile FILE` reads a file (at most the
size of a file, UTF-8, YAML or JSON, the profile contract), its problems naming the file as the browser named
it. The name is only shown: no file of this computer is read or named by it."""

from __future__ import annotations

import io

from advisor.contract.profile import Profile
from advisor.errors import InputError, Problem, visible
from advisor.io.documents import (
    STANDARD_INPUT,
    parse_json,
    parse_yaml,
    read_standard_input,
)
from advisor.io.profiles import SUFFIXES, profiles_from_document


def uploaded_profile(data: bytes, filename: str) -> tuple[Profile, str]:
    """The one profile of an uploaded file, and the file's name as messages show it; an InputError otherwise."""
    shown = visible(filename.replace("\\", "/").rsplit("/", 1)[-1])[:100] or "the uploaded file"
    suffix = "." + shown.rsplit(".", 1)[-1].lower() if "." in shown else ""
    if suffix not in SUFFIXES:
        raise InputError(Problem(shown, f"has an unknown extension '{suffix}'" if suffix else "has no extension",
                                 fix="upload a .yaml, .yml or .json profile file"))
    try:  # the bytes are read as a stream is: the limit and the checks of a file, named in messages as below
        text = read_standard_input(io.BytesIO(data))
        document = parse_json(text, STANDARD_INPUT) if suffix == ".json" else parse_yaml(text, STANDARD_INPUT)
        loaded = profiles_from_document(document, text)
    except InputError as error:
        for problem in error.problems:
            problem.path = shown if problem.path == STANDARD_INPUT else problem.path
        raise
    if len(loaded) != 1:
        raise InputError(Problem(shown, f"holds {len(loaded)} profiles; a session starts from one", 1, 1,
                                 fix="put the profile in a file of its own"))
    return loaded[0].profile, shown
