"""`advisor schema WHICH`: JSON Schemas for editors and programs (profiles, rule files, results...)."""

from __future__ import annotations

import json

from advisor.cli.options import add_rules_option
from advisor.exits import ExitStatus
from advisor.io.environment import Environment
from advisor.rulebase.loader import load_rulebase
from advisor.toolkit.schemas import WHICH, schema


def configure(parser, argv) -> None:
    parser.description = ("Print the JSON Schema of one kind of file: a profile, a rule file "
                          "(recommendations/*.yaml), facts.yaml, rulebase.yaml, a rule test file (tests/*.yaml), "
                          "parameters.yaml, calls.yaml, countries.yaml, the JSON result (compact, or full with its "
                          "texts) or the catalogue of rule texts. Editors use them to complete and check YAML.")
    parser.add_argument("which", choices=WHICH)
    add_rules_option(parser)
    parser.epilog = "--rules DIR: conditions in rules and facts complete that rulebase's derived facts"
    parser.set_defaults(handler=run)


def run(args, env: Environment) -> ExitStatus:
    fields = None
    if args.rules is not None and args.which in ("rules", "facts"):
        fields = load_rulebase(args.rules).fields
    json.dump(schema(args.which, fields), env.stdout, indent=2)
    env.out()
    return ExitStatus.OK
