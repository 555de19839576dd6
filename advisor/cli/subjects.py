"""Options shared by the commands that read a session or a profile file (`session`, `compare`, `report`)."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path


def add_sessions_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--sessions-dir", metavar="DIR", type=Path, default=None,
                        help="the sessions folder (default: $ADVISOR_SESSIONS, else "
                             "$XDG_DATA_HOME/advisor/sessions, else ~/.local/share/advisor/sessions)")


def open_store(args):
    from advisor.sessions.store import SessionStore, default_sessions_dir

    return SessionStore(args.sessions_dir or default_sessions_dir())


def add_subject_options(parser: argparse.ArgumentParser) -> None:
    """`--session NAME` or a PROFILE file (the caller adds PROFILE among its positionals)."""
    parser.add_argument("--session", metavar="NAME", help="use this session's answers, notes and scenarios")
    add_sessions_option(parser)


@dataclass
class Subject:
    """The profile a command works on, and the session it came from (if any)."""

    profile: object
    source: str
    session: object | None = None


def load_subject(args, profile_path: Path | None) -> Subject:
    """The session named by --session, or the single profile in PROFILE; InputError when unusable."""
    from advisor.errors import InputError, Problem
    from advisor.io.profiles import load_profiles

    if args.session:
        session = open_store(args).open(args.session)
        return Subject(session.profile(), f"session {session.name}", session)
    if profile_path is None:
        raise InputError(Problem("command line", "names neither a session nor a profile file",
                                 fix="add --session NAME, or a PROFILE file"))
    loaded = load_profiles(profile_path)
    if len(loaded) != 1:
        raise InputError(Problem(loaded[0].source, f"holds {len(loaded)} profiles; this command takes one",
                                 fix="put the profile in a file of its own, or start a session from it"))
    return Subject(loaded[0].profile, loaded[0].source)


def with_as_of(profile, as_of):
    """The profile with the advice date given on the command line, if any."""
    return profile if as_of is None else profile.model_copy(update={"as_of": as_of})
