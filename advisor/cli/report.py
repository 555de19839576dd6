"""`advisor report (--session NAME | PROFILE)`: the report handed to the researcher (Markdown, HTML or PDF)."""

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
from advisor.render.pdf import PrintFailed, html_to_pdf
from advisor.render.report import (
    PERSONAL_FIELDS,
    ReportInput,
    render_report,
    report_context,
)

SUFFIXES = {".pdf": "pdf", ".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown"}
NAMES = {"markdown": "Markdown", "html": "HTML", "pdf": "PDF"}


def configure(parser, argv) -> None:
    parser.description = ("Write the researcher's report: the short answer first, the situation, the recommended path "
                          "as a ladder, reasons, sources, next steps with calendars and official pages, what is not "
                          "available and why, what-if scenarios, the adviser's notes and the words used.")
    add_one_subject(parser)
    parser.add_argument("--format", choices=tuple(NAMES), default=None,
                        help="default: from the --output name (.pdf; .html, .htm; .md, .markdown), else markdown; "
                        "a PDF is printed by Chromium")
    parser.add_argument("--output", "-o", type=Path, metavar="FILE",
                        help="write the report here (readable by you only); default: standard output")
    parser.add_argument("--without-personal", action="store_true",
                        help="leave out the personal fields: name, nationality, gender (and the session name)")
    parser.add_argument("--omit", action="append", default=[], metavar="FIELD",
                        help="leave out this field too (e.g. phd_year); repeat or separate with commas")
    parser.add_argument("--no-notes", action="store_true", help="leave out the adviser's notes")
    parser.add_argument("--no-scenarios", action="store_true", help="leave out the what-if scenarios")
    parser.add_argument("--details", action="store_true",
                        help="a PDF with every detail as in the HTML and Markdown reports (sources, checklists, "
                             "every reason); by default a PDF holds the short report, at most about four pages")
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
    fmt = _format(args, env)
    withheld = _withheld(args)
    subject = one_subject(args, env)
    session = subject.session
    notes = [] if args.no_notes or session is None else session.notes()
    scenarios = [] if args.no_scenarios or session is None else [s.data for s in session.scenarios()]
    advisor = advisor_from(args, env)
    result = advisor.evaluate(subject.profile, subject.source)
    text = render_report(report_context(ReportInput(
        result=advisor.explain(result), profile=subject.profile, rulebase=advisor.rulebase, catalogue=advisor.catalogue,
        session=session.name if session else None, notes=notes, scenarios=scenarios, withheld=withheld,
        details=args.details or fmt != "pdf")),
        "html" if fmt == "pdf" else fmt)
    content = _printed(text, args.output) if fmt == "pdf" else text
    if session is not None:
        session.record_evaluation(result, by="report")
    if args.output is None:
        if isinstance(content, bytes):
            env.stdout_bytes.write(content)
        else:
            env.stdout.write(content)
        return ExitStatus.OK
    if not saved(env, args.output, content):
        return ExitStatus.INVALID
    if session is not None:
        session.record_export(args.output, fmt, sorted(withheld))
    env.err(f"Report written to {args.output} ({NAMES[fmt]}).")
    return ExitStatus.OK


def _format(args, env: Environment) -> str:
    """The format asked for, else the one the --output name implies (UsageError when they disagree)."""
    implied = SUFFIXES.get(args.output.suffix.lower()) if args.output else None
    if args.format and implied and args.format != implied:
        suffix = next(s for s, f in SUFFIXES.items() if f == args.format)
        raise UsageError(f"--output {args.output} names a {NAMES[implied]} file, but --format asks for "
                         f"{NAMES[args.format]}\n  fix: write --output {args.output.with_suffix(suffix)}, "
                         f"or leave out --format (the name chooses {NAMES[implied]})")
    fmt = args.format or implied or "markdown"
    if fmt == "pdf" and args.output is None and env.stdout_isatty:
        raise UsageError("a PDF cannot be shown in the terminal\n"
                         "  fix: add --output NAME.pdf, or send standard output to a file (> NAME.pdf)")
    return fmt


def _printed(html: str, output: Path | None) -> bytes:
    """The PDF of the HTML report; InputError (naming the file it was for) when no PDF could be printed."""
    try:
        return html_to_pdf(html)
    except PrintFailed as failure:
        raise InputError(Problem(str(output or "standard output"), failure.reason, fix=failure.fix)) from None


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:  # either does not exist (yet)
        return False
