"""A questionnaire: the next question, going back, the review, saving after every answer.

`Questionnaire` holds the moves, and keeps where it stands in the answers, so
a web page can make one move per request. `Session` drives it with an
`Interviewer` (the terminal prompts, or a replay of a profile), which answers
each `Prompt` with a value, UNKNOWN or BACK, and the review with DONE, BACK,
ADD_PARTNER or the step to change.
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


FIRST_QUESTION = "This is the first question: there is nothing to go back to."


def partner_name(answers: Answers, index: int) -> str:
    partners = answers.partners() or []
    country = partners[index].get("partner_country") if index < len(partners) else None
    return f"partner {index + 1}" + (f" ({named(country)})" if country else "")


class Questionnaire:
    """One questionnaire's moves, for any front end: what to ask now, an answer, back, the review.

    Where it stands lives in the answers themselves (`resume_at` names a reopened step), so a front end
    that keeps only the answers between two requests (the web pages) moves exactly as the terminal does.
    """

    def __init__(self, planner: Planner, answers: Answers, save: Callable[[Answers], None] = lambda answers: None):
        self.planner = planner
        self.answers = answers
        self.save = save

    def current(self) -> Prompt | None:
        """The step to ask now, or None when every answer that matters is given (the review)."""
        answers = self.answers
        step = step_of(answers.resume_at, self.planner.questions) if answers.resume_at else None
        remaining = None
        if step is None:
            step, remaining = self.planner.plan(answers)
        return None if step is None else self._prompt(step, remaining)

    def answer(self, step: Step, reply: Any) -> None:
        """Record a value or UNKNOWN for `step`, and save."""
        self.answers.apply(step, reply)
        self.answers.finished = False
        self.save(self.answers)

    def back(self) -> Step | None:
        """Reopen the last answered step; None when there is none (this is the first question)."""
        while self.answers.history:
            step = step_of(self.answers.history.pop(), self.planner.questions)
            if step is not None:
                self.answers.reopen(step)
                self.save(self.answers)
                return step
        return None

    def change(self, step: Step) -> None:
        """Reopen an answer picked at the review."""
        self.answers.reopen(step)
        self.save(self.answers)

    def add_partner(self) -> None:
        """At the review: describe one more partnership."""
        last = len(self.answers.partners()) - 1
        self.answers.apply(Step(self.planner.questions.group, last, True), True)
        self.save(self.answers)

    def finish(self) -> Answers:
        """The review is confirmed: note why the other questions were not asked, and save."""
        self.answers.finished = True
        self.answers.skipped = self.planner.why_not_asked(self.answers)
        self.save(self.answers)
        return self.answers

    def _prompt(self, step: Step, remaining: int | None) -> Prompt:
        number = len(self.answers.history) + 1
        if remaining is None:
            remaining = self.planner.plan(self.answers)[1]
        partner = partner_name(self.answers, step.partner) if step.partner is not None and not step.another else None
        as_of = self.answers.data.get("as_of")
        year = int(str(as_of)[:4]) if as_of else self.planner.today.year
        return Prompt(step, number, self.planner.about(number, remaining), self.answers.value(step), year, partner,
                      not self.answers.history)

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


class Session:
    """Runs a questionnaire with an interviewer (the terminal, a replay) until the person confirms the review."""

    def __init__(self, planner: Planner, answers: Answers, interviewer: Interviewer,
                 save: Callable[[Answers], None] = lambda answers: None):
        self.questionnaire = Questionnaire(planner, answers, save)
        self.interviewer = interviewer
        self.asked = 0  # prompts shown in this session

    def run(self) -> Answers:
        moves = self.questionnaire
        moves.answers.finished = False
        while True:
            prompt = moves.current()
            if prompt is None:
                choice = self.interviewer.review(moves.review_items(), bool(moves.answers.history),
                                                 bool(moves.answers.partners()))
                if choice is DONE:
                    return moves.finish()
                if choice is BACK:
                    self._back()
                elif choice is ADD_PARTNER:
                    moves.add_partner()
                else:
                    moves.change(choice)
                continue
            reply = self.interviewer.ask(prompt)
            self.asked += 1
            if reply is BACK:
                self._back()
                continue
            moves.answer(prompt.step, reply)

    def _back(self) -> None:
        if self.questionnaire.back() is None:
            self.interviewer.say(FIRST_QUESTION)
