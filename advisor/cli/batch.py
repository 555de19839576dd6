"""`advisor batch PATH...`: advice for whole folders of profiles, in parallel, with a summary.

Exit codes: 0 every input evaluated; 1 some input could not be used (each one reported with file,
line and fix; all the others were evaluated), the rulebase is invalid, or a worker crashed;
2 usage error (also an --output that is one of the inputs); 70 internal error; 130 interrupted,
141 output closed early, 143 terminated (no report file is left behind).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from advisor.batch.cores import usable_cores
from advisor.batch.formats import FORMATS
from advisor.batch.job import BatchRun
from advisor.batch.pseudonyms import PERSONAL_FIELDS, key_from_environment
from advisor.batch.worker import Settings
from advisor.cli.options import add_advisor_options
from advisor.errors import UsageError
from advisor.exits import ExitStatus
from advisor.io.environment import Environment
from advisor.rulebase.loader import load_rulebase

SUFFIX_FORMATS = {".csv": "csv", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".md": "markdown",
                  ".markdown": "markdown", ".txt": "table"}


def configure(parser, argv) -> None:
    parser.description = (
        "Evaluate profile files (YAML, JSON), JSON Lines files (one profile per line), folders (recursively) and "
        "glob patterns, in parallel. Every bad file or line is reported; all the others are evaluated. Exit codes: "
        "0 all evaluated, 1 some input could not be used, 2 usage error, 70 internal error (a bug: reported with "
        "its log), 130 interrupted, 141 output closed early (e.g. | head), 143 terminated.")
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="profile files, JSON Lines files, folders or globs; - reads JSON Lines from standard "
                             "input")
    parser.add_argument("--format", choices=FORMATS, default=None,
                        help="table (readable, default), csv (a row per profile and recommendation), json (a list "
                             "of results), jsonl (a result per line), markdown (a report with a chart); default: "
                             "from the --output extension, else table")
    parser.add_argument("--output", "-o", type=Path, metavar="FILE",
                        help="write the report to FILE (atomically) instead of standard output")
    parser.add_argument("--jobs", "-j", type=int, default=usable_cores(), metavar="N",
                        help="worker processes (default: the cores this process may use, here %(default)s)")
    parser.add_argument("--full", action="store_true",
                        help="json and jsonl: every text joined into each result (reasons, titles, next steps...; "
                             "about 60 kB a profile) instead of the compact result (see docs/result.md)")
    parser.add_argument("--counterfactuals", action="store_true",
                        help="also search, for each not_eligible verdict, the change that would make it eligible "
                             "(slower; see docs/batch.md)")
    parser.add_argument("--anonymize", action="store_true",
                        help="replace names and file names with stable pseudonyms and leave out gender and "
                             "nationality (set ADVISOR_PSEUDONYM_KEY to a secret of your own)")
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress bar and no summary on the terminal")
    add_advisor_options(parser)
    parser.set_defaults(handler=run)


def _format(args) -> str:
    if args.format:
        return args.format
    if args.output is not None:
        return SUFFIX_FORMATS.get(args.output.suffix.lower(), "table")
    return "table"


def run(args, env: Environment) -> ExitStatus:
    if args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if args.output is not None and (args.output.is_dir() or not (args.output.parent or Path(".")).is_dir()):
        raise UsageError(f"--output {args.output}: the folder must exist and the name must be a file")
    fmt = _format(args)
    if args.full and fmt not in ("json", "jsonl"):
        raise UsageError(f"--full is for the json and jsonl formats (this report is {fmt})")
    rulebase = load_rulebase(args.rules)
    if args.anonymize:
        personal = sorted(rulebase.answers_behind_advice() & set(PERSONAL_FIELDS))
        if personal:
            raise UsageError(f"--anonymize: this rulebase reads {', '.join(personal)}, so its reasons could show "
                             "them; anonymized reports cannot be made with it")
    settings = Settings(format=fmt, rules=args.rules, engine=args.engine, as_of=args.as_of,
                        today=dt.date.today(), counterfactuals=args.counterfactuals, full=args.full,
                        anonymize_key=key_from_environment() if args.anonymize else None)
    return BatchRun(args.paths, settings, rulebase, args.output, args.jobs, args.quiet, env).execute()
