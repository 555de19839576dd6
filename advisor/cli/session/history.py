"""`advisor session history NAME [--revision N]`: each change of answers, or the answers at a revision."""

from __future__ import annotations

import yaml

from advisor.cli.options import open_store
from advisor.cli.session import add_name
from advisor.exits import ExitStatus
from advisor.io.environment import Environment
from advisor.io.profiles import dump_profile
from advisor.render.session import history_line


def configure(parser, argv) -> None:
    add_name(parser)
    parser.add_argument("--revision", type=int, metavar="N", help="print the answers as they were after revision N")
    parser.set_defaults(handler=run)


def run(args, env: Environment) -> ExitStatus:
    session = open_store(args, env).open(args.name)
    if args.revision is not None:
        profile = session.profile_at(args.revision)
        env.stdout.write(yaml.safe_dump(dump_profile(profile), sort_keys=False, allow_unicode=True))
        return ExitStatus.OK
    console = env.console()
    for record in session.history():
        console.print(history_line(record))
    return ExitStatus.OK
