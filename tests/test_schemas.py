"""JSON Schemas for editors: published copies stay in step, accept the real files and refuse typos."""

from __future__ import annotations

import json
import shutil

import jsonschema
import pytest

from advisor.contract import v1
from advisor.contract.reading import read_result
from advisor.contract.result import ExplainedResult, Result
from advisor.errors import InputError
from advisor.io.documents import load_yaml_file
from advisor.rulebase.loader import default_rules_dir
from advisor.toolkit.schemas import WHICH, schema

from .conftest import FROZEN_RULES, ROOT

RULES = default_rules_dir()
FILES = {"rules": "recommendations/*.yaml", "facts": "facts.yaml", "rulebase": "rulebase.yaml",
         "rule-tests": "tests/*.yaml", "parameters": "parameters.yaml", "calls": "calls.yaml",
         "countries": "countries.yaml"}


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


def _output(run_cli, *args) -> str:
    code, out, err = run_cli(*args)
    assert code == 0, err
    return out


def test_every_json_output_follows_its_published_schema(run_cli, tmp_path):
    laura = ROOT / "profiles" / "laura-5-extension-to-us.yaml"
    for args, which in ((("evaluate", laura, "--format", "json"), "result"),
                        (("evaluate", laura, "--format", "json", "--full"), "result-full"),
                        (("rules", "docs", "--format", "json"), "catalogue")):
        data = json.loads(_output(run_cli, *args))
        errors = list(validator(which).iter_errors(data))
        assert not errors, f"{' '.join(map(str, args))}: {errors[0].message} at {list(errors[0].path)}"
    for full, which in (((), "result"), (("--full",), "result-full")):
        lines = _output(run_cli, "batch", ROOT / "profiles", "--format", "jsonl", "--jobs", "1", *full).splitlines()
        assert len(lines) == 9
        for line in lines:
            assert not list(validator(which).iter_errors(json.loads(line)))


def test_results_stored_by_either_version_are_read(run_cli):
    stored = json.loads((ROOT / "tests" / "fixtures" / "results" / "v1-laura-3-network-coordinator.json").read_text())
    old = read_result(stored)
    assert isinstance(old, v1.Result) and old.schema_version == 1
    # stored from the bundled rules of 2026.11, which the frozen rulebase keeps as they were
    laura = ("evaluate", ROOT / "profiles" / "laura-3-network-coordinator.yaml", "--as-of", "2026-06-01",
             "--rules", FROZEN_RULES, "--format", "json")
    new = read_result(json.loads(_output(run_cli, *laura)))
    full = read_result(json.loads(_output(run_cli, *laura, "--full")))
    assert isinstance(new, Result) and isinstance(full, ExplainedResult) and new.catalogue is not None
    # what version 1 decided is what version 2 decides, for the same profile, date and rules (the reasons are
    # worded in plainer words since: dates written out, no ids, countries by name)
    said = {a.id: (a.verdict, len(a.reasons), len(a.next_steps), [f.says for f in a.failed_conditions])
            for a in old.results}
    assert said == {a.id: (a.verdict, len(a.reasons), len(a.next_steps), [f.says for f in a.failed_conditions])
                    for a in full.results}
    with pytest.raises(InputError, match="schema_version 3"):
        read_result({**stored, "schema_version": 3})
    with pytest.raises(InputError, match="not a result of version 1"):
        read_result({**stored, "results": "none"})
