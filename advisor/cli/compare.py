"""`advisor compare (--session NAME | PROFILE) NAME NAME...`: instruments side by side for one researcher."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

from advisor.advice.compare import compare
from advisor.cli.options import (
    add_advisor_options,
    add_subject_options,
    advisor_from,
    load_subject,
)
from advisor.errors import UsageError, visible
from advisor.exits import ExitStatus
from advisor.io.environment import Environment
from advisor.render.sidebyside import compare_markdown, compare_table
from advisor.rulebase.naming import Names


def configure(parser, argv) -> None:
    parser.description = ("Compare instruments for one researcher: status, duration, funding, calendar, who "
                          "applies, what is missing. Give a PROFILE file (or --session NAME) first, then the "
                          "instruments by acronym, title or id, in any case: IRN IRP, \"ERC Starting Grant\", "
                          "cnrs.irn.")
    parser.add_argument("items", nargs="+", metavar="[PROFILE] NAME",
                        help="a profile file (unless --session is given), then two or more instruments, e.g. "
                             "IRN IRP")
    add_subject_options(parser)
    parser.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    add_advisor_options(parser)
    parser.set_defaults(handler=run)


def run(args, env: Environment) -> ExitStatus:
    advisor = advisor_from(args, env)
    names = Names(advisor.catalogue.rules)
    profile_path, typed = _split(args.items, args.session, names)
    ids = names.resolve(typed)
    if len(ids) < 2:
        raise UsageError("name two or more different instruments to compare, e.g. IRN IRP")
    subject = load_subject(args, profile_path, env)
    result = advisor.explain(advisor.evaluate(subject.profile, subject.source))
    rows = compare(result, ids)
    if args.format == "json":
        json.dump({"as_of": result.as_of.isoformat(), "rulebase": result.rulebase.model_dump(),
                   "instruments": [r.to_dict() for r in rows]}, env.stdout, indent=2, ensure_ascii=False)
        env.out()
    elif args.format == "markdown":
        env.stdout.write(compare_markdown(rows))
    else:
        env.console().print(compare_table(rows))
    return ExitStatus.OK


def _split(items: list[str], session: str | None, names: Names) -> tuple[Path | None, list[str]]:
    """The profile file (None with --session) and the names typed; a usage error for a profile forgotten (the
    first item names an instrument and is no file) or given beside --session."""
    first = items[0]
    if session:
        if Path(first).is_file() and not names.candidates(first):
            raise UsageError(f"{visible(first)} is a file, and --session {visible(session)} names the researcher "
                             "already\n  fix: give either a PROFILE file or --session NAME, then the instruments")
        return None, items
    if not Path(first).exists() and names.candidates(first):
        typed = visible(shlex.join(items))
        raise UsageError(f"'{visible(first)}' is an instrument, not a profile file: name the researcher first, with "
                         f"a PROFILE file or --session NAME\n  fix: advisor compare PROFILE.yaml {typed}\n"
                         f"   or: advisor compare --session NAME {typed}")
    return Path(first), items[1:]
