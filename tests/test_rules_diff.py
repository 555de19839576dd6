"""`advisor rules diff OLD NEW --profiles PATH`: changed verdicts and the rule and condition behind each."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from advisor.errors import display_path
from advisor.rulebase.loader import default_rules_dir

from .conftest import ROOT

PROFILES = ROOT / "profiles"


def edited_copy(tmp_path, file: str, old: str, new: str):
    rules = tmp_path / "new"
    shutil.copytree(default_rules_dir(), rules)
    path = rules / file
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return rules


def test_same_rulebase_changes_nothing(run_cli):
    code, out, _ = run_cli("rules", "diff", default_rules_dir(), default_rules_dir(), "--profiles", PROFILES)
    assert code == 0 and "9 profiles" in out and "No verdict changes." in out


def test_a_tightened_condition_names_the_profiles_and_the_condition(run_cli, tmp_path):
    new = edited_copy(tmp_path, "recommendations/cnrs.irp.yaml", "collaboration.countries, at_most: 2",
                      "collaboration.countries, at_most: 1")
    code, out, _ = run_cli("rules", "diff", default_rules_dir(), new, "--profiles", PROFILES)
    assert code == 0
    assert "profiles/laura-5-extension-to-us.yaml\n  cnrs.irp: recommended -> not_eligible" in out
    assert "now fails: the partnership involves one or two foreign countries (yours: 2; required: at most 1)" in out
    assert "new/recommendations/cnrs.irp.yaml:15]" in out
    assert "1 of 9 profiles change (1 verdict):" in out
    assert run_cli("rules", "diff", default_rules_dir(), new, "--profiles", PROFILES, "--exit-code")[0] == 1


def test_a_loosened_condition_says_what_no_longer_fails(run_cli, tmp_path):
    new = edited_copy(tmp_path, "recommendations/cnrs.irp.yaml", "collaboration.countries, at_most: 2",
                      "collaboration.countries, at_most: 5")
    code, out, _ = run_cli("rules", "diff", default_rules_dir(), new, "--profiles", ROOT / "rules" / "tests")
    assert code == 0
    assert "cnrs.irp: three partner countries are too many for an IRP (an IRN fits)\n" \
           "  cnrs.irp: not_eligible -> recommended" in out  # rule test files count as profiles
    assert "no longer fails: the partnership involves one or two foreign countries (required before: at most 2)" in out


def test_dates_goals_added_and_removed_rules(run_cli, tmp_path):
    new = edited_copy(tmp_path, "recommendations/cnrs.iea.yaml", "valid_from: 2018-05-31", "valid_from: 2020-01-01")
    (new / "recommendations" / "route.top_down.yaml").unlink()
    bottom_up = new / "recommendations" / "route.bottom_up.yaml"
    bottom_up.write_text(bottom_up.read_text().replace("serves_goals: [start_collaboration, build_network]",
                                                       "serves_goals: [start_collaboration]"))
    shutil.copy(bottom_up, new / "recommendations" / "route.extra.yaml")
    extra = new / "recommendations" / "route.extra.yaml"
    extra.write_text(extra.read_text().replace("id: route.bottom_up", "id: route.extra"))
    code, out, _ = run_cli("rules", "diff", default_rules_dir(), new, "--profiles", PROFILES, "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["profiles"] == 9
    why = {(c["id"], c["old"], c["new"]): c["why"] for c in data["changes"]}
    removed = display_path(default_rules_dir() / "recommendations" / "route.top_down.yaml")
    assert any(k[0] == "route.top_down" and k[2] is None and v == [f"route.top_down was removed (it was in {removed})"]
               for k, v in why.items())
    assert any(k[0] == "route.extra" and k[1] is None and v[0].startswith("route.extra is new") for k, v in why.items())
    assert any(k[0] == "route.bottom_up" and v[0].startswith("serves_goals changed from start_collaboration, "
               "build_network to start_collaboration") for k, v in why.items())
    summary = {(s["id"], s["old"], s["new"]): s["profiles"] for s in data["summary"]}
    assert sum(summary.values()) == len(data["changes"])


def test_validity_change(run_cli, tmp_path):
    new = edited_copy(tmp_path, "recommendations/cnrs.iea.yaml", "valid_from: 2018-05-31", "valid_from: 2020-01-01")
    code, out, _ = run_cli("rules", "diff", default_rules_dir(), new, "--profiles", ROOT / "rules" / "tests",
                           "--as-of", "2019-06-01")
    assert code == 0 and "cnrs.iea: recommended -> not_offered" in out
    assert "valid_from changed from 2018-05-31 to 2020-01-01 [" in out and "cnrs.iea.yaml:6]" in out
    assert "skipped: their answers cannot be true on the date of the advice" in out  # test profiles of later years


def test_broken_rulebase_or_profile_exits_1(run_cli, tmp_path):
    new = edited_copy(tmp_path, "recommendations/cnrs.irp.yaml", "kind: cnrs_label", "kind: label")
    code, out, err = run_cli("rules", "diff", default_rules_dir(), new, "--profiles", PROFILES)
    assert code == 1 and out == "" and "cnrs.irp.yaml:4" in err and "NEW" in err
    bad = tmp_path / "bad.yaml"
    bad.write_text("career_stage: astronaut\n")
    code, out, err = run_cli("rules", "diff", default_rules_dir(), default_rules_dir(), "--profiles", bad, PROFILES)
    assert code == 1 and "bad.yaml:1" in err and "9 profiles" in out


def _in_git_checkout() -> bool:
    try:
        return subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD:rules"], capture_output=True).returncode == 0
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not _in_git_checkout(), reason="needs a git checkout with rules/ committed")
def test_git_revision(run_cli, monkeypatch):
    monkeypatch.chdir(ROOT)
    code, out, _ = run_cli("rules", "diff", "HEAD:rules", "rules", "--profiles", "profiles")
    assert code == 0 and out.startswith("HEAD:rules (")
    code, _, err = run_cli("rules", "diff", "no-such-revision:rules", "rules", "--profiles", "profiles")
    assert code == 1 and "git cannot read it" in err


def test_shortcut_finds_exactly_the_verdicts_a_full_evaluation_finds(tmp_path):
    """compare() skips the explained advice when decisions agree; it must miss no change."""
    import datetime as dt

    from advisor.advice.advisor import Advisor
    from advisor.contract.profile import Profile
    from advisor.engines.python import PythonEngine
    from advisor.io.profiles import LoadedProfile
    from advisor.rulebase.loader import load_rulebase
    from advisor.toolkit.diff import compare
    from advisor.toolkit.synthetic import synthetic_profiles

    new_dir = edited_copy(tmp_path, "recommendations/cnrs.irp.yaml", "collaboration.countries, at_most: 2",
                          "collaboration.countries, at_most: 1")
    for name, old, new in [("cnrs.iea.yaml", "valid_from: 2018-05-31", "valid_from: 2020-01-01"),
                           ("route.bottom_up.yaml", "[start_collaboration, build_network]", "[build_network]")]:
        path = new_dir / "recommendations" / name
        path.write_text(path.read_text().replace(old, new))
    advisors = [Advisor(r, PythonEngine(r)) for r in (load_rulebase(), load_rulebase(new_dir))]
    today = dt.date(2026, 1, 1)
    profiles = [LoadedProfile(Profile.model_validate(d), f"p{i}") for i, d in enumerate(synthetic_profiles(300, seed=5))]
    expected = set()
    for item in profiles:
        before, after = (({a.id: a.verdict for a in adv.evaluate(item.profile, item.source, today).results})
                         for adv in advisors)
        expected |= {(item.source, rule_id) for rule_id in before if before[rule_id] != after[rule_id]}
    found = {(c.profile, c.rule_id) for c in compare(*advisors, profiles, today).changes}
    assert found == expected and expected
