"""`advisor report (--session NAME | PROFILE)`: the report handed to the researcher (Markdown or HTML)."""

from __future__ import annotations

from pathlib import Path

from advisor.cli.options import (
    add_advisor_options,
    add_one_subject,
    advisor_from,
    one_subject,
    saved,
)
from advisor.contract.profile import Profile
from advisor.errors import InputError, Problem, UsageError, did_you_mean
from advisor.exits import ExitStatus
from advisor.io.environment import Environment
from advisor.render.report import (
    PERSONAL_FIELDS,
    ReportInput,
    render_report,
    report_context,
)


def configure(parser, argv) -> None:
    parser.description = ("Write the researcher's report: the situation, the recommended path as a ladder, reasons, "
                          "sources, next steps with calendars, what is not available and why, what-if scenarios and "
                          "the adviser's notes.")
    add_one_subject(parser)
    parser.add_argument("--format", choices=("markdown", "html"), default=None,
                        help="default: from the --output name (.html, .htm: html), else markdown")
    parser.add_argument("--output", "-o", type=Path, metavar="FILE",
                        help="write the report here (readable by you only); default: standard output")
    parser.add_argument("--without-personal", action="store_true",
                        help="leave out the personal fields: name, nationality, gender (and the session name)")
    parser.add_argument("--omit", action="append", default=[], metavar="FIELD",
                        help="leave out this field too (e.g. phd_year); repeat or separate with commas")
    parser.add_argument("--no-notes", action="store_true", help="leave out the adviser's notes")
    parser.add_argument("--no-scenarios", action="store_true", help="leave out the what-if scenarios")
    add_advisor_options(parser)
    parser.set_defaults(handler=run)


def _withheld(args) -> frozenset[str]:
    names = {n.strip() for item in args.omit for n in item.split(",") if n.strip()}
    allowed = [n for n in Profile.model_fields if n not in ("schema_version", "questionnaire", "as_of")]
    unknown = [Problem("--omit", f"'{n}' is not a profile field", field=n,
                       fix=(f"did you mean '{g}'? " if (g := did_you_mean(n, allowed)) else "")
                       + "fields: " + ", ".join(allowed)) for n in sorted(names) if n not in allowed]
    if unknown:
        raise InputError(unknown)
    return frozenset(names | (set(PERSONAL_FIELDS) if args.without_personal else set()))


def run(args, env: Environment) -> ExitStatus:
    if args.profile and args.output and _same_file(args.profile, args.output):
        raise UsageError(f"--output {args.output} is the profile file itself: the report would replace it\n"
                         "  fix: write the report to another file")
    fmt = args.format or ("html" if args.output and args.output.suffix.lower() in (".html", ".htm") else "markdown")
    withheld = _withheld(args)
    subject = one_subject(args, env)
    session = subject.session
    notes = [] if args.no_notes or session is None else session.notes()
    scenarios = [] if args.no_scenarios or session is None else [s.data for s in session.scenarios()]
    advisor = advisor_from(args, env)
    result = advisor.evaluate(subject.profile, subject.source)
    text = render_report(report_context(ReportInput(
        result=advisor.explain(result), profile=subject.profile, rulebase=advisor.rulebase,
        session=session.name if session else None, notes=notes, scenarios=scenarios, withheld=withheld)), fmt)
    if session is not None:
        session.record_evaluation(result, by="report")
    if args.output is None:
        env.stdout.write(text)
        return ExitStatus.OK
    if not saved(env, args.output, text):
        return ExitStatus.INVALID
    if session is not None:
        session.record_export(args.output, fmt, sorted(withheld))
    env.err(f"Report written to {args.output} ({fmt}).")
    return ExitStatus.OK


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:  # either does not exist (yet)
        return False
