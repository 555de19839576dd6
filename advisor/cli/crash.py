"""What the user sees when `advisor` itself fails: one line, and the details in a log file kept for a bug report.

An exception that no command handles is a bug in advisor, not a mistake of the user's: a
traceback on the terminal tells them nothing and hides what they were doing. Instead, the
traceback goes into `crash-<time>.log` in advisor's state folder ($XDG_STATE_HOME/advisor, else
~/.local/state/advisor; owner-only: a command line and a traceback may name people's files), and
one line says what failed, where the details are and where to report it. The command ends with
`ExitStatus.CRASHED`.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import shlex
import traceback
from pathlib import Path

from advisor import __version__
from advisor.errors import visible
from advisor.exits import ExitStatus
from advisor.io.environment import Environment
from advisor.io.private import private_dir, write_private

REPORT_TO = "the maintainers of advisor (README: Reporting a bug)"


def state_dir(environ: dict[str, str] | None = None) -> Path:
    """$XDG_STATE_HOME/advisor, else ~/.local/state/advisor."""
    env = os.environ if environ is None else environ
    return Path(env.get("XDG_STATE_HOME") or Path.home() / ".local" / "state").expanduser() / "advisor"


def crashed(error: Exception, argv: list[str], env: Environment) -> ExitStatus:
    """Say in one line that advisor failed on `error` and where its traceback was saved (or, when no log could be
    written, show the traceback after that line)."""
    command = visible(" ".join(["advisor", *argv[:1]]))
    details = "".join(traceback.format_exception(error))
    what = f"advisor failed unexpectedly ({type(error).__name__} in `{command}`): a bug, not a mistake of yours"
    try:
        log = _log(details, argv)
    except OSError as cause:
        env.err(f"{what}; please report it, with the details below, to {REPORT_TO} "
                f"(they could not be saved in a log file: {cause.strerror or cause})\n{details}")
    else:
        env.err(f"{what}; please report it, with {visible(str(log))}, to {REPORT_TO}")
    return ExitStatus.CRASHED


def _log(details: str, argv: list[str]) -> Path:
    """A new crash log holding the traceback and what ran it; its path."""
    when = dt.datetime.now().astimezone()
    path = private_dir(state_dir()) / f"crash-{when:%Y%m%d-%H%M%S}-{os.getpid()}.log"
    write_private(path, f"advisor {__version__}, Python {platform.python_version()}, {platform.platform()}\n"
                        f"{when.isoformat(timespec='seconds')}: advisor {shlex.join(argv)}\n\n{details}")
    return path
