"""The `advisor` command line. Exit codes: 0 advice given, 1 invalid input, 2 usage error, 130 Ctrl-C, 143 SIGTERM."""

from __future__ import annotations

import argparse
import importlib
import sys

from advisor.exits import Terminated, exit_code, stop_on_sigterm

# Each module in advisor/commands/ registers one subcommand.
COMMAND_MODULES = ("evaluate", "ask", "batch", "schema", "rules", "session", "compare", "report")


def build_parser() -> argparse.ArgumentParser:
    from advisor import __version__

    parser = argparse.ArgumentParser(prog="advisor", description="Which international cooperation instruments fit "
                                     "a researcher, why, and what to do next.")
    parser.add_argument("--version", action="version", version=f"advisor {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(f"advisor.cli.{name}").register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    restore = stop_on_sigterm()  # SIGTERM stops like Ctrl-C (see advisor.exits)
    try:
        return args.handler(args)
    except KeyboardInterrupt as stop:
        print("terminated" if isinstance(stop, Terminated) else "interrupted", file=sys.stderr)
        return exit_code(stop)
    except BrokenPipeError:
        return 0
    finally:
        restore()


if __name__ == "__main__":
    sys.exit(main())
