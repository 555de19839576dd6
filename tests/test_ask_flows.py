"""Questionnaire flows written as data (tests/flows/*.yaml), driven through the real prompts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from prompt_toolkit.input import create_pipe_input

from advisor.questionnaire.flow import Session
from advisor.questionnaire.planner import Planner
from advisor.questionnaire.questions import load_questions
from advisor.questionnaire.state import Answers
from advisor.questionnaire.store import AnswersFile
from advisor.yamlio import load_yaml_file

from .askscript import ScriptedTerminal

FLOWS = sorted((Path(__file__).parent / "flows").glob("*.yaml"))
TODAY = dt.date(2026, 1, 1)


def run_script(planner: Planner, answers: Answers, store: AnswersFile, script: list) -> tuple[bool, str]:
    """Run one session with a script; (interrupted by Ctrl-C, what was printed)."""
    with create_pipe_input() as pipe:
        terminal = ScriptedTerminal(script, pipe)
        try:
            Session(planner, answers, terminal, store.save).run()
            interrupted = False
        except KeyboardInterrupt:
            interrupted = True
    assert not terminal.script, f"the questionnaire ended before the script: {terminal.script}"
    return interrupted, terminal.transcript.getvalue()


@pytest.mark.parametrize("path", FLOWS, ids=lambda p: p.stem)
def test_flow(path, frozen_rulebase, tmp_path):
    """Each flow runs on the frozen rulebase: the order of questions depends on every rule."""
    rulebase = frozen_rulebase
    flow = load_yaml_file(path).data
    questions = load_questions(rulebase)
    planner = Planner(rulebase, questions, TODAY)
    store = AnswersFile(tmp_path / "answers.yaml", rulebase.version)
    answers = Answers(data={"schema_version": 1, **flow.get("start", {})})
    transcript = ""
    sessions = flow["sessions"]
    for n, script in enumerate(sessions):
        if n:
            answers, notices = store.load(questions)  # resume from the file, as `--resume` does
            assert notices == []
        interrupted, printed = run_script(planner, answers, store, script)
        transcript += printed
        assert interrupted == (n < len(sessions) - 1 or flow.get("interrupted", False))
    saved, _ = store.load(questions)
    expect = flow["expect"]
    assert {k: v for k, v in saved.data.items() if k != "schema_version"} == expect["answers"]
    assert saved.history == expect["asked"]
    for key in ("unknown", "reopened", "finished"):
        if key in expect:
            assert getattr(saved, key) == expect[key]
    for text in expect.get("transcript", []):
        assert text in transcript
