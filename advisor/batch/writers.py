"""Output files written atomically, and the shape of each format around the per-profile text.

A report goes to a temporary file beside its destination and replaces it only once complete:
Ctrl-C, a crash or a full disk never leave a half-written report, and an older report of the
same name stays as it was (a run killed outright leaves its partial file to the next one, which
removes it: see `leftovers`).
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from pathlib import Path
from typing import IO, NamedTuple

from advisor.batch.leftovers import partial_prefix
from advisor.io.private import is_special

# Where copying in the kernel is not possible (a pipe, another file system, an old kernel, macOS's sendfile
# which only writes to sockets), copy through Python.
_CANNOT_COPY_HERE = {errno.EINVAL, errno.ENOSYS, errno.EXDEV, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ESPIPE,
                     errno.EBADF, errno.ENOTSOCK}


class Span(NamedTuple):
    """A formatted output that a worker process left in a file: `size` bytes at `offset` of the open file `fd`.

    The main process copies it to the report without reading it: 62 kB per profile of JSON need
    not travel through a pipe and two copies in Python.
    """

    fd: int
    offset: int
    size: int


def copy_span(span: Span, stream: IO[bytes]) -> None:
    """Append a span to a stream (flushed first), in the kernel where possible."""
    stream.flush()
    offset, left = span.offset, span.size
    try:
        target = stream.fileno()
    except (OSError, ValueError):  # a stream in memory (io.UnsupportedOperation)
        target = None
    for copy in (_copy_file_range, _sendfile) if target is not None else ():
        try:
            while left:
                done = copy(span.fd, target, offset, left)
                if done == 0:
                    raise OSError(errno.EIO, "the worker's output ended early")
                offset, left = offset + done, left - done
            return
        except OSError as error:
            if error.errno not in _CANNOT_COPY_HERE:
                raise
    stream.write(os.pread(span.fd, left, offset))
    stream.flush()


def _copy_file_range(source: int, target: int, offset: int, count: int) -> int:
    if not hasattr(os, "copy_file_range"):
        raise OSError(errno.ENOSYS, "no copy_file_range")
    return os.copy_file_range(source, target, count, offset)


def _sendfile(source: int, target: int, offset: int, count: int) -> int:
    if not hasattr(os, "sendfile"):
        raise OSError(errno.ENOSYS, "no sendfile")
    return os.sendfile(target, source, offset, count)


class AtomicFile:
    """A file (written as UTF-8 bytes) that appears under its name only when `commit()` is called."""

    def __init__(self, path: Path):
        self.path = path
        handle, self.temporary = tempfile.mkstemp(dir=path.parent or Path("."), prefix=partial_prefix(path.name),
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
    """Where the report goes: a file written atomically, or a stream that cannot be taken back (standard
    output, or a device or pipe named as the output: `/dev/stdout`, a named pipe; see `is_special`)."""

    def __init__(self, path: Path | None, standard_output: IO[bytes] | None):
        self.path = path
        self.file = AtomicFile(path) if path is not None and not is_special(path) else None
        if self.file is not None:
            self.stream: IO[bytes] = self.file.stream
        elif path is not None:
            self.stream = path.open("wb")
        else:
            self.stream = standard_output

    @property
    def atomic(self) -> bool:
        """Whether the report appears only once complete (a file), or is written as it comes (a stream)."""
        return self.file is not None

    def commit(self) -> None:
        if self.file:
            self.file.commit()
        else:
            self.stream.flush()
            self._close()

    def discard(self) -> None:
        if self.file:
            self.file.discard()
        else:
            with contextlib.suppress(OSError):
                self._close()

    def _close(self) -> None:
        if self.path is not None:  # a device or pipe this run opened (standard output stays open)
            self.stream.close()


class Layout:
    """What surrounds the per-profile outputs (UTF-8 bytes) in one format."""

    def __init__(self, stream: IO[bytes], header: str = ""):
        self.stream = stream
        self.stream.write(header.encode())

    def add(self, text: bytes | Span) -> None:
        if isinstance(text, Span):
            copy_span(text, self.stream)
        else:
            self.stream.write(text)

    def close(self, trailer: str = "") -> None:
        self.stream.write(trailer.encode())


class JsonListLayout(Layout):
    """A JSON list with one result per line: valid JSON that streams."""

    def __init__(self, stream: IO[bytes]):
        super().__init__(stream, "[")
        self.first = True

    def add(self, text: bytes | Span) -> None:
        """One result (a JSON Lines line: the object and its newline) as the next item of the list."""
        self.stream.write(b"\n" if self.first else b",\n")
        self.first = False
        if isinstance(text, Span):
            copy_span(text._replace(size=text.size - 1), self.stream)
        else:
            self.stream.write(text[:-1])

    def close(self, trailer: str = "") -> None:
        self.stream.write(b"\n]\n")


class SpooledLayout(Layout):
    """Rows kept in a temporary file (not in memory) until the summary that goes before them is known."""

    def __init__(self, stream: IO[bytes], header: str):
        super().__init__(stream)
        self.header = header
        self.rows = tempfile.TemporaryFile("w+b", buffering=0)  # unbuffered: spans are copied to it by its fd

    def add(self, text: bytes | Span) -> None:
        if isinstance(text, Span):
            copy_span(text, self.rows)
            return
        rest = memoryview(text)
        while rest:  # an unbuffered file may take part of it
            rest = rest[self.rows.write(rest):]

    def close(self, trailer: str = "") -> None:
        self.stream.write((trailer + self.header).encode())
        self.rows.seek(0)
        shutil.copyfileobj(self.rows, self.stream)
        self.rows.close()
