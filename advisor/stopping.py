"""SIGTERM (`kill`, a job scheduler's time limit) stops a command the way Ctrl-C does.

Python's default is to die at once: a batch left its half-written report and temporary files, and
a questionnaire left the terminal in the prompt's mode without saying how to continue. With
`stop_on_sigterm`, SIGTERM raises `Terminated`, a KeyboardInterrupt, so every path that handles
Ctrl-C (discarding a half-written report, telling where the answers are saved) handles it too.
"""

from __future__ import annotations

import signal
from typing import Callable

EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived: stop like Ctrl-C, and exit with 143 rather than 130."""


def exit_code(stop: BaseException) -> int:
    """The exit code of a command stopped by `stop` (Ctrl-C, Ctrl-D or SIGTERM)."""
    return EXIT_TERMINATED if isinstance(stop, Terminated) else EXIT_INTERRUPTED


def stop_on_sigterm() -> Callable[[], None]:
    """Turn SIGTERM into `Terminated` in this (main) thread; returns what restores the previous handler."""
    def stop(signum, frame):
        raise Terminated

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread: leave signals alone
        return lambda: None
    return lambda: signal.signal(signal.SIGTERM, previous)
