"""Questionnaire flows written as data (tests/flows/*.yaml), driven through the real prompts.

Each flow runs on the frozen copy of the rulebase (the order of questions
depends on every rule), twice: into an answers file (`advisor ask`) and into
an adviser session (`advisor session ask`), resuming from where each keeps
the answers.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from prompt_toolkit.input import create_pipe_input

from advisor.contract.profile import Profile
from advisor.io.documents import load_yaml_file
from advisor.io.profiles import dump_profile
from advisor.questionnaire.bookkeeping import answers_from_profile, answers_to_profile
from advisor.questionnaire.flow import Session
from advisor.questionnaire.planner import Planner
from advisor.questionnaire.questions import load_questions
from advisor.questionnaire.state import Answers
from advisor.questionnaire.store import AnswersFile
from advisor.sessions.store import SessionStore

from .askscript import ScriptedTerminal

FLOWS = sorted((Path(__file__).parent / "flows").glob("*.yaml"))
TODAY = dt.date(2026, 1, 1)


class FileKeeping:
    """The answers file of `advisor ask`."""

    def __init__(self, tmp_path: Path, start: dict, version: str):
        self.store = AnswersFile(tmp_path / "answers.yaml", version)
        self.start = Answers(data={"schema_version": 1, **start})

    def save(self, answers: Answers) -> None:
        self.store.save(answers)

    def load(self, questions):
        return self.store.load(questions)


class SessionKeeping:
    """An adviser session, as `advisor session ask` keeps the answers in it."""

    def __init__(self, tmp_path: Path, start: dict, version: str):
        self.session = SessionStore(tmp_path / "sessions").create("flow", Profile.model_validate(start))
        self.version = version
        self.start = None

    def save(self, answers: Answers) -> None:
        self.session.save_profile(answers_to_profile(answers, self.version), by="ask")

    def load(self, questions):
        return answers_from_profile(dump_profile(self.session.profile()), questions, self.version)


def run_script(planner: Planner, answers: Answers, keeping, script: list) -> tuple[bool, str]:
    """Run one session with a script; (interrupted by Ctrl-C, what was printed)."""
    with create_pipe_input() as pipe:
        terminal = ScriptedTerminal(script, pipe)
        try:
            Session(planner, answers, terminal, keeping.save).run()
            interrupted = False
        except KeyboardInterrupt:
            interrupted = True
    assert not terminal.script, f"the questionnaire ended before the script: {terminal.script}"
    return interrupted, terminal.transcript.getvalue()


@pytest.mark.parametrize("keeping", [FileKeeping, SessionKeeping], ids=["file", "session"])
@pytest.mark.parametrize("path", FLOWS, ids=lambda p: p.stem)
def test_flow(path, keeping, frozen_rulebase, tmp_path):
    rulebase = frozen_rulebase
    flow = load_yaml_file(path).data
    questions = load_questions(rulebase)
    planner = Planner(rulebase, questions, TODAY)
    kept = keeping(tmp_path, flow.get("start", {}), rulebase.version)
    answers = kept.start or kept.load(questions)[0]
    transcript = ""
    sessions = flow["sessions"]
    for n, script in enumerate(sessions):
        if n:
            answers, notices = kept.load(questions)  # resume from where the answers are kept
            assert notices == []
        interrupted, printed = run_script(planner, answers, kept, script)
        transcript += printed
        assert interrupted == (n < len(sessions) - 1 or flow.get("interrupted", False))
    saved, _ = kept.load(questions)
    expect = flow["expect"]
    assert {k: v for k, v in saved.data.items() if k != "schema_version"} == expect["answers"]
    assert saved.history == expect["asked"]
    for key in ("unknown", "reopened", "finished"):
        if key in expect:
            assert getattr(saved, key) == expect[key]
    for text in expect.get("transcript", []):
        assert text in transcript
    if keeping is SessionKeeping:
        _check_history(kept.session, flow.get("start", {}), saved)


def _check_history(session, start: dict, saved: Answers) -> None:
    """The session's history begins with the start, each later revision is one change of answers by `ask`."""
    history = session.history()
    assert history[0]["by"] == "new"
    assert {k: v for k, v in history[0]["profile"].items() if k != "schema_version"} == start
    assert all(record["by"] == "ask" and record["changes"] for record in history[1:])
    assert {k: v for k, v in history[-1]["profile"].items() if k != "questionnaire"} == saved.data
