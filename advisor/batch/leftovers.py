"""What a run that was killed outright (SIGKILL, the out-of-memory killer, a power cut) left behind, and its removal.

No handler runs on SIGKILL: its workers' spool folder (formatted outputs, personal data) and its
half-written report (`.partial`) stay. Each names the process that made it, so the next run
removes those whose process is gone, if they are this user's; those of a run still at work are
left alone.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from pathlib import Path

SPOOL = "advisor-batch-"
_SPOOL = re.compile(rf"^{re.escape(SPOOL)}(\d+)-")
_PARTIAL = re.compile(r"^\..+\.(\d+)\.[a-z0-9_]+\.partial$")  # see `partial_prefix`; tempfile adds the rest


def spool_prefix() -> str:
    """The start of the name of this run's spool folder (in the temporary folder)."""
    return f"{SPOOL}{os.getpid()}-"


def partial_prefix(name: str) -> str:
    """The start of the name of the partial file of a report called `name`, beside it."""
    return f".{name}.{os.getpid()}."


def remove_stale(report_folder: Path | None) -> None:
    """Remove the spool folders of dead runs, and their partial reports in `report_folder` (if any)."""
    _remove(Path(tempfile.gettempdir()), _SPOOL, lambda path: shutil.rmtree(path, ignore_errors=True), dirs=True)
    if report_folder is not None:
        _remove(report_folder, _PARTIAL, os.unlink, dirs=False)


def _remove(folder: Path, pattern: re.Pattern, remove, dirs: bool) -> None:
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            found = pattern.match(entry.name)
            if found is None or not _gone(int(found.group(1))):
                continue
            with contextlib.suppress(OSError):
                if entry.stat(follow_symlinks=False).st_uid == os.getuid() and \
                        (entry.is_dir(follow_symlinks=False) if dirs else entry.is_file(follow_symlinks=False)):
                    remove(entry.path)


def _gone(pid: int) -> bool:
    """Whether no process runs under this id (one of another user's does, even if it cannot be signalled)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError):
        return False
    return _ended(pid)


def _ended(pid: int) -> bool:
    """Whether the process has ended but its parent has not collected it yet (a zombie: a job runner that killed
    a run and started the next before waiting for it). Linux says so in /proc; elsewhere it counts as running."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False
