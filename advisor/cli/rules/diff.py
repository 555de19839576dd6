"""`advisor rules diff OLD NEW --profiles PATH`: whose advice changes between two rulebase versions, and why."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from advisor.cli.options import EXIT_INVALID, EXIT_OK, add_engine_option, parse_date, print_problems


def register(actions) -> None:
    parser = actions.add_parser("diff", help="which profiles' verdicts change between two rulebase versions",
                                description="Evaluate profiles with two versions of a rulebase and list every "
                                "verdict that changes, with the rule and condition behind it. OLD and NEW are "
                                "rulebase folders, or REV:PATH for a folder as it was in a git revision "
                                "(e.g. HEAD~1:rules).")
    parser.add_argument("old", metavar="OLD")
    parser.add_argument("new", metavar="NEW")
    parser.add_argument("--profiles", nargs="+", required=True, type=Path, metavar="PATH",
                        help="profile files, or folders searched for .yaml/.yml/.json profiles; rule test files "
                        "(tests/*.yaml) count too: their cases' profiles are used")
    parser.add_argument("--as-of", type=parse_date, metavar="DATE", help="the date of the advice, for every profile "
                        "(default: each profile's as_of, else today)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--exit-code", action="store_true", help="exit 1 when a verdict changes (for CI)")
    add_engine_option(parser)
    parser.set_defaults(handler=run)


def profile_files(paths: list[Path]) -> list[Path]:
    """The files named, and the profile files inside the folders named, in a stable order."""
    from advisor.io.profiles import SUFFIXES

    files = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file())
        else:
            files.append(path)
    return files


def load_profile_file(path: Path):
    """The profiles of a profile file, or of a rule test file's cases (a file that holds `cases:`)."""
    import re  # noqa: PLC0415

    from advisor.errors import InputError
    from advisor.io.profiles import LoadedProfile, load_profiles, profiles_from_document
    from advisor.toolkit.cases import read_case_file
    from advisor.io.documents import read_text

    if path.suffix.lower() in (".yaml", ".yml") and re.search(r"^cases\s*:", read_text(path), re.MULTILINE):
        cases, problems = read_case_file(path)
        if problems:
            raise InputError(problems)
        return [LoadedProfile(profiles_from_document(c.profile)[0].profile, c.id) for c in cases]
    return load_profiles(path)


def run(args) -> int:
    from advisor.advice.advisor import Advisor
    from advisor.engines import make_engine
    from advisor.errors import InputError
    from advisor.io.profiles import LoadedProfile
    from advisor.rulebase.loader import load_rulebase
    from advisor.rulebase.revisions import rulebase_folder
    from advisor.toolkit.diff import compare

    with tempfile.TemporaryDirectory(prefix="advisor-diff-") as scratch:
        advisors = []
        for which, spec in (("OLD", args.old), ("NEW", args.new)):
            try:
                rulebase = load_rulebase(rulebase_folder(spec, Path(scratch) / which))
            except InputError as error:
                print_problems(error)
                print(f"{which} ({spec}) is not a usable rulebase (`advisor rules check` lists its problems).",
                      file=sys.stderr)
                return EXIT_INVALID
            advisors.append(Advisor(rulebase, make_engine(args.engine, rulebase)))
        profiles, failed = [], False
        for path in profile_files(args.profiles):
            try:
                loaded = load_profile_file(path)
            except InputError as error:
                print_problems(error)
                failed = True
                continue
            profiles += [item if args.as_of is None else
                         LoadedProfile(item.profile.model_copy(update={"as_of": args.as_of}), item.source)
                         for item in loaded]
        diff = compare(*advisors, profiles)
        _print(diff, args)
    if failed:
        return EXIT_INVALID
    return EXIT_INVALID if args.exit_code and diff.changes else EXIT_OK


def _print(diff, args) -> None:
    versions = {"old": {"spec": args.old, "version": diff.old.version},
                "new": {"spec": args.new, "version": diff.new.version}}
    if args.format == "json":
        data = {**versions, "profiles": diff.profiles, "changes": [c.to_dict() for c in diff.changes],
                "summary": [{"id": i, "old": o, "new": n, "profiles": count} for (i, o, n), count in diff.transitions()]}
        json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return
    print(f"{args.old} ({diff.old.version}) -> {args.new} ({diff.new.version}), {diff.profiles} profiles")
    if not diff.changes:
        print("No verdict changes.")
        return
    current = None
    for change in diff.changes:
        if change.profile != current:
            current = change.profile
            print(f"\n{current}")
        print(f"  {change.rule_id}: {change.old or '(absent)'} -> {change.new or '(absent)'}")
        for line in change.why:
            print(f"      {line}")
    changed = len({c.profile for c in diff.changes})
    verdicts = f"{len(diff.changes)} verdict" + ("s" if len(diff.changes) > 1 else "")
    print(f"\n{changed} of {diff.profiles} profiles change ({verdicts}):")
    for (rule_id, old, new), count in diff.transitions():
        print(f"  {rule_id}: {old or '(absent)'} -> {new or '(absent)'}  x{count}")
