"""Where a failure of advisor itself is written down for a bug report: owner-only logs in its state folder.

$XDG_STATE_HOME/advisor, else ~/.local/state/advisor: a command line, an address and a traceback may
name people's files, so the logs are readable by their owner only, and nothing of them is printed.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import secrets
from pathlib import Path

from advisor import __version__
from advisor.io.private import private_dir, write_private


def state_dir(environ: dict[str, str] | None = None) -> Path:
    """$XDG_STATE_HOME/advisor, else ~/.local/state/advisor."""
    env = os.environ if environ is None else environ
    return Path(env.get("XDG_STATE_HOME") or Path.home() / ".local" / "state").expanduser() / "advisor"


def crash_log(details: str, what_ran: str) -> Path:
    """A new crash log holding the traceback `details` and `what_ran` (a command line, a request); its path."""
    when = dt.datetime.now().astimezone()
    # a random part: a server may fail twice in one second, and each failure keeps its own log
    path = private_dir(state_dir()) / f"crash-{when:%Y%m%d-%H%M%S}-{os.getpid()}-{secrets.token_hex(4)}.log"
    write_private(path, f"advisor {__version__}, Python {platform.python_version()}, {platform.platform()}\n"
                        f"{when.isoformat(timespec='seconds')}: {what_ran}\n\n{details}")
    return path
