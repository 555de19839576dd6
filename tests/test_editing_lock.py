"""Two questionnaires on the same answers file (or session) would overwrite each other: the second is refused."""

from __future__ import annotations

import os

import pytest
import yaml

from advisor.errors import InputError
from advisor.io.private import in_use
from advisor.questionnaire.bookkeeping import answers_from_profile
from advisor.questionnaire.questions import load_questions
from advisor.questionnaire.store import AnswersFile


def test_a_second_editor_is_refused_with_the_process_that_holds_the_file(tmp_path):
    target, lock = tmp_path / "answers.yaml", tmp_path / ".answers.yaml.lock"
    with in_use(target, lock):
        with pytest.raises(InputError) as caught, in_use(target, lock):
            pass
        message = str(caught.value)
        assert "answers.yaml" in message and f"process {os.getpid()}" in message and "finish or quit" in message
    assert not lock.exists()  # nothing left behind
    with in_use(target, lock):  # free again
        assert lock.exists()


def test_where_nothing_can_be_written_there_is_nothing_to_protect(tmp_path):
    with in_use(tmp_path / "absent" / "answers.yaml", tmp_path / "absent" / ".answers.yaml.lock"):
        pass


def test_resume_is_refused_while_another_questionnaire_edits_the_file(run_cli, rulebase, tmp_path, in_a_terminal):
    store = AnswersFile(tmp_path / "answers.yaml", rulebase.version)
    answers, _ = answers_from_profile({"schema_version": 1, "country": "FR"}, load_questions(rulebase))
    store.save(answers)
    before = store.path.read_text()
    with in_use(store.path, store.lock):  # as the other `advisor ask --resume` holds it
        code, _, err = run_cli("ask", "--resume", store.path, "--engine", "python")
    assert code == 1
    assert "answers.yaml" in err and "is being edited by another advisor command" in err
    assert store.path.read_text() == before  # the other questionnaire's answers are untouched


def test_session_ask_is_refused_while_another_runs_on_the_same_session(run_cli, tmp_path, monkeypatch, in_a_terminal):
    monkeypatch.setenv("ADVISOR_SESSIONS", str(tmp_path / "sessions"))
    start = tmp_path / "start.yaml"
    start.write_text(yaml.safe_dump({"schema_version": 1, "country": "FR"}))
    assert run_cli("session", "new", "ada", "--profile", start)[0] == 0
    folder = tmp_path / "sessions" / "ada"
    before = (folder / "profile.yaml").read_text()
    with in_use(folder, folder / ".ask.lock"):
        code, _, err = run_cli("session", "ask", "ada", "--engine", "python")
    assert code == 1 and "is being edited by another advisor command" in err
    assert (folder / "profile.yaml").read_text() == before
