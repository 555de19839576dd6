"""How a command ends: its exit status, and SIGTERM (`kill`, a job scheduler's time limit) taken as Ctrl-C.

Python's default is to die at once: a batch left its half-written report and temporary files, and
a questionnaire left the terminal in the prompt's mode without saying how to continue. With
`stop_on_sigterm`, SIGTERM raises `Terminated`, a KeyboardInterrupt, so every path that handles
Ctrl-C (discarding a half-written report, telling where the answers are saved) handles it too.
While a prompt runs (`asked`), it is ended the way Ctrl-C ends it, from inside its event loop, so
that prompt_toolkit gives the terminal back (cursor, paste mode) before `Terminated` is raised: an
exception raised in the middle of its drawing skipped that.
"""

from __future__ import annotations

import signal
from enum import IntEnum
from typing import Any, Callable


class ExitStatus(IntEnum):
    """The exit status of every `advisor` command."""

    OK = 0  # advice given, everything read
    INVALID = 1  # some input (a profile, a rulebase, a session, a file to write) could not be used
    USAGE = 2  # the command line itself is wrong
    CRASHED = 70  # a bug in advisor itself (sysexits' EX_SOFTWARE): one line says so, a log file has the details
    INTERRUPTED = 130  # Ctrl-C (or Ctrl-D in a prompt)
    CLOSED_PIPE = 141  # standard output closed by its reader (`| head`): 128 + SIGPIPE, as other tools end
    TERMINATED = 143  # SIGTERM


_requested = False  # SIGTERM has come
_prompt: Any = None  # the prompt_toolkit application of the prompt being asked, if any


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived: stop like Ctrl-C, and exit with 143 rather than 130."""


def stopped_by(stop: BaseException) -> ExitStatus:
    """The exit status of a command stopped by `stop` (Ctrl-C, Ctrl-D or SIGTERM)."""
    return ExitStatus.TERMINATED if isinstance(stop, Terminated) else ExitStatus.INTERRUPTED


def stop_on_sigterm() -> Callable[[], None]:
    """Turn SIGTERM into `Terminated` in this (main) thread; returns what restores the previous handler."""
    try:
        previous = signal.signal(signal.SIGTERM, _stop)
    except ValueError:  # not the main thread: leave signals alone
        return lambda: None

    def restore() -> None:
        global _requested
        _requested = False
        signal.signal(signal.SIGTERM, previous)
    return restore


def asked(question) -> Any:
    """A questionary prompt's answer (`unsafe_ask`); on SIGTERM, `Terminated` once the prompt has ended."""
    global _prompt
    _prompt = question.application
    try:
        answer = question.unsafe_ask()
    finally:
        _prompt = None
    if _requested:  # it came as the prompt was ending on its own
        raise Terminated
    return answer


def _stop(signum, frame) -> None:
    global _requested
    _requested = True
    loop = getattr(_prompt, "loop", None)
    if loop is None or not loop.is_running():
        raise Terminated
    loop.call_soon_threadsafe(_end_prompt, _prompt)


def _end_prompt(app) -> None:
    if app.future is not None and not app.future.done():
        app.exit(exception=Terminated())
