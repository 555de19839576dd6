"""`advisor session delete NAME`: delete a session and every file of it, once the name is typed again."""

from __future__ import annotations

from advisor.cli.options import open_store
from advisor.cli.session import add_name
from advisor.exits import ExitStatus
from advisor.io.environment import Environment
from advisor.sessions.store import check_name


def configure(parser, argv) -> None:
    add_name(parser)
    parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    parser.set_defaults(handler=run)


def run(args, env: Environment) -> ExitStatus:
    store = open_store(args, env)
    folder = store.root / check_name(args.name)
    if not folder.is_dir():  # a damaged session (its session.yaml lost) can still be deleted
        store.open(args.name)  # no such session: says so, with the closest name
    if not args.yes:
        env.stderr.write(f"Delete session {args.name} and every file in {folder}? This cannot be undone. "
                         "Type the session name to confirm: ")
        env.stderr.flush()
        if env.stdin.readline().strip() != args.name:
            env.err("Not deleted.")
            return ExitStatus.USAGE
    exported = store.delete(args.name)
    env.out(f"Session {args.name} deleted.")
    if exported:
        env.out("Reports written from it are files of yours and were not touched:")
        for path in exported:
            env.out(f"  {path}")
    return ExitStatus.OK
