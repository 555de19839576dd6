"""What a batch reads: files, folders (recursively) and glob patterns, as a stream of work items.

Profile files (.yaml, .yml, .json) are read by the workers; JSON Lines files (.jsonl, .ndjson) are
read here line by line and each line travels as one item, so neither a big folder nor a big JSON
Lines file is ever held in memory (nor an overlong line). `-` reads JSON Lines from standard input.
"""

from __future__ import annotations

import codecs
import glob
import os
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Iterator

from advisor.errors import Problem, display_path
from advisor.io.documents import STANDARD_INPUT
from advisor.io.profiles import SUFFIXES

LINE_SUFFIXES = (".jsonl", ".ndjson")
FROM_STANDARD_INPUT = "-"  # as a PATH: JSON Lines read from standard input
MAX_LINE_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Item:
    """One unit of work: a profile file, or one line of a JSON Lines file."""

    path: str  # as shown to the user
    line: int | None = None
    text: str | None = None  # the line's text, for JSON Lines

    @property
    def source(self) -> str:
        return self.path if self.line is None else f"{self.path}:{self.line}"


@dataclass
class Discovery:
    """Counts kept while walking the inputs (how many files were read, skipped, named again), the report's
    file, and the real paths of the folders and files named so far: each file is read once, even when a
    folder and a file or folder inside it are both given, or a path twice."""

    files: int = 0
    skipped: int = 0
    repeated: int = 0  # paths left out because an earlier argument (or match) already read them
    output: tuple[int, int] | None = None  # the report's file (device, inode), if it exists: never an input
    named: set[str] = field(default_factory=set)  # real paths of the folders and files given or matched

    @classmethod
    def writing_to(cls, output: Path | None) -> Discovery:
        return cls(output=_identity(output) if output is not None else None)

    def take(self, path: Path, pattern: set[str] | None = None) -> bool:
        """Whether to read a folder or file that an argument names: not if it, or a folder holding it, was
        named before (which counts as repeated, unless it was by the same `pattern`, whose own overlaps are
        no repetition: `**` matches a folder and each file in it); else it is noted as named."""
        real = os.path.realpath(path)
        covering = next((p for p in (real, *map(str, Path(real).parents)) if p in self.named), None)
        if covering is not None:
            self.repeated += pattern is None or covering not in pattern
            return False
        self.named.add(real)
        if pattern is not None:
            pattern.add(real)
        return True


class OutputIsInput(Exception):
    """An input is the very file the report is to replace (given as a path, or found in a folder or by a pattern)."""

    def __init__(self, shown: str):
        super().__init__(shown)
        self.shown = shown


def _is_glob(text: str) -> bool:
    return any(c in text for c in "*?[")


def _walk(folder: Path, found: Discovery) -> Iterator[Item | Problem]:
    """The work items of the profile files under a folder, in a stable order (names sorted at every level), each
    named as `display_path` names it; hidden ones skipped, and so are folders and files an earlier argument
    named; a named pipe, socket or device is reported, not read (reading a pipe would wait forever)."""
    unreadable: list[OSError] = []  # folders the walk could not list: their profiles would go missing unsaid
    for root, dirs, files in os.walk(folder, onerror=unreadable.append):
        yield from _unreadable_folders(unreadable)
        real_root = os.path.realpath(root)
        kept = sorted(d for d in dirs if not d.startswith("."))
        dirs[:] = [d for d in kept if os.path.join(real_root, d) not in found.named]
        found.repeated += len(kept) - len(dirs)
        shown_root = Path(display_path(root))  # once per folder: resolving each file cost more than reading it
        for name in sorted(files):
            if not _is_read(name):
                if not name.startswith("."):  # hidden files are passed over without being counted
                    found.skipped += 1
                continue
            path = Path(root) / name
            link, regular = _kind(path)
            shown = display_path(path) if link else str(shown_root / name)  # a link: resolved elsewhere
            if (os.path.realpath(path) if link else os.path.join(real_root, name)) in found.named:
                found.repeated += 1
            elif not regular:
                yield _not_regular(shown)
            else:
                yield from _file(path, found, shown)
    yield from _unreadable_folders(unreadable)


def _unreadable_folders(errors: list[OSError]) -> Iterator[Problem]:
    for error in errors:
        yield Problem(display_path(error.filename), f"folder cannot be read: {error.strerror or error}",
                      fix="check its permissions: the profiles in it were not evaluated")
    errors.clear()


def _kind(path: Path) -> tuple[bool, bool]:
    """Whether a path found is a link, and whether it is (or leads to) a regular file; one `lstat` for a file.
    A link to nowhere, or one that loops, counts as regular: reading it says what is wrong."""
    try:
        mode = os.lstat(path).st_mode
        if stat.S_ISLNK(mode):
            return True, stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False, True
    return False, stat.S_ISREG(mode)


def _not_regular(shown: str) -> Problem:
    return Problem(shown, "is not a regular file (a named pipe, a socket or a device): not read",
                   fix="name it on the command line to read from it, or remove it from the folder")


