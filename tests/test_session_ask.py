"""`advisor session ask NAME`: the questionnaire run into an adviser session, through the real prompts.

The command runs in-process with its prompts fed by prompt_toolkit's pipe
input (tests/askscript.py), on the frozen copy of the rulebase so that the
scripted order of questions holds.
"""

from __future__ import annotations

import json

import pytest
import yaml
from prompt_toolkit.input import create_pipe_input

from advisor.questionnaire import interview

from .askscript import ScriptedTerminal
from .conftest import FROZEN_RULES

START = {"schema_version": 1, "as_of": "2024-06-01", "employer": "university", "country": "FR",
         "willing_to_coordinate": True, "willing_to_serve_on_committees": False}


@pytest.fixture
def sessions(tmp_path, monkeypatch):
    root = tmp_path / "sessions"
    monkeypatch.setenv("ADVISOR_SESSIONS", str(root))
    monkeypatch.setenv("COLUMNS", "200")  # one history line per revision
    return root


@pytest.fixture
def ada(run_cli, sessions, tmp_path):
    """A session started from a few answers (and the date of the advice)."""
    start = tmp_path / "start.yaml"
    start.write_text(yaml.safe_dump(START))
    assert run_cli("session", "new", "ada", "--profile", start)[0] == 0
    return sessions / "ada"


@pytest.fixture
def terminal(monkeypatch, in_a_terminal):
    """Run `session ask` as in a terminal, its prompts answered by a script: terminal(script)."""
    with create_pipe_input() as pipe:
        scripted: list[ScriptedTerminal] = []

        def script(steps: list[dict]) -> list[ScriptedTerminal]:
            monkeypatch.setattr(interview, "TerminalUI", lambda console: scripted.append(ScriptedTerminal(steps, pipe))
                                or scripted[-1])
            return scripted
        yield script


def _ask(run_cli, *extra):
    return run_cli("session", "ask", "ada", "--rules", FROZEN_RULES, "--engine", "python", *extra)


def test_answers_go_into_the_session_history_and_resume_after_ctrl_c(run_cli, ada, terminal):
    used = terminal([{"at": "name", "type": "Ada"},
                     {"at": "goals", "tick": ["Spend time abroad (mobility)", "Host foreign researchers"]},
                     {"at": "career_stage", "choose": "Postdoctoral researcher"},
                     {"at": "phd_year", "keys": ["ctrl-c"]}])
    code, out, _ = _ask(run_cli)
    assert code == 130
    assert not used[-1].script
    assert "Every answer so far is saved in session ada" in out and "Continue with: advisor session ask ada" in out

    code, out, _ = run_cli("session", "history", "ada")
    assert code == 0
    for change in ("ask: name: unknown → Ada", "ask: goals: unknown → [mobility_abroad, host_researchers]",
                   "ask: career_stage: unknown → postdoc"):
        assert change in out
    history = [json.loads(line) for line in (ada / "history.jsonl").read_text().splitlines()]
    assert [record["by"] for record in history[1:]] == ["ask", "ask", "ask"]  # one revision per answer
    profile = yaml.safe_load((ada / "profile.yaml").read_text())
    assert profile["questionnaire"]["asked"] == ["name", "goals", "career_stage"]

    used = terminal([{"at": "phd_year", "keys": ["back"]},  # back across the interruption
                     {"at": "career_stage", "keys": ["enter"]},  # the earlier answer is highlighted
                     {"at": "phd_year", "type": "2020"},
                     {"at": "in_cnrs_unit", "choose": "No"},
                     {"at": "partners", "choose": "No"},
                     {"at": "review", "choose": "✓ All correct: show my advice"}])
    code, out, _ = _ask(run_cli)
    assert code == 0
    assert not used[-1].script
    assert "Continuing: 3 answers kept." in out
    assert "Advice for Ada" in out and "Questions not asked" in out
    assert "advisor report --session ada" in out

    profile = yaml.safe_load((ada / "profile.yaml").read_text())
    assert {k: profile[k] for k in ("name", "career_stage", "phd_year", "in_cnrs_unit", "collaborations", "goals")} \
        == {"name": "Ada", "career_stage": "postdoc", "phd_year": 2020, "in_cnrs_unit": False, "collaborations": [],
            "goals": ["mobility_abroad", "host_researchers"]}
    assert {k: profile[k] for k in START} == START  # the session's earlier answers are kept
    assert profile["questionnaire"]["asked"] == ["name", "goals", "career_stage", "phd_year", "in_cnrs_unit",
                                                 "partners"]
    assert profile["questionnaire"]["finished"] is True
    history = [json.loads(line) for line in (ada / "history.jsonl").read_text().splitlines()]
    assert len(history) == 7  # new, 3 answers, then phd_year, in_cnrs_unit, partners (going back changed nothing)
    evaluations = [json.loads(line) for line in (ada / "evaluations.jsonl").read_text().splitlines()]
    assert [e["by"] for e in evaluations] == ["ask"] and evaluations[0]["revision"] == 7
    code, out, _ = run_cli("session", "show", "ada")
    assert code == 0 and "Evaluations (1)" in out


def test_a_finished_questionnaire_opens_on_the_review_and_changes_are_kept(run_cli, ada, terminal):
    terminal([{"at": "name", "type": "Ada"}, {"at": "goals", "tick": ["Host foreign researchers"]},
              {"at": "career_stage", "choose": "PhD student"}, {"at": "permanent_position", "choose": "No"},
              {"at": "partners", "choose": "No"}, {"at": "review", "choose": "✓ All correct: show my advice"}])
    assert _ask(run_cli)[0] == 0
    revisions = len((ada / "history.jsonl").read_text().splitlines())
    terminal([{"at": "review", "choose": "Career stage: PhD student"},
              {"at": "career_stage", "choose": "Master's student"},
              {"at": "review", "choose": "✓ All correct: show my advice"}])
    code, out, _ = _ask(run_cli)
    assert code == 0
    code, out, _ = run_cli("session", "history", "ada")
    assert "ask: career_stage: phd_student → master_student" in out
    assert len((ada / "history.jsonl").read_text().splitlines()) == revisions + 1


def test_without_a_terminal_it_lists_what_is_missing_and_records_the_advice(run_cli, ada):
    code, out, err = _ask(run_cli)
    assert code == 0
    assert "no question is asked" in err and "advisor session set ada FIELD=VALUE" in err
    assert "  - career_stage: What is your current position?" in err
    assert "Advice for" in out
    evaluations = (ada / "evaluations.jsonl").read_text().splitlines()
    assert len(evaluations) == 1 and json.loads(evaluations[0])["by"] == "ask"
    assert len((ada / "history.jsonl").read_text().splitlines()) == 1  # nothing asked, nothing changed


def test_damaged_bookkeeping_is_reported_with_its_line_and_left_as_it_is(run_cli, ada):
    path = ada / "profile.yaml"
    path.write_text(path.read_text() + "questionnaire:\n  asked: [name]\n  partners_done: maybe\n")
    before = path.read_text()
    code, _, err = _ask(run_cli)
    assert code == 1
    assert "profile.yaml:" in err and "questionnaire.partners_done" in err and "fix:" in err
    assert path.read_text() == before


def test_unknown_session(run_cli, sessions):
    code, _, err = run_cli("session", "ask", "nobody")
    assert code == 1 and "no session named 'nobody'" in err and "advisor session new nobody" in err
