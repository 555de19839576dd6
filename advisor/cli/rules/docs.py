"""`advisor rules docs`: the catalogue of instruments and routes, generated from the rules."""

from __future__ import annotations

from pathlib import Path

from advisor.cli.rules import add_rulebase_argument, rulebase_dir
from advisor.errors import cannot_write, display_path
from advisor.exits import ExitStatus
from advisor.io.environment import Environment
from advisor.render.catalogue import render_catalogue
from advisor.rulebase.catalogue import catalogue_of
from advisor.rulebase.loader import load_rulebase

SUFFIX = {"markdown": ".md", "html": ".html", "json": ".json"}


def configure(parser, argv) -> None:
    parser.description = ("Write the catalogue of a rulebase: what each instrument or route is, who can apply, its "
                          "conditions in plain language, dates, successor and sources. Markdown, one "
                          "self-contained HTML page, or JSON: the catalogue that results refer to (docs/result.md).")
    add_rulebase_argument(parser)
    parser.add_argument("--format", choices=("markdown", "html", "json"), default="markdown")
    parser.add_argument("--output", type=Path, metavar="DIR",
                        help="write DIR/catalogue.md (or .html) instead of printing it")
    parser.set_defaults(handler=run)


def run(args, env: Environment) -> ExitStatus:
    rulebase = load_rulebase(rulebase_dir(args))
    if args.format == "json":
        text = catalogue_of(rulebase).model_dump_json(indent=2) + "\n"
    else:
        text = render_catalogue(rulebase, args.format)
    if args.output is None:
        env.stdout.write(text)
        return ExitStatus.OK
    target = args.output / f"catalogue{SUFFIX[args.format]}"
    partial = target.with_name(target.name + ".partial")
    try:
        args.output.mkdir(parents=True, exist_ok=True)
        partial.write_text(text, encoding="utf-8")
        partial.replace(target)  # the catalogue appears whole, or not at all
    except OSError as error:
        env.err(cannot_write(display_path(target), error))
        return ExitStatus.INVALID
    finally:
        partial.unlink(missing_ok=True)
    env.err(f"wrote {display_path(target)}")
    return ExitStatus.OK