def _lines(path: Path, shown: str) -> Iterator[Item | Problem]:
    """The lines of a JSON Lines file, or of a named pipe given by name (which waits for its writer); a device
    (such as /dev/zero, which never ends) or a socket is reported, not read."""
    try:
        handle = path.open("rb")
    except OSError as error:
        yield Problem(shown, f"cannot be read: {error.strerror or error}", fix="check the path and its permissions")
        return
    with handle:
        if not stat.S_ISREG(mode := os.fstat(handle.fileno()).st_mode) and not stat.S_ISFIFO(mode):
            yield Problem(shown, "is a device or a socket, not a file: not read", fix="name a JSON Lines file")
            return
        yield from _read_lines(handle, shown)


def _read_lines(handle: BinaryIO, shown: str) -> Iterator[Item | Problem]:
    """One item per line that holds something; a line over the limit is reported without being held in memory."""
    number = 0
    while raw := handle.readline(MAX_LINE_BYTES + 1):
        number += 1
        if len(raw) > MAX_LINE_BYTES:
            size = len(raw)
            while not raw.endswith(b"\n") and (raw := handle.readline(MAX_LINE_BYTES)):  # the rest, read and dropped
                size += len(raw)
            yield Problem(shown, f"line is {size:,} bytes; the limit is {MAX_LINE_BYTES:,}", number,
                          fix="write one profile per line")
            continue
        if number == 1 and raw.startswith(codecs.BOM_UTF8):  # written by some Windows tools: not part of the data
            raw = raw[len(codecs.BOM_UTF8):]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            yield Problem(shown, f"is not UTF-8 text (byte {error.start} of the line)", number,
                          fix="save the file as UTF-8")
            continue
        if text.strip():
            yield Item(shown, number, text)


def _file(path: Path, found: Discovery, shown: str | None = None) -> Iterator[Item | Problem]:
    shown = display_path(path) if shown is None else shown
    if found.output is not None and _identity(path) == found.output:
        raise OutputIsInput(shown)
    found.files += 1
    if path.suffix.lower() in LINE_SUFFIXES:
        yield from _lines(path, shown)
    elif path.suffix.lower() in SUFFIXES:
        yield Item(shown)
    else:
        yield Problem(shown, f"has an unknown extension '{path.suffix}'",
                      fix="use .yaml, .yml or .json for profile files, .jsonl for JSON Lines")


def refuse_output_among(arguments: list[str], output: Path | None) -> None:
    """Raise OutputIsInput before anything runs when the report's file is given as an input, or lies where
    walking a given folder would read it. (`discover` checks every file it finds too: patterns, links.)"""
    identity = _identity(output) if output is not None else None
    if identity is None:
        return
    where = output.resolve()
    for argument in arguments:
        path = Path(argument)
        if argument == FROM_STANDARD_INPUT:
            continue
        if path.is_dir():
            try:
                inside = where.relative_to(path.resolve())
            except ValueError:
                continue
            if _is_read(inside.name) and not any(part.startswith(".") for part in inside.parts):
                raise OutputIsInput(display_path(output))
        elif _identity(path) == identity:
            raise OutputIsInput(display_path(path))


def _is_read(name: str) -> bool:
    """Whether a file found in a folder is read (a profile or JSON Lines file that is not hidden)."""
    return not name.startswith(".") and name.lower().endswith(SUFFIXES + LINE_SUFFIXES)


def _identity(path: Path) -> tuple[int, int] | None:
    """Which file a path is, through links (None if there is none)."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_dev, info.st_ino


def discover(arguments: list[str], found: Discovery, standard_input: BinaryIO | None = None
             ) -> Iterator[Item | Problem]:
    """Work items (and problems: missing paths, unreadable lines) for the command's PATH arguments, in order;
    `-` reads JSON Lines from `standard_input` (default: the process's)."""
    for argument in arguments:
        if argument == FROM_STANDARD_INPUT:
            found.files += 1
            yield from _read_lines(standard_input or sys.stdin.buffer, STANDARD_INPUT)
            continue
        if _is_glob(argument) and not Path(argument).exists():
            matches = sorted(glob.iglob(argument, recursive=True))
            if not matches:
                yield Problem(argument, "matches no file", fix="check the pattern (quote it so the shell leaves it alone)")
            # `**` matches a folder and everything in it (and follows links, even back up): read each file once.
            taken: set[str] = set()  # real paths of the folders and files this pattern read
            for match in matches:
                if Path(match).is_dir():
                    if found.take(Path(match), taken):
                        yield from _walk(Path(match), found)
                elif not Path(match).name.lower().endswith(SUFFIXES + LINE_SUFFIXES):
                    found.skipped += 1
                elif not found.take(Path(match), taken):
                    continue
                elif _kind(Path(match))[1]:
                    yield from _file(Path(match), found)
                else:
                    yield _not_regular(display_path(match))
            continue
        path = Path(argument)
        if not path.exists():
            yield Problem(display_path(path), "does not exist", fix="check the path")
        elif not found.take(path):
            continue
        elif path.is_dir():
            yield from _walk(path, found)
        else:
            yield from _file(path, found)
