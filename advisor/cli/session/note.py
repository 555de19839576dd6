"""`advisor session note NAME TEXT`: add a note to the session."""

from __future__ import annotations

from advisor.cli.options import open_store
from advisor.cli.session import add_name
from advisor.exits import ExitStatus
from advisor.io.environment import Environment


def configure(parser, argv) -> None:
    add_name(parser)
    parser.add_argument("text", nargs="+", metavar="TEXT")
    parser.set_defaults(handler=run)


def run(args, env: Environment) -> ExitStatus:
    session = open_store(args, env).open(args.name)
    session.add_note(" ".join(args.text))
    env.out(f"Note added to {session.name} ({len(session.notes())} in all).")
    return ExitStatus.OK
