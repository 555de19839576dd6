"""`advisor session new NAME [--profile FILE]`: start a session, empty or from a profile file."""

from __future__ import annotations

from pathlib import Path

from advisor.cli.options import open_store
from advisor.cli.session import add_name
from advisor.exits import ExitStatus
from advisor.io.environment import Environment
from advisor.io.profiles import load_one_profile
from advisor.sessions.store import check_name


def configure(parser, argv) -> None:
    add_name(parser)
    parser.add_argument("--profile", type=Path, metavar="FILE", help="start from the answers in this profile file")
    parser.set_defaults(handler=run)


def run(args, env: Environment) -> ExitStatus:
    check_name(args.name)
    profile = None
    if args.profile:
        profile = load_one_profile(args.profile, "a session starts from",
                                   "put the profile in a file of its own").profile
    session = open_store(args, env).create(args.name, profile, by=f"new from {args.profile}" if args.profile else "new")
    env.out(f"Session {session.name} created in {session.folder}")
    env.out(f"Next: `advisor session ask {session.name}` (the questionnaire), `advisor session set {session.name} "
            f"FIELD=VALUE`, `advisor session evaluate {session.name}`, `advisor session note {session.name} TEXT`.")
    return ExitStatus.OK
