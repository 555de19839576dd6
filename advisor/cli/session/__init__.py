"""`advisor session ACTION`: an adviser's sessions with researchers, one module per action."""

from __future__ import annotations

import argparse

from advisor.cli.commands import add_commands
from advisor.cli.options import add_sessions_option
from advisor.sessions.whatif import Assignment, parse_assignment, parse_unset

ACTIONS = {
    "new": "start a session, empty or from a profile file",
    "list": "list the sessions",
    "show": "show a session: answers, notes, history, evaluations, scenarios",
    "ask": "run or resume the questionnaire into the session (every answer is kept in the history; Ctrl-C stops, "
           "the same command continues)",
    "set": "change answers (each change is kept in the history)",
    "history": "the answers' history, or the answers as they were at a revision",
    "restore": "make an earlier revision's answers current again (kept in the history)",
    "note": "add a note to the session",
    "evaluate": "advice for the session's answers (the evaluation is recorded)",
    "whatif": "evaluate changed answers beside the current ones and show what changes",
    "delete": "delete a session and every file of it (asks for confirmation)",
}


def configure(parser: argparse.ArgumentParser, argv: list[str]) -> None:
    parser.description = ("Keep one session per researcher: their answers with a timestamped history, your notes, "
                          "each evaluation made, and what-if scenarios.")
    add_commands(parser, "advisor.cli.session", ACTIONS, argv, "action", "ACTION")


def add_name(parser: argparse.ArgumentParser) -> None:
    """The session's NAME, and where sessions are kept."""
    parser.add_argument("name", metavar="NAME")
    add_sessions_option(parser)


def add_changes(parser: argparse.ArgumentParser) -> None:
    """Answers to change: FIELD=VALUE (what people type first), --set FIELD=VALUE, --unset FIELD."""
    parser.add_argument("changes", nargs="*", metavar="FIELD=VALUE", help="answers to change, as with --set")
    parser.add_argument("--set", dest="assignments", action="append", default=[], metavar="FIELD=VALUE",
                        help="an answer to change, e.g. permanent_position=true, goals=consolidate,build_network, "
                             "collaborations[0].stage=funded (repeat for several)")
    parser.add_argument("--unset", action="append", default=[], metavar="FIELD",
                        help="an answer to forget (it becomes unknown)")


def assignments(args: argparse.Namespace) -> list[Assignment]:
    return [parse_assignment(a) for a in [*args.changes, *args.assignments]] + [parse_unset(u) for u in args.unset]
