"""`advisor rules init`: an institution's own rulebase that passes check and test, and is used everywhere."""

from __future__ import annotations

import datetime as dt
import json

from advisor.rulebase.loader import load_rulebase
from advisor.toolkit.checks import check_rulebase

from .conftest import ROOT


def test_new_rulebase_passes_check_and_test_and_gives_advice(run_cli, tmp_path):
    target = tmp_path / "mine"
    code, out, err = run_cli("rules", "init", target, "--name", "Université: \"Nord\" #1")
    assert code == 0 and out == "" and "advisor rules check" in err
    rulebase = load_rulebase(target)
    assert rulebase.info.name == "Université: \"Nord\" #1"
    assert rulebase.info.last_verified == dt.date.today()
    report = check_rulebase(target)
    assert [f.check.name for f in report.findings] == ["no-questions"]  # no error, no warning
    code, out, _ = run_cli("rules", "test", target, "--min-coverage", "100")
    assert code == 0 and "rules 100.0%" in out and "conditions 100.0%" in out
    code, out, _ = run_cli("evaluate", ROOT / "profiles" / "laura-3-network-coordinator.yaml", "--rules", target,
                           "--format", "json")
    assert code == 0 and {a["id"] for a in json.loads(out)["results"]} == set(rulebase.rules)
    code, out, _ = run_cli("rules", "docs", "--rules", target)
    assert code == 0 and "Seed grant for a new international collaboration (`example.seed_grant`)" in out
    code, out, _ = run_cli("schema", "rules", "--rules", target)
    assert code == 0 and "permanent_researcher" in out


def test_init_never_overwrites(run_cli, tmp_path):
    (tmp_path / "kept.yaml").write_text("mine")
    code, _, err = run_cli("rules", "init", tmp_path)
    assert code == 1 and "already exists and is not an empty folder" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.yaml"]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run_cli("rules", "init", empty)[0] == 0
    assert (empty / "rulebase.yaml").exists()
