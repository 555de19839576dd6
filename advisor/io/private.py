"""Files that hold personal data: owner-only, written atomically, never half-written.

Every write goes to a temporary file in the same folder (created 0600), is
flushed to disk, then replaces the target with `os.replace` (and the folder is
flushed, so the rename itself survives a power cut): a crash, a killed process
or a full disk leaves either the old file or the new one, never a mix. A new
file is readable by its owner only; a file that already exists keeps the
permissions its owner gave it. Folders are created 0700. A JSON Lines file grows by
one record written and flushed at once, and is cut back if the write fails; a
damaged line in it is reported and skipped by the reader, never a reason to
stop reading the others.
Every file the project writes for a person goes through `write_private`.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

try:
    import fcntl
except ImportError:  # not on Windows: files are not locked there
    fcntl = None

from advisor.errors import InputError, Problem, display_path
from advisor.io.documents import parse_json, read_bytes

FILE_MODE = 0o600
JOURNAL_BYTES = 64 * 1024 * 1024  # the reading limit of a JSON Lines file (a session's history grows with use)
_REPAIR = "repair or remove this line; the file was left as it is"
DIR_MODE = 0o700


def private_dir(path: Path) -> Path:
    """Create `path` (and missing parents) readable by its owner only."""
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    os.chmod(path, DIR_MODE)  # mkdir's mode is masked by the umask
    return path


def is_special(path: Path) -> bool:
    """Whether `path` names a device, a pipe or a socket (`/dev/null`, `/dev/stdout`, a named pipe).

    Such a path is written to, never replaced: replacing it would put a plain file where the device
    was (as root, `/dev/null` itself), and what goes into it cannot be taken back anyway.
    """
    try:
        mode = path.stat().st_mode  # through links: /dev/stdout is one
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode) or stat.S_ISBLK(mode)


def write_private(path: Path, content: str | bytes) -> None:
    """Replace `path` with `content` (text is written as UTF-8) atomically; a new file is readable by its owner only,
    an existing one keeps its mode.

    A device or pipe (see `is_special`) is written to directly.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    if is_special(path):
        with path.open("wb") as handle:
            handle.write(data)
        return
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = FILE_MODE
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")  # mode 0600
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """Flush a folder's entries to disk (makes a rename in it durable); a no-op where folders cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without folder handles
        return
    try:
        with contextlib.suppress(OSError):  # some file systems refuse it
            os.fsync(fd)
    finally:
        os.close(fd)


@dataclass
class JsonLines:
    """What a JSON Lines file holds: its records (with their line numbers), and its damaged lines."""

    records: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    damaged: list[Problem] = field(default_factory=list)


def read_jsonl(path: Path) -> JsonLines:
    """The records of a JSON Lines file (none if it does not exist). A damaged line is reported, not raised:
    one bad line never hides the others. A file that cannot be read at all is an InputError."""
    shown = display_path(path)
    if not path.exists() and not path.is_symlink():
        return JsonLines()
    data = read_bytes(path, JOURNAL_BYTES)  # bounded; a folder, a device or a dangling link is an InputError
    lines = JsonLines()
    for number, raw in enumerate(data.split(b"\n"), 1):
        if not raw.strip():
            continue
        try:
            record = parse_json(raw.decode("utf-8"), shown, number).data
        except UnicodeDecodeError as error:
            lines.damaged.append(_damaged(shown, number, f"is not UTF-8 text (byte {error.start + 1})"))
        except InputError as error:  # not JSON, a number too long, nested too deeply, a key twice
            problem = error.problems[0]
            lines.damaged.append(_damaged(shown, number, problem.message.removeprefix("line "), problem.column))
        else:
            if isinstance(record, dict):
                lines.records.append((number, record))
            else:
                lines.damaged.append(_damaged(shown, number, "is not a JSON object", 1))
    return lines


def _damaged(shown: str, line: int, message: str, column: int | None = None) -> Problem:
    return Problem(shown, f"line {message}; it is skipped", line, column,
                   fix="repair or remove this line (the file was left as it is)")


def append_jsonl(path: Path, record: dict[str, Any]) -> int:
    """Add one record at the end of a JSON Lines file; returns the file's size before (to cut it
    back with `os.truncate` when what went with the record failed).

    The record is appended in one write and flushed to disk; if that fails (a full disk), the file is
    cut back to what it was, so it never keeps half a record. Lines already there, damaged or not, are
    kept as they are. Callers hold the folder's lock (`locked`).
    """
    line = json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n"
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, FILE_MODE)
    try:
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":  # a last line cut short stays a line of its own
            line = b"\n" + line
        try:
            written = os.write(fd, line)
            if written != len(line):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            os.fsync(fd)
        except BaseException:
            os.ftruncate(fd, size)
            if not size:  # nothing was there: nothing is left
                with contextlib.suppress(OSError):
                    os.unlink(path)
            raise
    finally:
        os.close(fd)
    if not size:
        _sync_folder(path.parent)
    return size


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on `folder` so that two commands do not interleave their writes."""
    if fcntl is None:
        yield
        return
    fd = os.open(folder / ".lock", os.O_RDWR | os.O_CREAT, FILE_MODE)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


@contextlib.contextmanager
def in_use(target: Path, lock: Path) -> Iterator[None]:
    """Mark `target` as being edited (for as long as a questionnaire runs) by holding `lock`.

    A second command that wants to edit the same target is refused at once, with the
    process that holds it, instead of silently overwriting the other one's answers later.
    The lock goes with the process, so a crash never leaves the target blocked.
    """
    if fcntl is None:
        yield
        return
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, FILE_MODE)
    except OSError:  # nowhere to write: saving the target will fail too, and say so
        yield
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode(errors="replace").strip() or "unknown"
            raise InputError(Problem(display_path(target), f"is being edited by another advisor command "
                                     f"(process {holder})", fix="finish or quit that one first")) from None
        with contextlib.suppress(OSError):  # a full disk: the lock holds without the process number
            os.ftruncate(fd, 0)
            os.write(fd, str(os.getpid()).encode())
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                os.unlink(lock)
    finally:
        os.close(fd)
