"""`advisor session list`: the sessions, with the researcher's name and how much each holds."""

from __future__ import annotations

from advisor.cli.options import add_sessions_option, open_store
from advisor.errors import InputError
from advisor.exits import ExitStatus
from advisor.io.environment import Environment
from advisor.render.session import sessions_table


def configure(parser, argv) -> None:
    add_sessions_option(parser)
    parser.set_defaults(handler=run)


def run(args, env: Environment) -> ExitStatus:
    store = open_store(args, env)
    names = store.names()
    if not names:
        env.out(f"No sessions in {store.root}. Start one with `advisor session new NAME`.")
        return ExitStatus.OK
    rows = []
    for name in names:
        try:
            session = store.open(name)
            history = session.history()
            rows.append((name, None, [session.profile().name or "", session.info().created,
                                      history[-1]["at"] if history else "", str(session.revision()),
                                      str(len(session.notes())), str(len(session.evaluations()))]))
        except InputError as error:
            rows.append((name, str(error.problems[0]), None))
    env.console().print(sessions_table(str(store.root), rows))
    return ExitStatus.OK
