"""Options several commands share, and what they open: the advisor (--rules, --engine, --as-of), the
sessions folder (--sessions-dir), the researcher a command is about (a PROFILE file or --session NAME),
and how advice is printed (--format, --full).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from advisor.advice.advisor import Advisor, open_advisor
from advisor.contract.profile import NotAnAdviceDate, Profile, advice_date
from advisor.contract.result import Result
from advisor.engines import ENGINES
from advisor.errors import InputError, Problem, UsageError, cannot_write
from advisor.io.environment import Environment
from advisor.io.private import write_private
from advisor.io.profiles import load_one_profile
from advisor.render.result_json import result_json
from advisor.render.text import render_text
from advisor.sessions.store import Session, SessionStore, default_sessions_dir


def parse_date(text: str) -> dt.date:
    """A date given on the command line, within the dates advice can be for."""
    try:
        return advice_date(text)
    except NotAnAdviceDate as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def add_rules_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rules", metavar="DIR", type=Path, default=None,
                        help="rulebase folder (default: the bundled CNRS rulebase)")


def add_engine_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--engine", choices=ENGINES, default="durable",
                        help="durable_rules (default) or the plain-Python evaluation of the same conditions")


def add_as_of_option(parser: argparse.ArgumentParser, help_text: str = "the date the advice is for (YYYY-MM-DD); "
                     "overrides the profile's as_of (default: the profile's, else today)") -> None:
    parser.add_argument("--as-of", type=parse_date, metavar="DATE", help=help_text)


def add_advisor_options(parser: argparse.ArgumentParser) -> None:
    """--as-of, --rules and --engine: what `advisor_from` opens."""
    add_as_of_option(parser)
    add_rules_option(parser)
    add_engine_option(parser)


def advisor_from(args: argparse.Namespace, env=None, counterfactuals: bool = True) -> Advisor:
    """The advisor that --rules, --engine and --as-of name (RulebaseError when the rulebase has errors)."""
    return open_advisor(args.rules, getattr(args, "engine", "durable"), getattr(args, "as_of", None),
                        counterfactuals=counterfactuals, notices=env.stderr if env else None)


def add_sessions_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--sessions-dir", metavar="DIR", type=Path, default=None,
                        help="the sessions folder (default: $ADVISOR_SESSIONS, else "
                             "$XDG_DATA_HOME/advisor/sessions, else ~/.local/share/advisor/sessions)")


def open_store(args: argparse.Namespace, env: Environment) -> SessionStore:
    """The sessions folder; a damaged record its sessions skip is a warning on `env`'s standard error."""
    return SessionStore(args.sessions_dir or default_sessions_dir(), lambda problem: env.err(f"warning: {problem}"))


def saved(env: Environment, path: Path, content: str | bytes, option: str = "--output") -> bool:
    """Write a file the user named (owner-only, atomically); False after saying why it could not be written."""
    try:
        write_private(path, content)
    except OSError as error:
        env.err(cannot_write(str(path), error, option))
        return False
    return True


def add_one_subject(parser: argparse.ArgumentParser) -> None:
    """An optional PROFILE positional and `--session NAME`: exactly one names the researcher (`one_subject`)."""
    parser.add_argument("profile", nargs="?", type=Path, metavar="PROFILE",
                        help="a profile file (or use --session NAME)")
    add_subject_options(parser)


def one_subject(args: argparse.Namespace, env: Environment) -> Subject:
    """The researcher named by PROFILE or --session (UsageError unless exactly one is given)."""
    if bool(args.session) == bool(args.profile):
        raise UsageError("give either a PROFILE file or --session NAME")
    return load_subject(args, args.profile, env)


def add_subject_options(parser: argparse.ArgumentParser) -> None:
    """`--session NAME` (the caller adds PROFILE among its positionals)."""
    parser.add_argument("--session", metavar="NAME", help="use this session's answers, notes and scenarios")
    add_sessions_option(parser)


@dataclass
class Subject:
    """The researcher a command is about: the profile, where it came from, and its session if any."""

    profile: Profile
    source: str
    session: Session | None = None


def load_subject(args: argparse.Namespace, profile_path: Path | None, env: Environment) -> Subject:
    """The session named by --session, or the one profile in PROFILE; InputError when unusable."""
    if args.session:
        session = open_store(args, env).open(args.session)
        return Subject(session.profile(), f"session {session.name}", session)
    if profile_path is None:
        raise InputError(Problem("command line", "names neither a session nor a profile file",
                                 fix="add --session NAME, or a PROFILE file"))
    loaded = load_one_profile(profile_path, "this command takes",
                              "put the profile in a file of its own, or start a session from it", env.stdin_bytes)
    return Subject(loaded.profile, loaded.source)


def add_output_options(parser: argparse.ArgumentParser) -> None:
    """--format text|json and --full: how `print_results` shows advice."""
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="text: a readable report; json: the result contract, with the catalogue of the rules' "
                        "texts (one object, or a list for several profiles)")
    add_details_option(parser)
    parser.add_argument("--full", action="store_true",
                        help="with --format json: every text joined into each result (reasons, titles, next steps...) "
                        "instead of the catalogue")


def add_details_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--details", action="store_true",
                        help="after the short answer, every recommendation's reasons, next steps, official pages "
                             "and sources (in a pager on a terminal)")


def check_output_options(args: argparse.Namespace) -> None:
    """A usage error for --full without --format json (before anything is evaluated)."""
    if args.full and args.format != "json":
        raise UsageError("--full is for --format json (the text report shows every text with --details)")
    if args.details and args.format != "text":
        raise UsageError("--details is for the text report (--format json has every fact; add --full for the texts)")


def print_results(results: Iterable[Result], args: argparse.Namespace, advisor: Advisor, env: Environment) -> None:
    """Results on standard output, each written as it comes (none is kept): the JSON contract, or the terminal
    report."""
    if args.format == "json":
        _print_json(results, args.full, advisor, env)
        return
    console = env.console()
    with console.pager(styles=True, links=True) if args.details and console.is_terminal else contextlib.nullcontext():
        for i, result in enumerate(results):
            if i:
                console.rule()
            render_text(advisor.explain(result), console, advisor.catalogue, details=args.details)


def _print_json(results: Iterable[Result], full: bool, advisor: Advisor, env: Environment) -> None:
    """One object for one result; else a list, written item by item (the first held until the second comes)."""
    first, listed = None, False
    for result in results:
        text = result_json(result, advisor.catalogue, advisor.explain(result) if full else None)
        if first is None:
            first = text
            continue
        if not listed:
            env.stdout.write("[\n  " + _indented(first))
            listed = True
        env.stdout.write(",\n  " + _indented(text))
    if listed:
        env.out("\n]")
    else:
        env.out("[]" if first is None else first)


def _indented(text: str) -> str:
    """A JSON object as an item of an indented list (a JSON string holds no newline: each one is the layout's)."""
    return text.replace("\n", "\n  ")
