"""JSON Schemas for editors: published copies stay in step, accept the real files and refuse typos."""

from __future__ import annotations

import json
import shutil

import jsonschema
import pytest

from advisor.io.documents import load_yaml_file
from advisor.rulebase.loader import default_rules_dir
from advisor.toolkit.schemas import WHICH, schema

from .conftest import ROOT

RULES = default_rules_dir()
FILES = {"rules": "recommendations/*.yaml", "facts": "facts.yaml", "rulebase": "rulebase.yaml",
         "rule-tests": "tests/*.yaml"}


def validator(which: str) -> jsonschema.Draft202012Validator:
    data = json.loads((ROOT / "docs" / f"{which}.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(data)
    return jsonschema.Draft202012Validator(data)


@pytest.mark.parametrize("which", WHICH)
def test_published_schema_matches_the_code(which):
    published = json.loads((ROOT / "docs" / f"{which}.schema.json").read_text())
    assert published == schema(which), f"docs/{which}.schema.json is stale: run advisor schema {which}"


@pytest.mark.parametrize("which", sorted(FILES))
def test_schema_accepts_every_bundled_file(which):
    paths = sorted(RULES.glob(FILES[which]))
    assert paths
    for path in paths:
        errors = list(validator(which).iter_errors(load_yaml_file(path).data))
        assert not errors, f"{path.name}: {errors[0].message}"


def test_schema_accepts_the_example_profiles():
    for path in sorted((ROOT / "profiles").glob("*.yaml")):
        data = load_yaml_file(path).data
        for item in data if isinstance(data, list) else [data]:
            assert not list(validator("profile").iter_errors(item)), path.name


def _rule(**changes):
    data = load_yaml_file(RULES / "recommendations" / "cnrs.irp.yaml").data
    data.update(changes)
    return data


@pytest.mark.parametrize("which, data, words", [
    ("rules", _rule(sumary="typo"), "'sumary' was unexpected"),
    ("rules", _rule(eligibility={"all": [{"field": "career_stage", "one_off": ["postdoc"]}]}), "is not valid"),
    ("rules", _rule(eligibility={"all": [{"field": "years_since_phd", "between": [2]}]}), "is not valid"),
    ("rules", _rule(kind="label"), "'label' is not one of"),
    ("rule-tests", {"cases": [{"name": "x", "profile": {"carreer_stage": "postdoc"}, "expect": {"cnrs.irp": "possible"}}]},
     "'carreer_stage' was unexpected"),
    ("rule-tests", {"cases": [{"profile": {}, "expect": {"cnrs.irp": "maybe"}}]}, "is not valid"),
    ("facts", {"derived": [{"id": "x", "scope": "profile", "type": "bool", "description": "d", "sources": [],
                            "cases": [{"value": True, "when": {"field": "career_stage", "is": "postdoc", "x": 1}}]}]},
     "is not valid"),
])
def test_schema_refuses_typos(which, data, words):
    messages = [e.message for e in validator(which).iter_errors(data)]
    messages += [c.message for e in validator(which).iter_errors(data) for c in e.context or ()]
    assert any(words in m for m in messages), messages


def test_conditions_complete_the_rulebase_fields(run_cli, tmp_path):
    fields = schema("rules")["$defs"]["Comparison"]["properties"]["field"]["anyOf"][0]["enum"]
    assert {"career_stage", "collaboration.stage", "years_since_phd", "cnrs_coordinator"} <= set(fields)
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    facts = rules / "facts.yaml"
    facts.write_text(facts.read_text().replace("id: multilateral", "id: network_sized"))
    for path in (rules / "recommendations").glob("*.yaml"):
        path.write_text(path.read_text().replace("field: multilateral", "field: network_sized"))
    code, out, _ = run_cli("schema", "facts", "--rules", rules)
    enum = json.loads(out)["$defs"]["Comparison"]["properties"]["field"]["anyOf"][0]["enum"]
    assert code == 0 and "network_sized" in enum and "multilateral" not in enum
    code, _, err = run_cli("schema", "rules", "--rules", tmp_path / "nowhere")
    assert code == 1 and "is not a rulebase folder" in err
