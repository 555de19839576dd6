"""What-if changes of answers, the verdicts they change, scenarios; instruments compared side by side."""

from __future__ import annotations

import json

import pytest
import yaml

from advisor.advice.compare import compare, verdict_changes
from advisor.errors import InputError
from advisor.io.profiles import load_profiles
from advisor.sessions.whatif import apply, parse_assignment, parse_unset

from .conftest import ROOT

LAURA = ROOT / "profiles" / "laura-3-network-coordinator.yaml"
AUTHOR_POSTDOC = ROOT / "profiles" / "author-2-postdoc-paris.yaml"


@pytest.fixture
def laura():
    return load_profiles(LAURA)[0].profile


@pytest.fixture
def sessions(tmp_path, monkeypatch):
    monkeypatch.setenv("ADVISOR_SESSIONS", str(tmp_path / "sessions"))
    return tmp_path / "sessions"


def test_values_take_the_profile_types(laura):
    changed = apply(laura, [parse_assignment("permanent_position=false"), parse_assignment("phd_year=2001"),
                            parse_assignment("nationality=no"), parse_assignment("goals=consolidate, joint_lab"),
                            parse_assignment("as_of=2024-03-01"), parse_unset("gender")])
    assert changed.permanent_position is False and changed.phd_year == 2001
    assert changed.nationality == "NO"  # Norway, not a boolean
    assert changed.goals == ["consolidate", "joint_lab"] and changed.as_of.isoformat() == "2024-03-01"
    assert changed.gender is None
    assert laura.permanent_position is True  # the current answers are not touched


def test_partnership_fields_and_a_new_partnership(laura):
    changed = apply(laura, [parse_assignment("collaborations[0].stage=funded"),
                            parse_assignment("collaborations[1].partner_country=us"),
                            parse_assignment("collaborations[1].stage=contacts")])
    assert changed.collaborations[0].stage == "funded"
    assert changed.collaborations[1].partner_country == "US" and changed.collaborations[1].stage == "contacts"
    assert apply(laura, [parse_assignment("collaborations=")]).collaborations == []


@pytest.mark.parametrize("text, says", [
    ("stage", "is not FIELD=VALUE"),
    ("collaborations[0]stage=x", "is not a field"),
    ("collaborations[5].stage=funded", "there is no partnership 5"),
    ("career_stage=", "has no value"),
    ("career_stage=profesor", "did you mean 'professor'"),
    ("collaborations[0].stag=funded", "did you mean 'stage'"),
    ("phd_year=soon", "whole number"),
    ("collaborations=IT", "field by field"),
])
def test_bad_assignments_say_what_to_write(laura, text, says):
    with pytest.raises(InputError) as error:
        apply(laura, [parse_assignment(text)])
    assert says in str(error.value)


def test_a_partnership_number_when_none_is_declared(laura):
    with pytest.raises(InputError) as error:
        apply(laura.model_copy(update={"collaborations": []}), [parse_assignment("collaborations[2].stage=funded")])
    assert "no partnership is declared yet; collaborations[0] adds one" in str(error.value)


def test_verdict_changes_between_two_results(advisor, laura):
    before = advisor.explain(advisor.evaluate(laura))
    after = advisor.explain(advisor.evaluate(apply(laura, [parse_assignment("collaborations[0].countries=1")])))
    changes = {c.id: (c.before.verdict, c.after.verdict) for c in verdict_changes(before, after)}
    assert changes == {"cnrs.lia": ("not_eligible", "possible")}
    assert verdict_changes(before, before) == []


