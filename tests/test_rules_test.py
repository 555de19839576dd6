"""`advisor rules test`: the case report, coverage, its threshold, and the pytest plugin."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from advisor.advice.advisor import Advisor
from advisor.engines.python import PythonEngine
from advisor.rulebase.loader import default_rules_dir, load_rulebase
from advisor.toolkit.cases import read_case_file, read_cases, run_case
from advisor.toolkit.coverage import CoverageRecorder


def copy_rules(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    return rules


def test_bundled_rulebase_passes_with_full_coverage(run_cli):
    code, out, err = run_cli("rules", "test", "--min-coverage", "100")
    assert code == 0, out + err
    assert "0 failed" in out
    assert "coverage: rules 100.0%" in out and "conditions 100.0%" in out
    assert "PASS  permanent CNRS physicist with joint papers with Italy gets an IRP" in out


def test_a_wrong_expectation_fails_with_the_differing_verdict(run_cli, tmp_path):
    rules = copy_rules(tmp_path)
    case_file = rules / "tests" / "cnrs.irp.yaml"
    case_file.write_text(case_file.read_text().replace("cnrs.irp: recommended", "cnrs.irp: not_eligible", 1))
    code, out, _ = run_cli("rules", "test", rules)
    assert code == 1
    assert "FAIL  permanent CNRS physicist with joint papers with Italy gets an IRP  (line 2)" in out
    assert "cnrs.irp: expected not_eligible, got recommended" in out
    assert "cnrs.irp (expected on line 14) gave recommended:" in out  # the actual reasons follow
    assert "1 failed" in out


def test_a_missing_failed_condition_is_reported(run_cli, tmp_path):
    rules = copy_rules(tmp_path)
    case_file = rules / "tests" / "cnrs.irp.yaml"
    case_file.write_text(case_file.read_text().replace("failed: [willing_to_relocate]", "failed: [career_stage]", 1))
    code, out, _ = run_cli("rules", "test", rules, "-q")
    assert code == 1
    assert "cnrs.irl: expected a failed condition on career_stage, got ['collaboration_maturity', 'willing_to_relocate']" in out
    assert "PASS" not in out  # --quiet lists failures only


def test_coverage_threshold(run_cli, tmp_path):
    rules = copy_rules(tmp_path)
    for name in ("cnrs.gdri.yaml", "cnrs.prc.yaml"):
        (rules / "tests" / name).unlink()
    code, out, _ = run_cli("rules", "test", rules, "--min-coverage", "100")
    assert code == 1
    assert "coverage is below the minimum of 100%" in out
    assert "cnrs.gdri: collaboration_maturity is none of none  never false" in out
    code, _, _ = run_cli("rules", "test", rules, "--min-coverage", "90")
    assert code == 0
    code, _, err = run_cli("rules", "test", "--min-coverage", "120")
    assert code == 2 and "not a percentage" in err


def test_json_report(run_cli, tmp_path):
    rules = copy_rules(tmp_path)
    for name in ("cnrs.gdri.yaml", "cnrs.prc.yaml"):
        (rules / "tests" / name).unlink()
    code, out, _ = run_cli("rules", "test", "--rules", rules, "--format", "json")
    data = json.loads(out)
    assert code == 0 and all(c["passed"] for c in data["cases"])
    uncovered = data["coverage"]["conditions"]["uncovered"]
    assert {(u["owner"], u["condition"], tuple(u["never_seen"])) for u in uncovered} >= {
        ("cnrs.gdri", "collaboration_maturity is none of none", ("false",))}
    gdri = next(r for r in data["coverage"]["rules"]["items"] if r["id"] == "cnrs.gdri")
    assert gdri == {"id": "cnrs.gdri", "applied": True, "not_applied": True, "can_fail": True}  # other files' cases


def test_invalid_test_file_is_an_error_but_other_cases_run(run_cli, tmp_path):
    rules = copy_rules(tmp_path)
    (rules / "tests" / "broken.yaml").write_text("cases:\n  - name: typo\n    profile: {carreer_stage: postdoc}\n"
                                                 "    expect: {cnrs.irp: undecided}\n")
    code, out, err = run_cli("rules", "test", rules, "-q")
    assert code == 1
    assert "broken.yaml:3" in err and "unknown field 'carreer_stage'" in err
    assert "0 failed" in out


def test_select_runs_matching_cases_only(run_cli):
    code, out, _ = run_cli("rules", "test", "-k", "cnrs.irp:")
    assert code == 0 and "9 cases: 9 passed" in out and "of the selected cases only" in out


def test_coverage_records_both_sides_of_each_condition():
    rulebase = load_rulebase()
    advisor = Advisor(rulebase, PythonEngine(rulebase))
    cases, _ = read_cases(default_rules_dir())
    recorder = CoverageRecorder(rulebase)
    for case in [c for c in cases if c.id.startswith("cnrs.irp:")]:
        outcome = run_case(advisor, case)
        recorder.record(outcome.profile, outcome.result)
    irp = recorder.coverage.rules["cnrs.irp"]
    assert irp.applied and irp.not_applied and not irp.missing
    countries = next(c for c in irp.conditions if c.leaf.field == "collaboration.countries")
    assert countries.seen == {True, False}
    assert recorder.coverage.rules["route.bottom_up"].can_fail is False  # no gate, no dates: it cannot fail to apply


def test_pytest_collects_rule_cases_of_any_rulebase(tmp_path):
    rules = copy_rules(tmp_path)
    case_file = rules / "tests" / "cnrs.irp.yaml"
    case_file.write_text(case_file.read_text().replace("cnrs.irp: recommended", "cnrs.irp: possible", 1))
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(rules / "tests"),
                          "--advisor-engine", "python"], capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "1 failed" in run.stdout and "passed" in run.stdout
    assert "cnrs.irp: expected possible, got recommended" in run.stdout


def test_broken_rulebase_is_reported_not_tested(run_cli, tmp_path):
    rules = copy_rules(tmp_path)
    irp = rules / "recommendations" / "cnrs.irp.yaml"
    irp.write_text(irp.read_text().replace("field: cnrs_coordinator", "field: cnrs_coordinater"))
    code, out, err = run_cli("rules", "test", rules)
    assert code == 1 and out == ""
    assert "cnrs.irp.yaml:13:8: unknown field 'cnrs_coordinater'" in err and "advisor rules check" in err


@pytest.mark.parametrize("expectation, where, says, fix", [
    ("recomended", "4:14", "'recomended' is not a verdict", "did you mean 'recommended'? verdicts: recommended, possible"),
    ("{verdict: recomended}", "4:25", "'recomended' is not a verdict", "did you mean 'recommended'?"),
    ("{verdict: possible, faild: [x]}", "4:44", "unknown key", "did you mean 'failed'?"),
    ("[recommended]", "4:14", "must be a verdict, or a mapping of verdict, failed, missing and reasons_include",
     "write one of: recommended, possible, undecided, not_eligible, not_offered")])
def test_a_mistaken_expectation_is_one_problem_in_a_rule_authors_terms(tmp_path, expectation, where, says, fix):
    # Validation reported each mistake twice, against both forms an expectation may take, in pydantic's terms:
    # "expect.cnrs.irp.literal['recommended',...]: Input should be..." and "...Expectation: Input should be a
    # valid dictionary or instance of Expectation".
    path = tmp_path / "case.yaml"
    path.write_text(f"cases:\n  - name: a\n    profile: {{career_stage: postdoc}}\n    expect: {{cnrs.irp: {expectation}}}\n")
    cases, problems = read_case_file(path)
    assert cases == [] and len(problems) == 1, [str(p) for p in problems]
    (problem,) = problems
    assert f"{problem.line}:{problem.column}" == where and problem.message == says and problem.fix.startswith(fix)
    assert problem.field.startswith("expect.cnrs.irp") and "literal" not in problem.field


def test_select_by_a_name_people_type_runs_that_recommendation_cases(run_cli):
    """`-k "ERC Starting Grant"` names eu.erc_stg, whose cases no substring of the title would find."""
    code, out, _ = run_cli("rules", "test", "-k", "erc starting GRANT")
    cases = [c for c in read_cases(default_rules_dir())[0] if c.path.endswith("eu.erc_stg.yaml")]
    assert code == 0 and f"{len(cases)} cases: {len(cases)} passed" in out
