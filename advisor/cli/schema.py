"""`advisor schema WHICH`: JSON Schemas for editors and programs (profiles, rule files, results...)."""

from __future__ import annotations

import json
import sys

from advisor.cli.options import EXIT_INVALID, EXIT_OK, add_rules_option, open_rulebase

KINDS = ("profile", "rules", "facts", "rulebase", "rule-tests", "result")


def register(commands) -> None:
    parser = commands.add_parser("schema", help="print a JSON Schema (profile, rules, facts, rulebase, rule-tests, "
                                 "result)", description="Print the JSON Schema of one kind of file: a profile, a rule "
                                 "file (recommendations/*.yaml), facts.yaml, rulebase.yaml, a rule test file "
                                 "(tests/*.yaml) or the JSON result. Editors use them to complete and check YAML.")
    parser.add_argument("which", choices=KINDS)
    add_rules_option(parser)
    parser.epilog = "--rules DIR: conditions in rules and facts complete that rulebase's derived facts"
    parser.set_defaults(handler=run)


def run(args) -> int:
    from advisor.toolkit.schemas import schema

    fields = None
    if args.rules is not None and args.which in ("rules", "facts"):
        rulebase = open_rulebase(args.rules)
        if rulebase is None:
            return EXIT_INVALID
        fields = rulebase.fields
    json.dump(schema(args.which, fields), sys.stdout, indent=2)
    sys.stdout.write("\n")
    return EXIT_OK
