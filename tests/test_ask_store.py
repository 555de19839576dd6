"""The answers file: a profile of the contract, written atomically and privately, read back with every answer;
and the bookkeeping to and from a profile without a file (what sessions use)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from advisor.contract.profile import Profile
from advisor.errors import InputError
from advisor.io.private import write_private
from advisor.io.profiles import dump_profile, load_profiles
from advisor.questionnaire.bookkeeping import answers_from_profile, answers_to_profile
from advisor.questionnaire.questions import load_questions
from advisor.questionnaire.state import UNKNOWN, Answers, Step
from advisor.questionnaire.store import AnswersFile


@pytest.fixture(scope="module")
def questions(rulebase):
    return load_questions(rulebase)


def _filled(questions) -> Answers:
    answers = Answers(data={"schema_version": 1, "as_of": "2024-06-01", "nationality": "NO"})
    by_id = questions.by_id
    answers.apply(Step(by_id["name"]), "Ola N.")
    answers.apply(Step(by_id["career_stage"]), "postdoc")
    answers.apply(Step(by_id["phd_year"]), UNKNOWN)
    answers.apply(Step(by_id["goals"]), ["mobility_abroad", "consolidate"])
    answers.apply(Step(by_id["permanent_position"]), False)
    answers.apply(Step(questions.group), True)
    answers.apply(Step(by_id["partner_country"], 0), "NO")
    answers.apply(Step(by_id["partner_stage"], 0), "joint_results")
    answers.apply(Step(questions.group, 0, True), True)
    answers.apply(Step(by_id["partner_country"], 1), "US")
    answers.apply(Step(by_id["joint_publications"], 1), UNKNOWN)
    answers.reopen(Step(by_id["joint_publications"], 1))
    return answers


def test_every_answer_and_the_bookkeeping_survive_a_round_trip(questions, tmp_path):
    answers = _filled(questions)
    store = AnswersFile(tmp_path / "answers.yaml", "v1")
    store.save(answers)
    loaded, notices = store.load(questions)
    assert notices == []
    assert loaded.data == answers.data
    assert loaded.data["nationality"] == "NO" and loaded.data["collaborations"][0] == {
        "partner_country": "NO", "stage": "joint_results"}  # Norway stays a country, not a boolean
    for key in ("history", "unknown", "reopened", "partners_done", "resume_at"):
        assert getattr(loaded, key) == getattr(answers, key), key


def test_the_bookkeeping_goes_to_and_from_a_profile_without_a_file(questions):
    answers = _filled(questions)
    answers.skipped = {"willing_to_relocate": "not needed"}
    profile = answers_to_profile(answers, "v1")
    assert isinstance(profile, Profile) and profile.questionnaire["rulebase"] == "v1"
    loaded, notices = answers_from_profile(dump_profile(profile), questions, "v1")
    assert notices == []
    assert loaded.data == answers.data and "questionnaire" not in loaded.data
    for key in ("history", "unknown", "reopened", "partners_done", "resume_at", "skipped", "finished"):
        assert getattr(loaded, key) == getattr(answers, key), key
    _, notices = answers_from_profile(dump_profile(profile), questions, "v2")
    assert notices == ["the answers were given with rulebase v1; it is now v2, so some questions may differ"]


def test_a_profile_without_bookkeeping_starts_a_questionnaire_pre_filled(questions):
    data = {"schema_version": 1, "name": "A", "collaborations": [{"partner_country": "IT"}]}
    answers, notices = answers_from_profile(data, questions)
    assert (answers.data, answers.history, notices) == (data, [], [])
    assert answers.partners_done  # a profile that lists partnerships lists them all
    assert not answers_from_profile({"schema_version": 1}, questions)[0].partners_done


def test_a_damaged_section_without_a_file_names_the_field_and_a_fix(questions):
    with pytest.raises(InputError) as caught:
        answers_from_profile({"name": "A", "questionnaire": {"asked": "name", "colour": 1}}, questions)
    text = str(caught.value)
    assert "questionnaire.asked" in text and "questionnaire.colour" in text and "fix: remove it" in text


def test_a_new_answers_file_is_readable_by_its_owner_only(questions, tmp_path):
    store = AnswersFile(tmp_path / "answers.yaml")
    store.save(_filled(questions))
    assert (store.path.stat().st_mode & 0o777) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["answers.yaml"]  # no temporary file left behind


def test_the_answers_file_is_a_profile_that_evaluate_accepts(questions, tmp_path, run_cli):
    store = AnswersFile(tmp_path / "answers.yaml")
    store.save(_filled(questions))
    (loaded,) = load_profiles(store.path)
    assert loaded.profile.questionnaire["unknown"] == ["phd_year", "collaborations[1].joint_publications"]
    code, out, err = run_cli("evaluate", store.path, "--format", "json")
    assert code == 0 and '"results"' in out


def test_a_failed_write_leaves_the_previous_file_whole(tmp_path, monkeypatch):
    path = tmp_path / "answers.yaml"
    path.write_text("name: before\n")
    os.chmod(path, 0o640)

    def crash(*args):
        raise OSError("disk full")
    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        write_private(path, "name: after\n")
    assert path.read_text() == "name: before\n"
    assert [p.name for p in tmp_path.iterdir()] == ["answers.yaml"]  # no temporary file left behind
    monkeypatch.undo()
    write_private(path, "name: after\n")
    assert path.read_text() == "name: after\n" and (path.stat().st_mode & 0o777) == 0o640


def test_a_killed_writer_never_leaves_a_half_written_file(questions, tmp_path):
    """A process saving answers in a loop is killed at a random moment; the file is always a whole profile."""
    path = tmp_path / "answers.yaml"
    script = textwrap.dedent(f"""
        from advisor.questionnaire.state import Answers
        from advisor.questionnaire.store import AnswersFile
        store = AnswersFile({str(path)!r})
        n = 0
        while True:
            n += 1
            store.save(Answers(data={{"schema_version": 1, "name": "x" * (n % 5000), "phd_year": 2000}},
                               history=["name"] * (n % 300)))
            if n == 20:
                print("ready", flush=True)
    """)
    for _ in range(3):
        child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
        assert child.stdout.readline().strip() == "ready"
        time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
        child.wait()
        loaded, _ = AnswersFile(path).load(questions)
        assert loaded.data["phd_year"] == 2000


def test_resuming_a_plain_profile_is_refused_with_the_right_option(questions, run_cli):
    from .conftest import ROOT
    with pytest.raises(InputError) as caught:
        AnswersFile(ROOT / "profiles" / "laura-1-erasmus-phd.yaml").load(questions)
    assert "not an answers file" in str(caught.value)
    assert "advisor ask --answers profiles/laura-1-erasmus-phd.yaml" in str(caught.value)


def test_a_damaged_bookkeeping_section_is_reported_with_its_line(questions, tmp_path):
    path = tmp_path / "answers.yaml"
    path.write_text("schema_version: 1\nname: A\nquestionnaire:\n  asked: [name]\n  partners_done: maybe\n")
    with pytest.raises(InputError) as caught:
        AnswersFile(path).load(questions)
    assert "answers.yaml:5:3: questionnaire.partners_done" in str(caught.value)


def test_questions_gone_from_the_rulebase_keep_their_answers(questions, tmp_path):
    path = tmp_path / "answers.yaml"
    path.write_text("schema_version: 1\nname: A\nquestionnaire:\n  asked: [old_question, name]\n")
    answers, notices = AnswersFile(path).load(questions)
    assert answers.history == ["name"] and answers.data["name"] == "A"
    assert notices == ["the question 'old_question' is no longer in the questionnaire; its answer is kept"]


def test_a_changed_rulebase_is_noticed_on_resume(questions, tmp_path):
    store = AnswersFile(tmp_path / "answers.yaml", "2026.01+aaa")
    store.save(Answers(data={"schema_version": 1, "name": "A"}))
    _, notices = AnswersFile(store.path, "2026.11+bbb").load(questions)
    assert notices == ["the answers were given with rulebase 2026.01+aaa; it is now 2026.11+bbb, "
                       "so some questions may differ"]
