"""`advisor rules diff OLD NEW --profiles PATH`: whose advice changes between two rulebase versions, and why."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from advisor.advice.advisor import open_advisor
from advisor.cli.options import add_as_of_option, add_engine_option
from advisor.errors import InputError
from advisor.exits import ExitStatus
from advisor.io.environment import Environment
from advisor.rulebase.revisions import rulebase_folder
from advisor.toolkit.diff import Diff, compare, load_profile_file, profile_files


def configure(parser, argv) -> None:
    parser.description = ("Evaluate profiles with two versions of a rulebase and list every verdict that changes, "
                          "with the rule and condition behind it. OLD and NEW are rulebase folders, or REV:PATH for a "
                          "folder as it was in a git revision (e.g. HEAD~1:rules).")
    parser.add_argument("old", metavar="OLD")
    parser.add_argument("new", metavar="NEW")
    parser.add_argument("--profiles", nargs="+", required=True, type=Path, metavar="PATH",
                        help="profile files, or folders searched for .yaml/.yml/.json profiles; rule test files "
                        "(tests/*.yaml) count too: their cases' profiles are used")
    add_as_of_option(parser, "the date of the advice, for every profile (default: each profile's as_of, else today)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--exit-code", action="store_true", help="exit 1 when a verdict changes (for CI)")
    add_engine_option(parser)
    parser.set_defaults(handler=run)


def run(args, env: Environment) -> ExitStatus:
    with tempfile.TemporaryDirectory(prefix="advisor-diff-") as scratch:
        advisors = []
        for which, spec in (("OLD", args.old), ("NEW", args.new)):
            try:
                advisors.append(open_advisor(rulebase_folder(spec, Path(scratch) / which), args.engine, args.as_of,
                                             notices=env.stderr))
            except InputError as error:
                env.problems(error)
                env.err(f"{which} ({spec}) is not a usable rulebase (`advisor rules check` lists its problems).")
                return ExitStatus.INVALID
        profiles, failed = [], False
        for path in profile_files(args.profiles):
            try:
                profiles += load_profile_file(path)
            except InputError as error:
                env.problems(error)
                failed = True
        diff = compare(*advisors, profiles)
        _print(diff, args, env)
    if failed:
        return ExitStatus.INVALID
    return ExitStatus.INVALID if args.exit_code and diff.changes else ExitStatus.OK


def _print(diff: Diff, args, env: Environment) -> None:
    versions = {"old": {"spec": args.old, "version": diff.old.version},
                "new": {"spec": args.new, "version": diff.new.version}}
    if args.format == "json":
        data = {**versions, "profiles": diff.profiles, "skipped": diff.skipped,
                "changes": [c.to_dict() for c in diff.changes],
                "summary": [{"id": i, "old": o, "new": n, "profiles": count}
                            for (i, o, n), count in diff.transitions()]}
        json.dump(data, env.stdout, indent=2, ensure_ascii=False)
        env.out()
        return
    env.out(f"{args.old} ({diff.old.version}) -> {args.new} ({diff.new.version}), {diff.profiles} profiles")
    if diff.skipped:
        env.out(f"{len(diff.skipped)} skipped: their answers cannot be true on the date of the advice "
                "(a PhD after it, or a partnership older than the career).")
    if not diff.changes:
        env.out("No verdict changes.")
        return
    current = None
    for change in diff.changes:
        if change.profile != current:
            current = change.profile
            env.out(f"\n{current}")
        env.out(f"  {change.rule_id}: {change.old or '(absent)'} -> {change.new or '(absent)'}")
        for line in change.why:
            env.out(f"      {line}")
    changed = len({c.profile for c in diff.changes})
    verdicts = f"{len(diff.changes)} verdict" + ("s" if len(diff.changes) > 1 else "")
    env.out(f"\n{changed} of {diff.profiles} profiles change ({verdicts}):")
    for (rule_id, old, new), count in diff.transitions():
        env.out(f"  {rule_id}: {old or '(absent)'} -> {new or '(absent)'}  x{count}")
