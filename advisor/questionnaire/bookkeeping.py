"""Answers to and from a profile: the questionnaire's bookkeeping in the profile's `questionnaire:` section.

A questionnaire's answers are a profile of the contract; how they were given
(the questions answered in order, the "I don't know" answers, the answers
reopened by going back, where to resume) lives in the profile's reserved
`questionnaire:` section, which evaluation ignores. These two functions own
no file: the answers file of `advisor ask` (`store`) and adviser sessions
(`advisor session ask`) keep the profile where they keep profiles.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from advisor.contract.profile import Profile
from advisor.errors import InputError, Problem
from advisor.io.documents import Document
from advisor.questionnaire.questions import GROUP_FIELD, QuestionSet
from advisor.questionnaire.state import Answers, step_of

FORMAT = 1
SECTION = "questionnaire"


class Bookkeeping(BaseModel):
    """The `questionnaire:` section of a profile."""

    model_config = ConfigDict(extra="forbid")

    format: int = Field(FORMAT, description="version of this section")
    rulebase: str | None = Field(None, description="the rulebase version the questions came from")
    asked: list[str] = Field(default_factory=list, description="questions answered, in order (for going back)")
    unknown: list[str] = Field(default_factory=list, description="answers given as 'I don't know'")
    reopened: list[str] = Field(default_factory=list, description="answers reopened by going back, to confirm")
    partners_done: bool = Field(False, description="'describe another partner?' was answered no")
    resume_at: str | None = Field(None, description="the question to ask first when resuming")
    skipped: dict[str, str] = Field(default_factory=dict, description="questions not asked, and why")
    finished: bool = False
    saved_at: str | None = None


def answers_to_profile(answers: Answers, rulebase_version: str | None) -> Profile:
    """The answers as a profile, with the bookkeeping in its `questionnaire:` section (stamped now)."""
    book = Bookkeeping(rulebase=rulebase_version, asked=answers.history, unknown=answers.unknown,
                       reopened=answers.reopened, partners_done=answers.partners_done, resume_at=answers.resume_at,
                       skipped=answers.skipped, finished=answers.finished,
                       saved_at=dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat())
    data = {key: value for key, value in answers.data.items() if key != SECTION}
    return Profile.model_validate({**data, SECTION: book.model_dump(exclude_defaults=True)})


def answers_from_profile(data: dict[str, Any], questions: QuestionSet, rulebase_version: str | None = None,
                         doc: Document | None = None) -> tuple[Answers, list[str]]:
    """The answers and bookkeeping of a dumped profile, and notices about what could not be kept.

    A profile without a `questionnaire:` section starts a questionnaire pre-filled with its answers (a
    profile that lists partnerships lists them all; more can be added at the review). A damaged
    section is an InputError naming `doc`, the profile's parsed file, and its lines.
    """
    data = dict(data)
    section = data.pop(SECTION, None)
    if section is None:
        return Answers(data=data, partners_done=bool(data.get(GROUP_FIELD))), []
    try:
        book = Bookkeeping.model_validate(section)
    except ValidationError as error:
        doc = doc or Document("the profile", data)
        raise InputError([_problem(err, doc) for err in error.errors()]) from None
    notices = []
    history = []
    for key in book.asked:
        if step_of(key, questions) is None:
            notices.append(f"the question '{key}' is no longer in the questionnaire; its answer is kept")
        else:
            history.append(key)
    if book.rulebase and rulebase_version and book.rulebase != rulebase_version:
        notices.insert(0, f"the answers were given with rulebase {book.rulebase}; it is now "
                          f"{rulebase_version}, so some questions may differ")
    resume_at = book.resume_at if book.resume_at and step_of(book.resume_at, questions) else None
    answers = Answers(data=data, history=history, unknown=list(book.unknown), reopened=list(book.reopened),
                      partners_done=book.partners_done, resume_at=resume_at, skipped=dict(book.skipped),
                      finished=book.finished)
    return answers, notices


def _problem(error: dict[str, Any], doc: Document) -> Problem:
    at = (SECTION, *error["loc"])
    line, column = doc.where(at)
    fix = "remove it" if error["type"] == "extra_forbidden" else (
        "repair the value (the questionnaire writes this section), or remove the whole `questionnaire:` "
        "section: the answers are kept and the questionnaire starts again")
    return Problem(doc.path, error["msg"], line, column, ".".join(map(str, at)), fix)
