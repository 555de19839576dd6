"""`advisor batch PATH...`: advice for whole folders of profiles, in parallel, with a summary.

Exit codes: 0 every input evaluated; 1 some input could not be used (each one reported with file,
line and fix; all the others were evaluated), the rulebase is invalid, or a worker crashed;
2 usage error (also an --output that is one of the inputs); 130 interrupted, 143 terminated (no report
file is left behind).
"""

from __future__ import annotations

from pathlib import Path

from advisor.batch.cores import usable_cores
from advisor.cli.options import EXIT_INVALID, EXIT_USAGE, add_engine_option, add_rules_option, parse_date

SUFFIX_FORMATS = {".csv": "csv", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".md": "markdown",
                  ".markdown": "markdown", ".txt": "table"}
FORMATS = ("table", "csv", "json", "jsonl", "markdown")  # advisor.batch.formats.FORMATTERS (kept light for --help)


def register(commands) -> None:
    parser = commands.add_parser(
        "batch", help="advice for folders of profiles, with a summary",
        description="Evaluate profile files (YAML, JSON), JSON Lines files (one profile per line), folders "
                    "(recursively) and glob patterns, in parallel. Every bad file or line is reported; all the "
                    "others are evaluated. Exit codes: 0 all evaluated, 1 some input could not be used, "
                    "2 usage error, 130 interrupted, 143 terminated.")
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="profile files, JSON Lines files, folders or globs; - reads JSON Lines from standard input")
    parser.add_argument("--as-of", type=parse_date, metavar="DATE",
                        help="the date the advice is for (YYYY-MM-DD); overrides every profile's as_of")
    add_rules_option(parser)
    parser.add_argument("--format", choices=FORMATS, default=None,
                        help="table (readable, default), csv (a row per profile and recommendation), json (a list "
                             "of results), jsonl (a result per line), markdown (a report with a chart); default: "
                             "from the --output extension, else table")
    parser.add_argument("--output", "-o", type=Path, metavar="FILE",
                        help="write the report to FILE (atomically) instead of standard output")
    parser.add_argument("--jobs", "-j", type=int, default=usable_cores(), metavar="N",
                        help="worker processes (default: the cores this process may use, here %(default)s)")
    parser.add_argument("--counterfactuals", action="store_true",
                        help="also search, for each not_eligible verdict, the change that would make it eligible "
                             "(slower; see docs/batch.md)")
    parser.add_argument("--anonymize", action="store_true",
                        help="replace names and file names with stable pseudonyms and leave out gender and "
                             "nationality (set ADVISOR_PSEUDONYM_KEY to a secret of your own)")
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress bar and no summary on the terminal")
    add_engine_option(parser)
    parser.set_defaults(handler=run)


def _format(args) -> str:
    if args.format:
        return args.format
    if args.output is not None:
        return SUFFIX_FORMATS.get(args.output.suffix.lower(), "table")
    return "table"


def run(args) -> int:
    import datetime as dt  # noqa: PLC0415

    from rich.console import Console  # noqa: PLC0415

    from advisor.batch.pseudonyms import PERSONAL_FIELDS, key_from_environment
    from advisor.batch.worker import Settings
    from advisor.advice.explain import PLACEHOLDER
    from advisor.rulebase.conditions import leaves
    from advisor.cli.options import open_rulebase

    errors = Console(stderr=True, highlight=False)
    if args.jobs < 1:
        errors.print("error: --jobs must be at least 1", markup=False, soft_wrap=True)
        return EXIT_USAGE
    fmt = _format(args)
    if args.output is not None and (args.output.is_dir() or not (args.output.parent or Path(".")).is_dir()):
        errors.print(f"error: --output {args.output}: the folder must exist and the name must be a file", markup=False, soft_wrap=True)
        return EXIT_USAGE
    rulebase = open_rulebase(args.rules)
    if rulebase is None:
        return EXIT_INVALID
    if args.anonymize:
        names = {leaf.field for rule in rulebase.rules.values() for leaf in leaves(rule.eligibility)}
        names |= {name for rule in rulebase.rules.values() for text in rule.spec.reasons
                  for name in PLACEHOLDER.findall(text)}
        read = set().union(*(rulebase.input_dependencies(n) for n in names if n in rulebase.fields))
        personal = sorted(read & set(PERSONAL_FIELDS))
        if personal:
            errors.print(f"error: --anonymize: this rulebase reads {', '.join(personal)}, so its reasons could show "
                         "them; anonymized reports cannot be made with it", markup=False, soft_wrap=True)
            return EXIT_USAGE
    settings = Settings(format=fmt, rules=args.rules, engine=args.engine, as_of=args.as_of, today=dt.date.today(),
                        counterfactuals=args.counterfactuals,
                        anonymize_key=key_from_environment() if args.anonymize else None)
    from advisor.batch.job import BatchRun

    return BatchRun(args.paths, settings, rulebase, args.output, args.jobs, args.quiet, errors).execute()
