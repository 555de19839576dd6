"""What the user sees when `advisor` itself fails: one line, and the details in a log file kept for a bug report.

An exception that no command handles is a bug in advisor, not a mistake of the user's: a
traceback on the terminal tells them nothing and hides what they were doing. Instead, the
traceback goes into `crash-<time>.log` in advisor's state folder ($XDG_STATE_HOME/advisor, else
~/.local/state/advisor; owner-only: a command line and a traceback may name people's files), and
one line says what failed, where the details are and where to report it. The command ends with
`ExitStatus.CRASHED`.
"""

from __future__ import annotations

import shlex
import traceback

from advisor.errors import visible
from advisor.exits import ExitStatus
from advisor.io.crashlog import crash_log
from advisor.io.environment import Environment

REPORT_TO = "the maintainers of advisor (README: Reporting a bug)"


def crashed(error: Exception, argv: list[str], env: Environment) -> ExitStatus:
    """Say in one line that advisor failed on `error` and where its traceback was saved (or, when no log could be
    written, show the traceback after that line)."""
    command = visible(" ".join(["advisor", *argv[:1]]))
    details = "".join(traceback.format_exception(error))
    what = f"advisor failed unexpectedly ({type(error).__name__} in `{command}`): a bug, not a mistake of yours"
    try:
        log = crash_log(details, f"advisor {shlex.join(argv)}")
    except OSError as cause:
        env.err(f"{what}; please report it, with the details below, to {REPORT_TO} "
                f"(they could not be saved in a log file: {cause.strerror or cause})\n{details}")
    else:
        env.err(f"{what}; please report it, with {visible(str(log))}, to {REPORT_TO}")
    return ExitStatus.CRASHED
