"""Answer the questionnaire from a complete profile: what `advisor ask` would ask that person.

Used by the benchmark (questions asked against asking every question) and by
the tests (skipping questions never changes the advice).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from advisor.contract.profile import Profile
from advisor.engines.subjects import subjects_of
from advisor.questionnaire.flow import Prompt, ReviewItem, Session
from advisor.questionnaire.planner import Planner
from advisor.questionnaire.questions import GROUP_FIELD, Question, QuestionSet
from advisor.questionnaire.state import DONE, UNKNOWN, Answers
from advisor.rulebase.loader import Rulebase
from advisor.rulebase.logic import Truth, truth_of


@dataclass
class ProfileInterviewer:
    """Answers every prompt from a profile; answers the profile lacks are "I don't know"."""

    profile: dict[str, Any]
    asked: list[str] = field(default_factory=list)

    def ask(self, prompt: Prompt) -> Any:
        step = prompt.step
        self.asked.append(step.key)
        partners = self.profile.get(GROUP_FIELD)
        if step.another:
            return len(partners) > step.partner + 1
        if step.question.field == GROUP_FIELD:
            return UNKNOWN if partners is None else bool(partners)
        source = self.profile if step.partner is None else partners[step.partner]
        value = source.get(step.question.attribute)
        return UNKNOWN if value is None else value

    def review(self, items: list[ReviewItem], can_go_back: bool, can_add_partner: bool) -> Any:
        return DONE

    def say(self, text: str) -> None:
        pass


def _applies(question: Question, values: dict[str, Any]) -> bool:
    return question.when is None or truth_of(question.when, values) is not Truth.FALSE


def every_question(questions: QuestionSet, rulebase: Rulebase, profile: Profile, today: dt.date) -> int:
    """How many prompts a questionnaire that asks everything (where `when` allows) would show."""
    subjects = subjects_of(profile, profile.as_of or today, rulebase)
    count = sum(_applies(q, subjects[0].values) for q in questions.profile_questions)
    if questions.group is not None:
        count += 1
        for subject in subjects[1:] if profile.collaborations else []:
            count += 1 + sum(_applies(q, subject.values) for q in questions.partner_questions)  # + "another?"
    return count


def replay(planner: Planner, profile: dict[str, Any]) -> tuple[Answers, ProfileInterviewer]:
    """Run the questionnaire for a person whose answers are `profile` (a plain dict of the contract)."""
    start = {key: profile[key] for key in ("schema_version", "as_of") if key in profile}
    interviewer = ProfileInterviewer(profile)
    answers = Session(planner, Answers(data=start), interviewer).run()
    return answers, interviewer
