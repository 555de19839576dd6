"""questions.yaml: checked when loaded, consistent with the rules, labels separate from stored values."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from prompt_toolkit.input import create_pipe_input

from advisor.errors import InputError
from advisor.questionnaire.consistency import check_questions, fields_read
from advisor.questionnaire.flow import Prompt
from advisor.questionnaire.questions import load_questions
from advisor.questionnaire.state import Step
from advisor.rulebase.loader import default_rules_dir, load_rulebase

from .askscript import ScriptedTerminal

GOOD = """\
version: 1
questions:
  - id: stage
    field: career_stage
    type: single
    prompt: Position?
    choices:
      - {value: master_student, label: a}
      - {value: phd_student, label: b}
      - {value: postdoc, label: c}
      - {value: junior_researcher, label: d}
      - {value: senior_researcher, label: e}
      - {value: professor, label: f}
      - {value: engineer, label: g}
      - {value: administrator, label: h}
"""


def _problems(rulebase, tmp_path, text: str) -> list[str]:
    path = tmp_path / "questions.yaml"
    path.write_text(text)
    with pytest.raises(InputError) as caught:
        load_questions(rulebase, path)
    return [str(p) for p in caught.value.problems]


def test_the_bundled_questions_load_and_agree_with_the_rules(rulebase):
    questions = load_questions(rulebase)
    assert check_questions(rulebase, questions) == []
    asked = {q.field for q in questions.questions}
    assert fields_read(rulebase) - {"as_of"} <= asked  # every field a rule reads is asked
    assert questions.group is not None and questions.group.spec.add_another


def test_the_consistency_check_finds_unasked_and_unused_fields(rulebase, tmp_path):
    text = GOOD + """\
  - id: gender
    field: gender
    type: single
    prompt: Gender?
    choices: [{value: female, label: F}, {value: male, label: M}, {value: other, label: O}]
"""
    path = tmp_path / "questions.yaml"
    path.write_text(text)
    problems = [p.message for p in check_questions(rulebase, load_questions(rulebase, path))]
    assert "the rules read 'permanent_position' but no question asks it" in problems
    assert "the rules read 'collaboration.stage' but no question asks it" in problems
    assert any("question 'gender' asks 'gender', which no rule reads" in p for p in problems)


@pytest.mark.parametrize("replace, expected", [
    (("field: career_stage", "field: carreer_stage"),
     "questions.yaml:4:5: questions[0].field: 'carreer_stage' is not a profile field a person can answer\n"
     "  fix: did you mean 'career_stage'?"),
    (("type: single", "type: yes_no"), "questions.yaml:5:5: questions[0].type: a yes_no question cannot answer "
                                       "career_stage (enum)\n  fix: use type: single"),
    (("value: postdoc,", "value: post_doc,"), "questions.yaml:10:10: questions[0].choices[2].value: 'post_doc' is "
                                              "not a value of career_stage\n  fix: did you mean 'postdoc'?"),
    (("      - {value: engineer, label: g}\n", ""), "questions.yaml:7:5: questions[0].choices: no choice for engineer"),
    (("prompt: Position?", "promt: Position?"), "questions.yaml:6:5: questions[0].promt: unknown key\n"
                                                "  fix: did you mean 'prompt'?"),
    (("prompt: Position?", "prompt: Position?\n    when: {field: career_stag, is: postdoc}"),
     "questions.yaml:7:12: unknown field 'career_stag'\n  fix: did you mean 'career_stage'?"),
])
def test_a_broken_question_is_reported_with_its_line_and_a_fix(rulebase, tmp_path, replace, expected):
    problems = _problems(rulebase, tmp_path, GOOD.replace(*replace))
    assert any(expected in p for p in problems), problems


def test_duplicates_groups_and_partnership_questions_are_checked(rulebase, tmp_path):
    twice = GOOD + GOOD.split("questions:\n")[1]
    assert any("id 'stage' is also used by question 1" in p for p in _problems(rulebase, tmp_path, twice))
    partner = GOOD + "  - {id: stage2, field: collaboration.stage_x, type: number, prompt: x}\n"
    assert any("did you mean 'collaboration.stage'?" in p for p in _problems(rulebase, tmp_path, partner))
    orphan = GOOD + "  - {id: pubs, field: collaboration.joint_publications, type: number, prompt: x}\n"
    assert any("need a group question" in p for p in _problems(rulebase, tmp_path, orphan))
    group = GOOD + "  - {id: partners, field: collaborations, type: group, prompt: x}\n"
    assert any("needs `add_another`" in p for p in _problems(rulebase, tmp_path, group))


def test_a_rulebase_without_questions_says_so(rulebase, tmp_path):
    with pytest.raises(InputError) as caught:
        load_questions(rulebase, tmp_path / "questions.yaml")
    assert "the rulebase has no questionnaire" in str(caught.value)


def test_labels_can_change_without_changing_stored_values(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    path = rules / "questions.yaml"
    path.write_text(path.read_text().replace("label: PhD student", "label: Doctorant·e"))
    rulebase = load_rulebase(rules)
    question = load_questions(rulebase).by_id["career_stage"]
    assert ("phd_student", "Doctorant·e") in question.choices()
    with create_pipe_input() as pipe:
        terminal = ScriptedTerminal([{"at": "career_stage", "choose": "Doctorant·e"}], pipe)
        reply = terminal.ask(Prompt(Step(question), 1, 1, None, 2024, None, True))
    assert reply == "phd_student"


def test_typed_answers_are_read_and_checked_by_type(rulebase, tmp_path):
    path = tmp_path / "questions.yaml"
    path.write_text(GOOD + """\
  - {id: day, field: as_of, type: date, prompt: Date of the advice?}
  - {id: land, field: country, type: country, prompt: Country?}
  - {id: phd, field: phd_year, type: year, prompt: PhD?, validate: {min: 1990}}
""")
    questions = load_questions(rulebase, path)
    script = [{"at": "day", "keys": ["2024-13-01", "enter", "ctrl-u", "2024-06-01", "enter"]},
              {"at": "land", "keys": ["Atlantis", "enter", "ctrl-u", "no", "enter"]},
              {"at": "phd", "keys": ["1989", "enter", "ctrl-u", "2025", "enter", "ctrl-u", "2024", "enter"]}]
    with create_pipe_input() as pipe:
        terminal = ScriptedTerminal(script, pipe)
        replies = [terminal.ask(Prompt(Step(questions.by_id[key]), 1, 3, None, 2024, None, True))
                   for key in ("day", "land", "phd")]
    assert replies == [dt.date(2024, 6, 1), "NO", 2024]
    assert "Norway (NO)" in terminal.transcript.getvalue()  # the country understood, by name


@pytest.mark.parametrize("typed, code", [("Italy", "IT"), ("allemagne", "DE"), ("us", "US"), ("Etats-Unis", "US")])
def test_a_country_is_typed_by_name_or_code(rulebase, typed, code):
    assert load_questions(rulebase).by_id["partner_country"].read(typed, 2024) == code


@pytest.mark.parametrize("typed, message", [
    ("Itlay", "“Itlay” is not a country we know: did you mean Italy (IT)?"),
    ("XX", "“XX” is not a country code: write the country's name in English or French, or its code"),
])
def test_a_country_not_known_is_refused_with_the_fix(rulebase, typed, message):
    with pytest.raises(ValueError) as caught:
        load_questions(rulebase).by_id["partner_country"].read(typed, 2024)
    assert str(caught.value).startswith(message)