def test_whatif_command_shows_the_diff_and_keeps_a_scenario(run_cli, sessions):
    run_cli("session", "new", "laura", "--profile", LAURA)
    code, out, err = run_cli("session", "whatif", "laura", "--set", "willing_to_serve_on_committees=true",
                             "--save", "committees")
    assert code == 0, err
    assert "Science diplomacy" in out and "not eligible" in out and "possible" in out
    assert "route.science_diplomacy" not in out  # the title people read, not the id
    assert "Scenario committees kept" in out
    scenario = yaml.safe_load((sessions / "laura" / "scenarios" / "committees.yaml").read_text())
    assert scenario["changes"] == ["willing_to_serve_on_committees=true"]
    changed = {c["id"]: (c["before"], c["after"]) for c in scenario["verdict_changes"]}
    assert changed["route.science_diplomacy"] == ("not_eligible", "possible")
    assert scenario["profile"]["willing_to_serve_on_committees"] is True
    profile = yaml.safe_load((sessions / "laura" / "profile.yaml").read_text())
    assert profile["willing_to_serve_on_committees"] is False  # a what-if does not change the answers


def test_whatif_apply_makes_the_answers_current_with_history(run_cli, sessions):
    run_cli("session", "new", "laura", "--profile", LAURA)
    code, out, _ = run_cli("session", "whatif", "laura", "--set", "willing_to_relocate=true", "--apply")
    assert code == 0 and "now the answers" in out
    history = [json.loads(line) for line in (sessions / "laura" / "history.jsonl").read_text().splitlines()]
    assert history[-1]["by"] == "whatif willing_to_relocate=true"
    assert history[-1]["changes"] == [{"field": "willing_to_relocate", "before": False, "after": True}]


def test_whatif_without_changes_and_without_a_terminal_is_a_usage_error(run_cli, sessions):
    run_cli("session", "new", "laura", "--profile", LAURA)
    code, _, err = run_cli("session", "whatif", "laura")
    assert code == 2 and "add FIELD=VALUE" in err


def test_whatif_that_changes_no_verdict_says_so(run_cli, sessions):
    run_cli("session", "new", "laura", "--profile", LAURA)
    code, out, _ = run_cli("session", "whatif", "laura", "--set", "discipline=chemistry")
    assert code == 0 and "no verdict changes" in out


def test_compare_lists_every_aspect(advisor, laura):
    rows = compare(advisor.explain(advisor.evaluate(laura)), ["cnrs.gdri", "cnrs.lia", "cnrs.irp"])
    gdri, lia, irp = rows
    assert (gdri.verdict, lia.verdict, irp.verdict) == ("recommended", "not_eligible", "not_offered")
    assert gdri.duration == "4 years, renewable once" and gdri.calendar == "at any time"
    assert any("Confirm" in m for m in gdri.missing)
    assert any("needed: at most 1" in m for m in lia.missing)
    assert any("Eligible with foreign countries in the partnership: 1" in m for m in lia.missing)
    assert "offered from 1 January 2021" in irp.missing[0]


def test_compare_command_formats(run_cli, sessions):
    code, out, _ = run_cli("compare", LAURA, "cnrs.gdri", "cnrs.lia")
    assert code == 0
    for expected in ("Status for you", "Duration", "Funding", "Calendar", "Who applies", "What is missing", "GDRI"):
        assert expected in out
    code, out, _ = run_cli("compare", LAURA, "cnrs.gdri", "cnrs.lia", "--format", "json")
    data = json.loads(out)
    assert [i["id"] for i in data["instruments"]] == ["cnrs.gdri", "cnrs.lia"]
    code, out, _ = run_cli("compare", LAURA, "cnrs.gdri", "cnrs.lia", "--format", "markdown")
    assert out.splitlines()[0].count("|") == 4 and "**What is missing**" in out
    run_cli("session", "new", "laura", "--profile", AUTHOR_POSTDOC)
    code, out, _ = run_cli("compare", "--session", "laura", "eu.msca_pf", "eu.erc_stg", "--format", "json")
    assert code == 0 and json.loads(out)["instruments"][0]["id"] == "eu.msca_pf"


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_compare_columns_are_headed_by_titles_not_ids(run_cli, fmt):
    code, out, _ = run_cli("compare", LAURA, "IRN", "IRP", "--format", fmt)
    assert code == 0
    header = "\n".join(out.splitlines()[:4])
    assert "International Research Network (IRN)" in " ".join(header.split())
    assert "cnrs.irn" not in header and "cnrs.irp" not in header


