"""The answers given so far, and the questionnaire's bookkeeping kept beside them.

The answers are a profile (a plain dict of the contract). The bookkeeping is
what the `questionnaire:` section of the answers file holds: the questions
answered in order (for going back and resuming), the "I don't know" answers,
the answers reopened by going back, and where to resume.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from advisor.questionnaire.questions import GROUP_FIELD, Question, QuestionSet


class Reply(Enum):
    """What a person can answer besides a value (and, at the review, besides picking an answer to change)."""

    BACK = "back"
    UNKNOWN = "unknown"
    DONE = "done"
    ADD_PARTNER = "add_partner"


BACK, UNKNOWN, DONE, ADD_PARTNER = Reply.BACK, Reply.UNKNOWN, Reply.DONE, Reply.ADD_PARTNER
_KEY = re.compile(r"^(?P<id>[a-z][a-z0-9_]*)(?P<another>\.another)?(?:\[(?P<i>\d+)\])?$")
_PARTNER_PATH = re.compile(r"^collaborations\[(\d+)\]")


@dataclass(frozen=True)
class Step:
    """One prompt: a question, for one partnership where it is asked per partnership.

    `another` is the group's "describe another partner?" after partnership `partner`.
    """

    question: Question
    partner: int | None = None
    another: bool = False

    @property
    def key(self) -> str:
        """How the step is named in the answers file: `career_stage`, `partner_stage[0]`, `partners.another[0]`."""
        if self.another:
            return f"{self.question.id}.another[{self.partner}]"
        return self.question.id if self.partner is None else f"{self.question.id}[{self.partner}]"

    @property
    def path(self) -> str:
        """Where the answer lives in the profile: `career_stage`, `collaborations[0].stage`."""
        if self.another:
            return f"{GROUP_FIELD}.another[{self.partner}]"
        if self.partner is None:
            return self.question.field
        return f"{GROUP_FIELD}[{self.partner}].{self.question.attribute}"


def step_of(key: str, questions: QuestionSet) -> Step | None:
    """The step a key names, or None when the questions no longer have it."""
    match = _KEY.match(key)
    question = questions.by_id.get(match["id"]) if match else None
    if question is None:
        return None
    index = int(match["i"]) if match["i"] is not None else None
    if match["another"]:
        return Step(question, index, True) if question.type == "group" and index is not None else None
    if question.per_partner != (index is not None):
        return None
    return Step(question, index)


@dataclass
class Answers:
    """A profile being filled in, and the bookkeeping of how it was filled."""

    data: dict[str, Any] = field(default_factory=dict)
    history: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    reopened: list[str] = field(default_factory=list)
    partners_done: bool = False
    resume_at: str | None = None
    skipped: dict[str, str] = field(default_factory=dict)
    finished: bool = False

    def partners(self) -> list[dict[str, Any]] | None:
        return self.data.get(GROUP_FIELD)

    def value(self, step: Step) -> Any:
        """The stored answer of a step (also while it is reopened), UNKNOWN, or None."""
        if step.path in self.unknown:
            return UNKNOWN
        partners = self.partners()
        if step.another:
            if partners is not None and len(partners) > step.partner + 1:
                return True
            return False if self.partners_done else None
        if step.question.type == "group":
            return None if partners is None else bool(partners)
        if step.partner is None:
            return self.data.get(step.question.field)
        if partners is None or step.partner >= len(partners):
            return None
        return partners[step.partner].get(step.question.attribute)

    def settled(self, step: Step) -> bool:
        """Answered (a value or "I don't know") and not reopened."""
        if step.path in self.reopened:
            return False
        return step.path in self.unknown or self.value(step) is not None

    def view(self) -> dict[str, Any]:
        """The profile the planner reasons on: reopened answers count as not given yet."""
        data = {k: v for k, v in self.data.items() if k not in self.reopened}
        if isinstance(data.get(GROUP_FIELD), list):
            data[GROUP_FIELD] = [{k: v for k, v in entry.items() if f"{GROUP_FIELD}[{i}].{k}" not in self.reopened}
                                 for i, entry in enumerate(data[GROUP_FIELD])]
        return data

    def apply(self, step: Step, reply: Any) -> None:
        """Record an answer (a value, or UNKNOWN) to a step."""
        self._forget(step.path)
        if step.another:
            self._another(step.partner, reply is True)
        elif step.question.type == "group":
            self._group(reply)
        elif reply is UNKNOWN:
            self._set(step, None)
            self.unknown.append(step.path)
        else:
            self._set(step, reply)
        self.history.append(step.key)
        self.resume_at = None

    def reopen(self, step: Step) -> None:
        """Going back to a step: its answer is kept as the default, to be confirmed."""
        if step.another:
            self.partners_done = False
        elif step.path not in self.reopened:
            self.reopened.append(step.path)
        self.resume_at = step.key

    def _forget(self, path: str) -> None:
        self.reopened = [p for p in self.reopened if p != path]
        self.unknown = [p for p in self.unknown if p != path]

    def _set(self, step: Step, value: Any) -> None:
        if step.partner is None:
            target, key = self.data, step.question.field
        else:
            target, key = self.data[GROUP_FIELD][step.partner], step.question.attribute
        if value is None:
            target.pop(key, None)
        else:
            target[key] = value

    def _group(self, reply: Any) -> None:
        if reply is True:
            if not self.partners():
                self.data[GROUP_FIELD] = [{}]
                self.partners_done = False
            return
        self._drop_partners_from(0)
        if reply is UNKNOWN:
            self.data.pop(GROUP_FIELD, None)
            self.unknown.append(GROUP_FIELD)
        else:
            self.data[GROUP_FIELD] = []

    def _another(self, index: int, more: bool) -> None:
        partners = self.data[GROUP_FIELD]
        if more:
            if len(partners) == index + 1:
                partners.append({})
            self.partners_done = False
        else:
            self._drop_partners_from(index + 1)
            self.partners_done = True

    def _drop_partners_from(self, first: int) -> None:
        """Remove partnerships `first` and later, with their bookkeeping."""
        partners = self.partners()
        if partners is not None:
            del partners[first:]

        def kept_path(path: str) -> bool:
            match = _PARTNER_PATH.match(path)
            return match is None or int(match[1]) < first

        def kept_step(key: str) -> bool:
            match = _KEY.match(key)
            return match is None or match["i"] is None or int(match["i"]) < first
        self.unknown = [p for p in self.unknown if kept_path(p)]
        self.reopened = [p for p in self.reopened if kept_path(p)]
        self.history = [k for k in self.history if kept_step(k)]
