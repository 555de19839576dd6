"""Files that hold personal data: owner-only, written atomically, never half-written.

Every write goes to a temporary file in the same folder (created 0600), is
flushed to disk, then replaces the target with `os.replace` (and the folder is
flushed, so the rename itself survives a power cut): a crash, a killed process
or a full disk leaves either the old file or the new one, never a mix. A new
file is readable by its owner only; a file that already exists keeps the
permissions its owner gave it. Folders are created 0700. JSON Lines files are
rewritten whole on append (they are small), which keeps the append atomic too.
Every file the project writes for a person goes through `write_private`.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterator

try:
    import fcntl
except ImportError:  # not on Windows: files are not locked there
    fcntl = None

from advisor.errors import InputError, Problem, display_path
from advisor.io.documents import parse_json, read_text

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


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The records of a JSON Lines file (none if it does not exist); a damaged line is an InputError."""
    if not path.exists():
        return []
    shown = display_path(path)
    records = []
    for number, line in enumerate(read_text(path, JOURNAL_BYTES).splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = parse_json(line, shown, number).data
        except InputError as error:
            raise InputError([replace(problem, fix=_REPAIR) for problem in error.problems]) from None
        if not isinstance(record, dict):
            raise InputError(Problem(shown, "line is not a JSON object", number, 1, fix=_REPAIR))
        records.append(record)
    return records


def append_jsonl(path: Path, record: dict[str, Any]) -> None:
    """Add one record to a JSON Lines file, atomically (after checking the file is readable)."""
    read_jsonl(path)  # refuse to append to a damaged file: it stays untouched for the user to repair
    existing = read_text(path, JOURNAL_BYTES) if path.exists() else ""
    if existing and not existing.endswith("\n"):
        existing += "\n"
    write_private(path, existing + json.dumps(record, ensure_ascii=False, sort_keys=False) + "\n")


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
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                os.unlink(lock)
    finally:
        os.close(fd)
