"""Sub-commands registered from a table, so that only the command that runs is imported."""

from __future__ import annotations

import argparse
import importlib


def add_commands(parser: argparse.ArgumentParser, package: str, commands: dict[str, str], argv: list[str],
                 dest: str, metavar: str) -> None:
    """One sub-parser per command; only the one named in `argv` is imported and configured."""
    chosen = next((arg for arg in argv if not arg.startswith("-")), None)
    sub = parser.add_subparsers(dest=dest, metavar=metavar, required=True)
    for name, summary in commands.items():
        command = sub.add_parser(name, help=summary, description=summary[:1].upper() + summary[1:] + ".")
        if name == chosen:
            importlib.import_module(f"{package}.{name}").configure(command, argv[argv.index(name) + 1:])