def test_compare_takes_acronyms_and_titles_from_a_profile(run_cli):
    code, out, err = run_cli("compare", LAURA, "gdri", "LIA", "international research project", "--format", "json")
    assert code == 0, err
    assert [i["id"] for i in json.loads(out)["instruments"]] == ["cnrs.gdri", "cnrs.lia", "cnrs.irp"]


def test_compare_takes_acronyms_in_a_session(run_cli, sessions):
    code, _, err = run_cli("session", "new", "laura-g", "--profile", LAURA)
    assert code == 0, err
    code, out, err = run_cli("compare", "--session", "laura-g", "IRN", "irp", "--format", "json")
    assert code == 0, err
    assert [i["id"] for i in json.loads(out)["instruments"]] == ["cnrs.irn", "cnrs.irp"]


@pytest.mark.parametrize("typed, says", [
    ("IRPP", "did you mean IRP (International Research Project (IRP))?"),
    ("MSCA", "'MSCA' names 3 recommendations"),
])
def test_compare_an_unknown_or_ambiguous_name_is_a_usage_error(run_cli, typed, says):
    code, out, err = run_cli("compare", LAURA, "IRN", typed)
    assert code == 2 and says in err and "Traceback" not in err and out == ""


@pytest.mark.parametrize("items", [["cnrs.irn", "cnrs.irp"], ["IRN", "ERC Starting Grant"], ["irn"]])
def test_compare_without_a_profile_says_one_comes_first(run_cli, items):
    code, out, err = run_cli("compare", *items)
    assert code == 2 and out == ""
    assert f"'{items[0]}' is an instrument, not a profile file: name the researcher first" in err
    typed = " ".join(f"'{i}'" if " " in i else i for i in items)
    assert f"fix: advisor compare PROFILE.yaml {typed}\n" in err
    assert f"or: advisor compare --session NAME {typed}" in err


def test_compare_a_missing_profile_file_is_not_found(run_cli, tmp_path):
    code, _, err = run_cli("compare", tmp_path / "laura.yaml", "IRN", "IRP")
    assert code == 1 and "laura.yaml: cannot be read: No such file or directory" in err


def test_compare_a_profile_beside_a_session_is_refused(run_cli, sessions):
    run_cli("session", "new", "laura-g", "--profile", LAURA)
    code, _, err = run_cli("compare", "--session", "laura-g", LAURA, "IRN", "IRP")
    assert code == 2 and "give either a PROFILE file or --session NAME" in err


def test_compare_needs_two_different_instruments(run_cli):
    for items in (["cnrs.irp"], ["IRP", "cnrs.irp"]):
        code, _, err = run_cli("compare", LAURA, *items)
        assert code == 2 and "two or more different instruments" in err


def test_interactive_whatif_in_a_terminal(sessions, run_cli):
    """Without --set, a terminal user picks the answer and its value from lists."""
    import os
    import sys

    import pexpect

    run_cli("session", "new", "laura", "--profile", LAURA)
    child = pexpect.spawn(sys.executable, ["-m", "advisor", "session", "whatif", "laura"], encoding="utf-8",
                          timeout=30, dimensions=(40, 140), env={**os.environ, "ADVISOR_SESSIONS": str(sessions)})
    child.expect("Which answer")
    child.send("willing_to_serve")  # the list filters as one types
    child.expect("willing_to_serve_on_committees")
    child.send("\r")
    child.expect(r"\(now: false\)")
    child.send("\r")  # "true", the first choice
    child.expect("Which answer")
    child.send("\r")  # done
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "Science diplomacy" in child.before and "1 verdict(s) change" in child.before
