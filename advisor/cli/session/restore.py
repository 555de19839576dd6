"""`advisor session restore NAME N`: make revision N's answers current again (itself a new revision)."""

from __future__ import annotations

from advisor.cli.options import open_store
from advisor.cli.session import add_name
from advisor.exits import ExitStatus
from advisor.io.environment import Environment
from advisor.render.session import change_lines


def configure(parser, argv) -> None:
    add_name(parser)
    parser.add_argument("revision", type=int, metavar="N")
    parser.set_defaults(handler=run)


def run(args, env: Environment) -> ExitStatus:
    session = open_store(args, env).open(args.name)
    changes = session.save_profile(session.profile_at(args.revision), by=f"restore revision {args.revision}")
    for line in change_lines(changes):
        env.out(line)
    return ExitStatus.OK
