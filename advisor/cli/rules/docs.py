"""`advisor rules docs`: the catalogue of instruments and routes, generated from the rules."""

from __future__ import annotations

import sys
from pathlib import Path

from advisor.cli.options import EXIT_INVALID, EXIT_OK, open_rulebase
from advisor.cli.rules import add_rulebase_argument, rulebase_dir

SUFFIX = {"markdown": ".md", "html": ".html"}


def register(actions) -> None:
    parser = actions.add_parser("docs", help="generate the catalogue of instruments and routes",
                                description="Write the catalogue of a rulebase: what each instrument or route is, "
                                "who can apply, its conditions in plain language, dates, successor and sources. "
                                "Markdown, or one self-contained HTML page.")
    add_rulebase_argument(parser)
    parser.add_argument("--format", choices=("markdown", "html"), default="markdown")
    parser.add_argument("--output", type=Path, metavar="DIR",
                        help="write DIR/catalogue.md (or .html) instead of printing it")
    parser.set_defaults(handler=run)


def run(args) -> int:
    from advisor.render.catalogue import render_catalogue
    from advisor.errors import cannot_write, display_path

    rulebase = open_rulebase(rulebase_dir(args))
    if rulebase is None:
        return EXIT_INVALID
    text = render_catalogue(rulebase, args.format)
    if args.output is None:
        sys.stdout.write(text)
        return EXIT_OK
    target = args.output / f"catalogue{SUFFIX[args.format]}"
    partial = target.with_name(target.name + ".partial")
    try:
        args.output.mkdir(parents=True, exist_ok=True)
        partial.write_text(text, encoding="utf-8")
        partial.replace(target)  # the catalogue appears whole, or not at all
    except OSError as error:
        print(cannot_write(display_path(target), error), file=sys.stderr)
        return EXIT_INVALID
    finally:
        partial.unlink(missing_ok=True)
    print(f"wrote {display_path(target)}", file=sys.stderr)
    return EXIT_OK
