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
    """A file (written as UTF-8 bytes) that appears under its name only when `commit()` is called."""

    def __init__(self, path: Path):
        self.path = path
        handle, self.temporary = tempfile.mkstemp(dir=path.parent or Path("."), prefix=f".{path.name}.",
                                                  suffix=".partial")
        self.stream: IO[bytes] = os.fdopen(handle, "wb")

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
        target.stream.write(text.encode())
        target.commit()
    except BaseException:
        target.discard()
        raise


class Output:
    """Where the report goes: standard output, or a file written atomically."""

    def __init__(self, path: Path | None):
        self.path = path
        self.file = AtomicFile(path) if path is not None else None
        if self.file is None:
            sys.stdout.flush()  # anything printed before goes first
        self.stream: IO[bytes] = self.file.stream if self.file else sys.stdout.buffer

    def commit(self) -> None:
        if self.file:
            self.file.commit()
        else:
            self.stream.flush()

    def discard(self) -> None:
        if self.file:
            self.file.discard()


class Layout:
    """What surrounds the per-profile outputs (UTF-8 bytes) in one format."""

    def __init__(self, stream: IO[bytes], header: str = ""):
        self.stream = stream
        self.stream.write(header.encode())

    def add(self, text: bytes) -> None:
        self.stream.write(text)

    def close(self, trailer: str = "") -> None:
        self.stream.write(trailer.encode())


class JsonListLayout(Layout):
    """A JSON list with one result per line: valid JSON that streams."""

    def __init__(self, stream: IO[bytes]):
        super().__init__(stream, "[")
        self.first = True

    def add(self, text: bytes) -> None:
        self.stream.write((b"\n" if self.first else b",\n") + text.rstrip(b"\n"))
        self.first = False

    def close(self, trailer: str = "") -> None:
        self.stream.write(b"\n]\n")


class SpooledLayout(Layout):
    """Rows kept in a temporary file (not in memory) until the summary that goes before them is known."""

    def __init__(self, stream: IO[bytes], header: str):
        super().__init__(stream)
        self.header = header
        self.rows = tempfile.TemporaryFile("w+b")

    def add(self, text: bytes) -> None:
        self.rows.write(text)

    def close(self, trailer: str = "") -> None:
        self.stream.write((trailer + self.header).encode())
        self.rows.seek(0)
        shutil.copyfileobj(self.rows, self.stream)
        self.rows.close()
