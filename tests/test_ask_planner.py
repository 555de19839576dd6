"""Ask only what matters: which questions are skipped, in which order the others come, and that
skipping never changes the advice.

Tests naming particular questions, reasons or orders run on the frozen copy of the rulebase
(`planner`), so that editing a bundled rule does not break them; the properties that must hold for
any rulebase (skipping never changes the advice, the best-scoring question first) run on the
bundled one (`bundled`).
"""

from __future__ import annotations

import datetime as dt

import pytest

from advisor.contract.profile import Profile
from advisor.io.profiles import dump_profile, load_profiles
from advisor.questionnaire.planner import Planner
from advisor.questionnaire.questions import load_questions
from advisor.questionnaire.replay import every_question, replay
from advisor.questionnaire.state import UNKNOWN, Answers, Step
from advisor.toolkit.synthetic import synthetic_profiles

from .conftest import ROOT

TODAY = dt.date(2026, 1, 1)
EXAMPLES = sorted((ROOT / "profiles").glob("*.yaml"))


@pytest.fixture(scope="module")
def planner(frozen_rulebase):
    return Planner(frozen_rulebase, load_questions(frozen_rulebase), TODAY)


@pytest.fixture(scope="module")
def bundled(rulebase):
    return Planner(rulebase, load_questions(rulebase), TODAY)


def _answers(**data) -> Answers:
    return Answers(data={"schema_version": 1, "as_of": "2024-06-01", **data})


def _keys(planner, answers) -> list[str]:
    return [c.step.key for c in planner.candidates(answers)]


def test_the_first_questions_are_the_name_then_the_one_that_settles_most(bundled):
    candidates = bundled.candidates(_answers())
    assert candidates[0].step.key == "name"  # `always`: the report's name comes first
    scores = [c.score for c in candidates[1:]]
    assert scores == sorted(scores, reverse=True)
    assert candidates[1].score > 0


def test_a_question_no_open_recommendation_needs_is_skipped_with_its_reason(planner):
    # Outside any CNRS unit, with no partnership, nothing that reads willingness to relocate is open.
    answers = _answers(in_cnrs_unit=False, collaborations=[])
    assert "willing_to_relocate" not in _keys(planner, answers)
    reason = planner.why_not_asked(answers)["willing_to_relocate"]
    assert reason.startswith("not needed:") and "International Research Laboratory (IRL)" in reason


def test_when_conditions_skip_questions_and_say_why(planner):
    answers = _answers(career_stage="phd_student")
    assert "phd_year" not in _keys(planner, answers)
    assert planner.why_not_asked(answers)["phd_year"] == "does not apply: asked only when you hold a doctorate"
    assert "phd_year" in _keys(planner, _answers(career_stage=None))  # unknown: it may apply


def test_dont_know_answers_are_not_asked_again(planner):
    answers = _answers()
    answers.apply(Step(planner.questions.by_id["career_stage"]), UNKNOWN)
    assert "career_stage" not in _keys(planner, answers)
    assert answers.unknown == ["career_stage"]


def test_the_score_counts_the_outcomes_each_answer_would_settle(bundled, python_advisor):
    """Checked against the full advice: for each career stage, the recommendations it turns from undecided to decided."""
    base = {"schema_version": 1, "as_of": "2024-06-01", "collaborations": [], "goals": ["long_term_research"]}
    before = {a.id for a in python_advisor.evaluate(Profile.model_validate(base)).results if a.verdict == "undecided"}
    stages = bundled.rulebase.fields["career_stage"].values
    settled = 0
    for stage in stages:
        result = python_advisor.evaluate(Profile.model_validate({**base, "career_stage": stage}))
        settled += sum(1 for a in result.results if a.id in before and a.verdict != "undecided")
    (candidate,) = [c for c in bundled.candidates(Answers(data=dict(base))) if c.step.key == "career_stage"]
    assert candidate.score == pytest.approx(settled / len(stages))


def test_partnerships_are_asked_as_a_group_and_only_while_they_matter(planner):
    answers = _answers(career_stage="senior_researcher", permanent_position=True, in_cnrs_unit=True, country="FR",
                       goals=["build_network"])
    answers.apply(Step(planner.questions.group), True)
    assert answers.partners() == [{}]
    assert planner.next_step(answers).key == "partner_country[0]"  # `always`: it names the partner
    answers.apply(Step(planner.questions.by_id["partner_country"], 0), "IT")
    answers.apply(Step(planner.questions.by_id["partner_stage"], 0), "none")
    # nothing is identified yet: every instrument given per partnership is settled for this one
    assert planner.next_step(answers).key == "partners.another[0]"
    answers.apply(Step(planner.questions.group, 0, True), False)
    assert answers.partners_done and not any("[" in key for key in _keys(planner, answers))


def test_progress_is_shown_as_about_and_never_below_the_question_number(planner):
    step, could_matter = planner.plan(_answers())
    assert step.key == "name" and could_matter > 10
    assert planner.about(1, could_matter) < could_matter
    assert planner.about(12, 1) == 12


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_careers_get_the_same_advice_with_fewer_questions(bundled, python_advisor, path):
    (loaded,) = load_profiles(path)
    answers, interviewer = replay(bundled, dump_profile(loaded.profile))
    _same_verdicts(python_advisor, loaded.profile, Profile.model_validate(answers.data))
    assert len(interviewer.asked) <= every_question(bundled.questions, bundled.rulebase, loaded.profile, TODAY)


def test_generated_profiles_get_the_same_advice_with_fewer_questions(bundled, python_advisor):
    asked = everything = 0
    for data in synthetic_profiles(60, seed=11):
        profile = Profile.model_validate(data)
        answers, interviewer = replay(bundled, data)
        _same_verdicts(python_advisor, profile, Profile.model_validate(answers.data))
        asked += len(interviewer.asked)
        everything += every_question(bundled.questions, bundled.rulebase, profile, TODAY)
    assert asked < everything


def _same_verdicts(advisor, full: Profile, answered: Profile) -> None:
    """Skipped questions never change a verdict, for the profile nor for any partnership."""
    def verdicts(profile):
        return {a.id: a.verdict for a in advisor.evaluate(profile, today=TODAY).results}
    assert verdicts(answered) == verdicts(full)


def test_while_partners_are_described_other_questions_still_count(planner):
    answers = _answers(career_stage="senior_researcher", permanent_position=True, country="FR", goals=["consolidate"],
                       collaborations=[{"partner_country": "IT", "stage": "joint_results"}])
    keys = _keys(planner, answers)
    assert keys[0].endswith("[0]") or keys[0] == "partners.another[0]"  # the partnership comes first
    assert "in_cnrs_unit" in keys  # but what else matters is still listed (and counted in the progress)
