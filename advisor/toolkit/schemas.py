"""JSON Schemas of the files people write and the result programs read, for editors and other programs.

Conditions are free-form mappings to pydantic; their schema is written here
from the condition vocabulary, so that editors complete field names and
operators in rules and derived facts.
"""

from __future__ import annotations

from typing import Iterable

from advisor.contract.catalogue import Catalogue
from advisor.contract.profile import Profile
from advisor.contract.result import ExplainedResult, Result
from advisor.rulebase.conditions import OPERATORS
from advisor.rulebase.loader import load_rulebase
from advisor.rulebase.model import (
    CallsFile,
    FactsFile,
    ParametersFile,
    RulebaseInfo,
    RuleFile,
    TablesFile,
)
from advisor.toolkit.cases import CaseFile

WHICH = ("profile", "rules", "facts", "rulebase", "rule-tests", "parameters", "calls", "countries", "result",
         "result-full", "catalogue")

_VALUE_SCHEMA = {
    "scalar": {"type": ["string", "integer", "boolean"]},
    "list": {"type": "array", "items": {"type": ["string", "integer"]}, "minItems": 1},
    "number": {"type": ["integer", "string"], "description": "a number, or the name of a parameter (parameters.yaml)"},
    "range": {"type": "array", "items": {"type": ["integer", "string"]}, "minItems": 2, "maxItems": 2},
}


CHANGEABLE = {"type": "boolean", "description": "whether a person can meet it by a change of theirs (a batch's near "
              "misses count only these); absent: as its field says (see docs/rulebase.md)"}


def condition_defs(field_names: Iterable[str], eligibility: bool = False) -> dict:
    """`$defs` for a condition: all / any / not, or one comparison of a field with one operator (in a rule's
    `eligibility`, saying whether it is changeable)."""
    def group(key: str, description: str) -> dict:
        return {"type": "object", "description": description, "required": [key], "additionalProperties": False,
                "properties": {key: {"type": "array", "items": {"$ref": "#/$defs/Condition"}},
                               "says": {"type": "string", "description": "the condition in plain language"}}}

    comparison = {
        "type": "object", "description": "one field compared with one operator", "required": ["field"],
        "additionalProperties": False, "minProperties": 2,
        "properties": {
            "field": {"description": "a profile field, collaboration.<field>, a computed field or a derived fact",
                      "anyOf": [{"enum": sorted(field_names)}, {"type": "string"}]},
            "says": {"type": "string", "description": "the condition in plain language, shown in reasons"},
            **({"changeable": CHANGEABLE} if eligibility else {}),
            **{op: {**_VALUE_SCHEMA[shape], "description": f"operator '{op}'"} for op, (_, shape) in OPERATORS.items()},
        },
    }
    return {
        "Condition": {"anyOf": [group("all", "every condition holds"), group("any", "at least one condition holds"),
                                {"type": "object", "required": ["not"], "additionalProperties": False,
                                 "description": "the condition does not hold",
                                 "properties": {"not": {"$ref": "#/$defs/Condition"}, "says": {"type": "string"}}},
                                {"$ref": "#/$defs/Comparison"}]},
        "Comparison": comparison,
    }


def _with_conditions(data: dict, where: dict, key: str, field_names: Iterable[str]) -> dict:
    """Point `where[key]` (a free-form mapping in pydantic's schema) at the condition definitions."""
    optional = any(option.get("type") == "null" for option in where[key].get("anyOf", []))
    ref = {"$ref": "#/$defs/Condition"}
    where[key] = {"anyOf": [ref, {"type": "null"}]} if optional else ref
    data.setdefault("$defs", {}).update(condition_defs(field_names, eligibility=key == "eligibility"))
    return data


def _rule_tests() -> dict:
    data = CaseFile.model_json_schema()
    profile = Profile.model_json_schema()
    data["$defs"].update(profile.pop("$defs", {}))
    data["$defs"]["Profile"] = profile
    data["$defs"]["CaseSpec"]["properties"]["profile"] = {"$ref": "#/$defs/Profile",
                                                          "description": "a profile, as in a profile file"}
    return data


def schema(which: str, field_names: Iterable[str] | None = None) -> dict:
    """The JSON Schema of one kind of file; conditions complete `field_names` (default: the bundled rulebase's)."""
    if which in ("rules", "facts") and field_names is None:
        field_names = load_rulebase().fields
    if which == "rules":
        data = RuleFile.model_json_schema()
        return _with_conditions(data, data["properties"], "eligibility", field_names)
    if which == "facts":
        data = FactsFile.model_json_schema()
        return _with_conditions(data, data["$defs"]["DerivedCase"]["properties"], "when", field_names)
    if which == "rule-tests":
        return _rule_tests()
    model = {"profile": Profile, "rulebase": RulebaseInfo, "parameters": ParametersFile, "calls": CallsFile,
             "countries": TablesFile, "result": Result, "result-full": ExplainedResult, "catalogue": Catalogue}[which]
    return model.model_json_schema()
