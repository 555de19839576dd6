"""`advisor session show NAME`: answers, notes, history, evaluations and scenarios of one session."""

from __future__ import annotations

from advisor.cli.options import open_store
from advisor.cli.session import add_name
from advisor.exits import ExitStatus
from advisor.io.environment import Environment
from advisor.render.session import show_session


def configure(parser, argv) -> None:
    add_name(parser)
    parser.add_argument("--all", action="store_true", help="the whole history, not only the last changes")
    parser.set_defaults(handler=run)


def run(args, env: Environment) -> ExitStatus:
    show_session(open_store(args, env).open(args.name), env.console(), whole_history=args.all)
    return ExitStatus.OK
