"""Output files written atomically, and the shape of each format around the per-profile text.

A report goes to a temporary file beside its destination and replaces it only once complete:
Ctrl-C, a crash or a full disk never leave a half-written report, and an older report of the
same name stays as it was.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import IO


class AtomicFile:
    """A text file that appears under its name only when `commit()` is called."""

    def __init__(self, path: Path):
        self.path = path
        handle, self.temporary = tempfile.mkstemp(dir=path.parent or Path("."), prefix=f".{path.name}.",
                                                  suffix=".partial")
        self.stream: IO[str] = os.fdopen(handle, "w", encoding="utf-8", newline="")

    def commit(self) -> None:
        self.stream.flush()
        os.fsync(self.stream.fileno())
        self.stream.close()
        os.replace(self.temporary, self.path)

    def discard(self) -> None:
        self.stream.close()
        Path(self.temporary).unlink(missing_ok=True)


def write_atomically(path: Path, text: str) -> None:
    target = AtomicFile(path)
    try:
        target.stream.write(text)
        target.commit()
    except BaseException:
        target.discard()
        raise


class Output:
    """Where the report goes: standard output, or a file written atomically."""

    def __init__(self, path: Path | None):
        self.path = path
        self.file = AtomicFile(path) if path is not None else None
        self.stream: IO[str] = self.file.stream if self.file else sys.stdout

    def commit(self) -> None:
        if self.file:
            self.file.commit()
        else:
            self.stream.flush()

    def discard(self) -> None:
        if self.file:
            self.file.discard()


class Layout:
    """What surrounds the per-profile texts in one format."""

    def __init__(self, stream: IO[str], header: str = ""):
        self.stream = stream
        self.stream.write(header)

    def add(self, text: str) -> None:
        self.stream.write(text)

    def close(self, trailer: str = "") -> None:
        self.stream.write(trailer)


class JsonListLayout(Layout):
    """A JSON list with one result per line: valid JSON that streams."""

    def __init__(self, stream: IO[str]):
        super().__init__(stream, "[")
        self.first = True

    def add(self, text: str) -> None:
        self.stream.write(("\n" if self.first else ",\n") + text.rstrip("\n"))
        self.first = False

    def close(self, trailer: str = "") -> None:
        self.stream.write("\n]\n")


class SpooledLayout(Layout):
    """Rows kept in a temporary file (not in memory) until the summary that goes before them is known."""

    def __init__(self, stream: IO[str], header: str):
        super().__init__(stream)
        self.header = header
        self.rows = tempfile.TemporaryFile("w+", encoding="utf-8")

    def add(self, text: str) -> None:
        self.rows.write(text)

    def close(self, trailer: str = "") -> None:
        self.stream.write(trailer + self.header)
        self.rows.seek(0)
        shutil.copyfileobj(self.rows, self.stream)
        self.rows.close()
