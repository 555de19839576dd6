"""A questionnaire session: the next question, going back, the review, saving after every answer.

The session does not know how questions are shown: an `Interviewer` (the
terminal prompts, or a replay of a profile) answers each `Prompt` with a
value, UNKNOWN or BACK, and the review with DONE, BACK, ADD_PARTNER or the
step to change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Protocol

from advisor.contract.words import named
from advisor.questionnaire.planner import Planner
from advisor.questionnaire.questions import GROUP_FIELD
from advisor.questionnaire.state import (
    ADD_PARTNER,
    BACK,
    DONE,
    UNKNOWN,
    Answers,
    Step,
    step_of,
)


@dataclass
class Prompt:
    """What the interviewer needs to ask one step."""

    step: Step
    number: int  # this question's position in the questionnaire
    total: int  # about how many questions there will be in all
    default: Any  # the stored answer (a value or UNKNOWN), or None
    year: int  # the year of the advice (the default upper limit of year questions)
    partner: str | None  # which partnership the question is about, e.g. "partner 1 (IT)"
    first: bool  # there is nothing to go back to


@dataclass
class ReviewItem:
    step: Step
    label: str
    shown: str


class Interviewer(Protocol):
    def ask(self, prompt: Prompt) -> Any:
        """A value, UNKNOWN or BACK."""

    def review(self, items: list[ReviewItem], can_go_back: bool, can_add_partner: bool) -> Any:
        """DONE, BACK, ADD_PARTNER, or the Step to change."""

    def say(self, text: str) -> None:
        """A notice for the person."""


def partner_name(answers: Answers, index: int) -> str:
    partners = answers.partners() or []
    country = partners[index].get("partner_country") if index < len(partners) else None
    return f"partner {index + 1}" + (f" ({named(country)})" if country else "")


class Session:
    """Runs a questionnaire until the person confirms the review."""

    def __init__(self, planner: Planner, answers: Answers, interviewer: Interviewer,
                 save: Callable[[Answers], None] = lambda answers: None):
        self.planner = planner
        self.answers = answers
        self.interviewer = interviewer
        self.save = save
        self.asked = 0  # prompts shown in this session

    def run(self) -> Answers:
        answers = self.answers
        redo = step_of(answers.resume_at, self.planner.questions) if answers.resume_at else None
        answers.finished = False
        while True:
            step, remaining = (redo, None) if redo else self.planner.plan(answers)
            redo = None
            if step is None:
                choice = self.interviewer.review(self.review_items(), bool(answers.history),
                                                 bool(answers.partners()))
                if choice is DONE:
                    break
                redo = self._back() if choice is BACK else self._review_choice(choice)
                continue
            reply = self.interviewer.ask(self._prompt(step, remaining))
            self.asked += 1
            if reply is BACK:
                redo = self._back() or step
                continue
            answers.apply(step, reply)
            self.save(answers)
        answers.finished = True
        answers.skipped = self.planner.why_not_asked(answers)
        self.save(answers)
        return answers

    def _prompt(self, step: Step, remaining: int | None) -> Prompt:
        number = len(self.answers.history) + 1
        if remaining is None:
            remaining = self.planner.plan(self.answers)[1]
        partner = partner_name(self.answers, step.partner) if step.partner is not None and not step.another else None
        as_of = self.answers.data.get("as_of")
        year = int(str(as_of)[:4]) if as_of else self.planner.today.year
        return Prompt(step, number, self.planner.about(number, remaining), self.answers.value(step), year, partner,
                      not self.answers.history)

    def _back(self) -> Step | None:
        """Reopen the last answered step; None when there is none."""
        while self.answers.history:
            step = step_of(self.answers.history.pop(), self.planner.questions)
            if step is not None:
                self.answers.reopen(step)
                self.save(self.answers)
                return step
        self.interviewer.say("This is the first question: there is nothing to go back to.")
        return None

    def _review_choice(self, choice: Any) -> Step | None:
        if choice is ADD_PARTNER:
            last = len(self.answers.partners()) - 1
            self.answers.apply(Step(self.planner.questions.group, last, True), True)
            self.save(self.answers)
            return None
        self.answers.reopen(choice)
        self.save(self.answers)
        return choice

    def review_items(self) -> list[ReviewItem]:
        """Every answer given, in the order of the questions, partnerships last."""
        questions, answers = self.planner.questions, self.answers
        steps = [Step(q) for q in questions.profile_questions]
        if questions.group is not None:
            steps.append(Step(questions.group))
            steps += [Step(q, i) for i in range(len(answers.partners() or [])) for q in questions.partner_questions]
        items = []
        for step in steps:
            if not answers.settled(step):
                continue
            value = answers.value(step)
            shown = "I don't know" if value is UNKNOWN else step.question.shown(value)
            label = step.question.label[:1].upper() + step.question.label[1:]
            if step.partner is not None:
                partner = partner_name(answers, step.partner)
                label = f"{partner[:1].upper()}{partner[1:]}: {step.question.label}"
            elif step.question.field == GROUP_FIELD:
                shown = f"{len(answers.partners())} described" if answers.partners() else shown
            items.append(ReviewItem(step, label, shown))
        return items
