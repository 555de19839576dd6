"""`advisor session set NAME FIELD=VALUE...`: change answers; each change is kept in the history."""

from __future__ import annotations

from advisor.cli.options import open_store
from advisor.cli.session import add_changes, add_name, assignments
from advisor.errors import UsageError
from advisor.exits import ExitStatus
from advisor.io.environment import Environment
from advisor.render.session import change_lines
from advisor.sessions.whatif import apply


def configure(parser, argv) -> None:
    add_name(parser)
    add_changes(parser)
    parser.set_defaults(handler=run)


def run(args, env: Environment) -> ExitStatus:
    session = open_store(args, env).open(args.name)
    changes = assignments(args)
    if not changes:
        raise UsageError("nothing to change; add FIELD=VALUE (or --set FIELD=VALUE) or --unset FIELD")
    # applied to the answers as they are once the session is locked: a `set` at the same time is kept
    for line in change_lines(session.update_profile(lambda current: apply(current, changes), by="set")):
        env.out(line)
    return ExitStatus.OK
