"""The `advisor` command line: the commands, and how any of them ends.

`advisor --help` imports no command: each command is a module of `advisor.cli` (a package for
`rules` and `session`, one module per action), imported only when it is the one that runs. Its
`configure(parser, argv)` adds its arguments and its `run(args, env)` does the work, writing only
through the `Environment` it is given.

However a command ends, it ends with a status of `ExitStatus` and without a traceback: standard
output closed by its reader (`| head`) ends it quietly, a full standard output with an error, and
a bug with one line and a log file (`advisor.cli.crash`).
"""

from __future__ import annotations

import argparse
import errno
import os
import sys

from advisor import __version__
from advisor.cli.commands import add_commands
from advisor.errors import InputError, RulebaseError, UsageError, cannot_write
from advisor.exits import ExitStatus, Terminated, stop_on_sigterm, stopped_by
from advisor.io.environment import Environment

# Why writing standard output fails (a full disk or quota, a file too big, a device error): an error without a file
# name, as only writes to an open stream give, is one of these; other errors escaping a command are bugs.
CANNOT_WRITE = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO}

# name -> what it does, in a line (`advisor --help` lists them in this order)
COMMANDS = {
    "evaluate": "advice for one or more profile files",
    "ask": "answer a few questions and get advice (answers saved as you go)",
    "batch": "advice for folders of profiles, with a summary",
    "schema": "print a JSON Schema (profile, rules, facts, rulebase, rule-tests, result, result-full, catalogue)",
    "rules": "check, test, document and compare rulebases",
    "session": "an adviser's sessions: answers, notes, what-if, history",
    "compare": "two or more instruments side by side for one researcher",
    "report": "a report to hand over (Markdown or self-contained HTML)",
    "calendar": "the next deadlines of the instruments that fit, as a list or an iCalendar file",
    "serve": "the questionnaire, the advice and the sessions in a web browser, with a JSON API",
}


def build_parser(argv: list[str], env: Environment) -> argparse.ArgumentParser:
    """The command line's parser, printing its help and usage errors through `env`."""
    parser = _parser_class(env)(prog="advisor", description="Which international cooperation instruments fit "
                                     "a researcher, why, and what to do next.")
    parser.add_argument("--version", action="version", version=f"advisor {__version__}")
    add_commands(parser, "advisor.cli", COMMANDS, argv, "command", "COMMAND")
    return parser


def main(argv: list[str] | None = None, env: Environment | None = None) -> int:
    """Run one command; its exit status (see ExitStatus)."""
    argv = sys.argv[1:] if argv is None else argv
    env = env or Environment.from_system()
    restore = stop_on_sigterm()
    try:
        parser = build_parser(argv, env)
        args = parser.parse_args(argv)
        status = run(args, env, parser)
        env.stdout.flush()  # here, where a full disk is reported, rather than when Python exits
        return int(status)
    except KeyboardInterrupt as stop:  # Ctrl-C, or SIGTERM (see advisor.exits)
        env.err("terminated" if isinstance(stop, Terminated) else "interrupted")
        return stopped_by(stop)
    except BrokenPipeError:  # read by `head` or a pager that was closed: stop quietly, as other tools do
        _quiet_standard_output(env)
        return ExitStatus.CLOSED_PIPE
    except SystemExit as leaving:  # rich's console ends so on a closed pipe (after pointing it at the null device)
        if isinstance(leaving.__context__, BrokenPipeError):
            return ExitStatus.CLOSED_PIPE
        raise
    except OSError as error:
        if error.filename is not None or error.errno not in CANNOT_WRITE:
            return _crashed(error, argv, env)
        _quiet_standard_output(env)  # what is left in its buffer cannot be written either
        env.err(cannot_write("standard output", error, option=None))
        return ExitStatus.INVALID
    except Exception as error:  # noqa: BLE001 - a bug: one line, the details in a log file
        return _crashed(error, argv, env)
    finally:
        restore()


def run(args: argparse.Namespace, env: Environment, parser: argparse.ArgumentParser) -> ExitStatus:
    """The command's handler, with the errors every command reports alike."""
    try:
        return args.handler(args, env)
    except UsageError as error:
        env.err(f"error: {error}")
        return ExitStatus.USAGE
    except RulebaseError as error:
        env.problems(error)
        env.err("The rulebase has errors; fix them (`advisor rules check` lists them all).")
    except InputError as error:
        env.problems(error)
    return ExitStatus.INVALID


def _crashed(error: Exception, argv: list[str], env: Environment) -> ExitStatus:
    """`advisor.cli.crash.crashed`, imported only when needed: `advisor --help` stays light."""
    from advisor.cli.crash import crashed

    return crashed(error, argv, env)


def _quiet_standard_output(env: Environment) -> None:
    """Point standard output at the null device, so that Python's last flush does not fail again."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, env.stdout.fileno())
        os.close(null)
    except (OSError, ValueError):  # no file descriptor (captured output)
        pass


def _parser_class(env: Environment) -> type[argparse.ArgumentParser]:
    """An ArgumentParser (for the command and its sub-commands) that writes to `env`'s streams."""
    class Parser(argparse.ArgumentParser):
        def _print_message(self, message: str, file=None) -> None:
            if message:
                (env.stderr if file is sys.stderr else env.stdout).write(message)

    return Parser


if __name__ == "__main__":
    sys.exit(main())
