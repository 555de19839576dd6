"""`advisor schema profile|rules|result`: JSON Schemas for editors and programs."""

from __future__ import annotations

import json
import sys

from . import EXIT_OK


def register(commands) -> None:
    parser = commands.add_parser("schema", help="print a JSON Schema (profile, rules or result)")
    parser.add_argument("which", choices=("profile", "rules", "result"))
    parser.set_defaults(handler=run)


def run(args) -> int:
    from ..schemas import schema  # noqa: PLC0415

    json.dump(schema(args.which), sys.stdout, indent=2)
    sys.stdout.write("\n")
    return EXIT_OK
