"""`advisor report (--session NAME | PROFILE)`: the report handed to the researcher (Markdown or HTML)."""

from __future__ import annotations

import sys
from pathlib import Path

from advisor.cli.options import (
    EXIT_INVALID, EXIT_OK, EXIT_USAGE, add_engine_option, add_rules_option, parse_date, print_problems
)
from advisor.cli.subjects import add_subject_options, load_subject, with_as_of


def register(commands) -> None:
    parser = commands.add_parser("report", help="a report to hand over (Markdown or self-contained HTML)",
                                 description="Write the researcher's report: the situation, the recommended path "
                                             "as a ladder, reasons, sources, next steps with calendars, what is "
                                             "not available and why, what-if scenarios and the adviser's notes.")
    parser.add_argument("profile", nargs="?", type=Path, metavar="PROFILE",
                        help="a profile file (or use --session NAME)")
    add_subject_options(parser)
    parser.add_argument("--format", choices=("markdown", "html"), default=None,
                        help="default: from the --output name (.html, .htm: html), else markdown")
    parser.add_argument("--output", "-o", type=Path, metavar="FILE",
                        help="write the report here (readable by you only); default: standard output")
    parser.add_argument("--as-of", type=parse_date, metavar="DATE", help="the date the advice is for")
    parser.add_argument("--without-personal", action="store_true",
                        help="leave out the personal fields: name, nationality, gender (and the session name)")
    parser.add_argument("--omit", action="append", default=[], metavar="FIELD",
                        help="leave out this field too (e.g. phd_year); repeat or separate with commas")
    parser.add_argument("--no-notes", action="store_true", help="leave out the adviser's notes")
    parser.add_argument("--no-scenarios", action="store_true", help="leave out the what-if scenarios")
    add_rules_option(parser)
    add_engine_option(parser)
    parser.set_defaults(handler=run)


def _withheld(args) -> frozenset[str]:
    from advisor.errors import InputError, Problem, did_you_mean
    from advisor.contract.profile import Profile
    from advisor.render.report import PERSONAL_FIELDS

    names = {n.strip() for item in args.omit for n in item.split(",") if n.strip()}
    allowed = [n for n in Profile.model_fields if n not in ("schema_version", "questionnaire", "as_of")]
    unknown = [Problem("--omit", f"'{n}' is not a profile field", field=n,
                       fix=(f"did you mean '{g}'? " if (g := did_you_mean(n, allowed)) else "")
                       + "fields: " + ", ".join(allowed)) for n in sorted(names) if n not in allowed]
    if unknown:
        raise InputError(unknown)
    return frozenset(names | (set(PERSONAL_FIELDS) if args.without_personal else set()))


def run(args) -> int:
    from advisor.errors import InputError, cannot_write
    from advisor.io.private import write_private
    from advisor.render.report import ReportInput, maturity_of, render_report, report_context
    from advisor.cli.options import open_advisor

    if bool(args.session) == bool(args.profile):
        print("error: give either a PROFILE file or --session NAME", file=sys.stderr)
        return EXIT_USAGE
    if args.profile and args.output and _same_file(args.profile, args.output):
        print(f"error: --output {args.output} is the profile file itself: the report would replace it\n"
              "  fix: write the report to another file", file=sys.stderr)
        return EXIT_USAGE
    fmt = args.format or ("html" if args.output and args.output.suffix.lower() in (".html", ".htm") else "markdown")
    try:
        withheld = _withheld(args)
        subject = load_subject(args, args.profile)
        session = subject.session
        notes = [] if args.no_notes or session is None else session.notes()
        scenarios = [] if args.no_scenarios or session is None else [s.data for s in session.scenarios()]
        advisor = open_advisor(args)
        if advisor is None:
            return EXIT_INVALID
        profile = with_as_of(subject.profile, args.as_of)
        result = advisor.evaluate(profile, subject.source)
        text = render_report(report_context(ReportInput(
            result=result, profile=profile, rulebase=advisor.rulebase,
            maturity=maturity_of(advisor, profile, result.as_of),
            session=session.name if session else None, notes=notes, scenarios=scenarios, withheld=withheld)), fmt)
        if session is not None:
            session.record_evaluation(result, by="report")
    except InputError as error:
        print_problems(error)
        return EXIT_INVALID
    if args.output is None:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        write_private(args.output, text)
    except OSError as error:
        print(cannot_write(str(args.output), error), file=sys.stderr)
        return EXIT_INVALID
    if session is not None:
        session.record_export(args.output, fmt, sorted(withheld))
    print(f"Report written to {args.output} ({fmt}).", file=sys.stderr)
    return EXIT_OK


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:  # either does not exist (yet)
        return False
