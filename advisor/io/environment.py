"""What a command talks to: its streams, whether each is a terminal, and colours.

Every command receives one `Environment` and writes only through it, so a test swaps in its
own streams (and says which of them are terminals) instead of patching `sys`.
"""

from __future__ import annotations

import io
import os
import sys
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, TextIO

from advisor.errors import InputError

if TYPE_CHECKING:
    from rich.console import Console


@dataclass
class Environment:
    stdin: TextIO
    stdout: TextIO
    stderr: TextIO
    stdin_isatty: bool = False
    stdout_isatty: bool = False
    stderr_isatty: bool = False
    colors: bool = True  # False when NO_COLOR is set (https://no-color.org)

    @classmethod
    def from_system(cls) -> Environment:
        return cls(sys.stdin, sys.stdout, sys.stderr, _isatty(sys.stdin), _isatty(sys.stdout), _isatty(sys.stderr),
                   colors="NO_COLOR" not in os.environ)

    @classmethod
    def in_memory(cls, stdin: str = "", terminal: bool = False) -> Environment:
        """Streams held in memory, all terminals or none (for tests, and programs that run commands)."""
        def stream(text: str = "") -> TextIO:
            return io.TextIOWrapper(io.BytesIO(text.encode()), encoding="utf-8", write_through=True)
        return cls(stream(stdin), stream(), stream(), terminal, terminal, terminal, colors=False)

    def written(self) -> tuple[str, str]:
        """What was written on standard output and standard error (an `in_memory` environment)."""
        return tuple(s.buffer.getvalue().decode() for s in (self.stdout, self.stderr))

    @property
    def interactive(self) -> bool:
        """Whether a person can answer prompts: standard input and output are both a terminal."""
        return self.stdin_isatty and self.stdout_isatty

    @property
    def stdin_bytes(self) -> IO[bytes]:
        """Standard input as bytes (profiles piped in)."""
        return self.stdin.buffer

    @property
    def stdout_bytes(self) -> IO[bytes]:
        """Standard output for bytes (a report written as it is made), after what was printed as text."""
        self.stdout.flush()
        return self.stdout.buffer

    def console(self, width: int | None = None, soft_wrap: bool = False) -> Console:
        """A rich console on standard output (`soft_wrap`: long lines are not cut to the width)."""
        return self._console(self.stdout, self.stdout_isatty, width, soft_wrap)

    def error_console(self) -> Console:
        """A rich console on standard error (progress, summaries beside a report on standard output)."""
        return self._console(self.stderr, self.stderr_isatty, None, False)

    def _console(self, stream: TextIO, terminal: bool, width: int | None, soft_wrap: bool) -> Console:
        from rich.console import (
            Console,  # rich takes half of `advisor --help`'s time: imported when printing
        )

        # a terminal is one; otherwise rich decides (FORCE_COLOR, TTY_COMPATIBLE and the stream itself)
        return Console(file=stream, force_terminal=True if terminal else None, no_color=not self.colors,
                       highlight=False, width=width, soft_wrap=soft_wrap)

    def out(self, text: str = "") -> None:
        """A line on standard output."""
        print(text, file=self.stdout)

    def err(self, text: str) -> None:
        """A line on standard error (notices, warnings, errors)."""
        print(text, file=self.stderr, flush=True)

    def problems(self, error: InputError) -> None:
        """Every problem of an input error, one `error: ...` each, with its fix."""
        for problem in error.problems:
            self.err(f"error: {problem}")


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # closed, or not a file
        return False
