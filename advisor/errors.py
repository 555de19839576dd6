"""Errors about users' input, worded for the person who has to fix the file."""

from __future__ import annotations

import difflib
import errno
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

# Characters that act on a terminal or reorder text rather than show: C0 and C1 controls (escape
# sequences, bell, carriage return...) and the bidirectional embedding, override and isolate marks.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """Text safe to print on a terminal: control characters shown as escapes (`\\x1b`), never acted on, and so
    are the bytes of a file name that are not UTF-8 (see `printable_name`)."""
    text = printable_name(text)
    return CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode(), text) if CONTROL.search(text) else text


def printable_name(name: str) -> str:
    """A file name as text that any output can hold: bytes that are not UTF-8 (which Python keeps as lone
    surrogates) shown as `\\xff` escapes, as `ls -b` shows them. Open the file with the name itself."""
    try:
        name.encode()
    except UnicodeEncodeError:
        try:
            return name.encode(errors="surrogateescape").decode(errors="backslashreplace")
        except UnicodeEncodeError:  # a surrogate that no file name holds: shown as its escape
            return name.encode(errors="backslashreplace").decode()
    return name


_WRITE_FIXES = {errno.EISDIR: "name a file, not a folder", errno.ENOENT: "create its folder first, or write elsewhere",
                errno.ENOTDIR: "create its folder first, or write elsewhere",
                errno.EACCES: "write in a folder you may write to", errno.EPERM: "write in a folder you may write to",
                errno.EROFS: "write in a folder you may write to", errno.ENOSPC: "free space there, or write elsewhere",
                errno.EDQUOT: "free space there, or write elsewhere"}


# The fix for each kind of validation error a hand editor makes (pydantic's error types), for profiles and rules.
TYPE_FIXES = {"bool_parsing": "write true or false", "bool_type": "write true or false",
              "int_parsing": "write a whole number without quotes", "int_type": "write a whole number",
              "int_from_float": "write a whole number", "list_type": "write a list, e.g. [a, b]",
              "string_type": "quote the value", "date_from_datetime_parsing": "write an existing date as YYYY-MM-DD",
              "date_parsing": "write an existing date as YYYY-MM-DD", "date_type": "write a date as YYYY-MM-DD",
              "literal_error": "write one of the values named"}


def cannot_write(shown: str, error: OSError, option: str | None = "--output") -> str:
    """The error for a file the command could not write, with a fix that fits why (the option choosing it)."""
    fix = _WRITE_FIXES.get(error.errno, "check the path") + (f" (with {option})" if option else "")
    return f"error: {visible(shown)}: cannot be written: {error.strerror or error}\n  fix: {fix}"


@dataclass
class Problem:
    """One thing wrong in one file: where it is, what it is, how to fix it."""

    path: str
    message: str
    line: int | None = None
    column: int | None = None
    field: str | None = None
    fix: str | None = None
    code: str | None = None  # the check that found it, e.g. "unknown-field" (see `advisor rules check --list`)

    def location(self) -> str:
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        """The problem as printed; whatever came from the input is shown, never acted on by the terminal."""
        text = f"{visible(self.location())}: "
        if self.field:
            text += f"{visible(self.field)}: "
        text += visible(self.message)
        if self.fix:
            text += f"\n  fix: {visible(self.fix)}"
        return text

    def to_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v is not None}


class InputError(Exception):
    """A user's file (profile, answers, rulebase) cannot be used as it is."""

    def __init__(self, problems: Problem | list[Problem]):
        self.problems = problems if isinstance(problems, list) else [problems]
        super().__init__("\n".join(str(p) for p in self.problems))


class RulebaseError(InputError):
    """A rulebase folder that cannot be used: every problem found in it."""


class UsageError(Exception):
    """The command line itself is wrong (exit status 2); the message says how to write it."""


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """The closest of `choices` to `word`, if one is close enough to be a likely typo."""
    options = [str(c) for c in choices]
    lowered = {c.lower(): c for c in options}
    if str(word).lower() in lowered:
        return lowered[str(word).lower()]
    close = difflib.get_close_matches(str(word), options, n=1, cutoff=0.6)
    return close[0] if close else None


def display_path(path: str | Path) -> str:
    """A path as the user typed it, relative where possible."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd()))
    except (ValueError, OSError, RuntimeError):  # elsewhere; or a link that loops (RuntimeError before 3.13)
        return str(p)
