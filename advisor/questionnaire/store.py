"""The answers file: a profile of the contract, written atomically after every answer.

The file is a valid profile (`advisor evaluate` reads it as it is); the
questionnaire's bookkeeping lives in its reserved `questionnaire:` section,
which evaluation ignores. Each save writes a temporary file in the same
folder, flushes it to disk and renames it over the answers file, so a crash
or a killed process leaves either the previous file or the new one, never a
half-written one.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import InputError, Problem, display_path
from ..profiles_io import dump_profile, profiles_from_document
from ..profile import Profile
from ..yamlio import parse_yaml, read_text
from .questions import QuestionSet
from .state import Answers, step_of

FORMAT = 1
HEADER = ("# Answers of `advisor ask`: a profile (schema_version 1) that `advisor evaluate` reads as it is.\n"
          "# Continue with: advisor ask --resume {name}\n"
          "# The `questionnaire:` section is the questionnaire's own bookkeeping; evaluation ignores it.\n")


class Bookkeeping(BaseModel):
    """The `questionnaire:` section of an answers file."""

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


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` so that a crash leaves the old or the new file, never a mixture."""
    temporary = path.with_name(f".{path.name}.tmp")
    mode = path.stat().st_mode & 0o777 if path.exists() else None
    try:
        with open(temporary, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    try:  # make the rename itself durable
        directory = os.open(path.parent, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory handles
        return
    try:
        os.fsync(directory)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(directory)


def render(answers: Answers, name: str, rulebase_version: str | None) -> str:
    """The answers file's text."""
    data = dump_profile(Profile.model_validate(answers.data))
    data.pop("questionnaire", None)
    book = Bookkeeping(rulebase=rulebase_version, asked=answers.history, unknown=answers.unknown,
                       reopened=answers.reopened, partners_done=answers.partners_done, resume_at=answers.resume_at,
                       skipped=answers.skipped, finished=answers.finished,
                       saved_at=dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat())
    data["questionnaire"] = book.model_dump(exclude_defaults=True)
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)
    return HEADER.format(name=name) + body


class AnswersFile:
    """Where a questionnaire's answers are kept."""

    def __init__(self, path: str | Path, rulebase_version: str | None = None):
        self.path = Path(path)
        self.rulebase_version = rulebase_version

    def save(self, answers: Answers) -> None:
        write_atomic(self.path, render(answers, display_path(self.path), self.rulebase_version))

    def load(self, questions: QuestionSet) -> tuple[Answers, list[str]]:
        """The answers and bookkeeping of an answers file, and notices about what could not be kept."""
        text = read_text(self.path)
        doc = parse_yaml(text, str(self.path))
        if isinstance(doc.data, list):
            raise InputError(Problem(doc.path, "holds a list of profiles", 1, 1,
                                     fix="resume from an answers file written by `advisor ask` (one profile)"))
        (loaded,) = profiles_from_document(doc, text)
        data = dump_profile(loaded.profile)
        section = data.pop("questionnaire", None)
        if section is None:
            raise InputError(Problem(doc.path, "is a profile, not an answers file (it has no `questionnaire:` section)",
                                     1, 1, fix=f"pre-fill from it instead: advisor ask --answers {doc.path}"))
        try:
            book = Bookkeeping.model_validate(section)
        except ValidationError as error:
            problems = []
            for err in error.errors():
                line, col = doc.where(("questionnaire",) + tuple(err["loc"]))
                name = "questionnaire." + ".".join(str(p) for p in err["loc"])
                problems.append(Problem(doc.path, err["msg"], line, col, name,
                                        "remove it" if err["type"] == "extra_forbidden" else None))
            raise InputError(problems) from None
        answers, notices = _answers(data, book, questions)
        if book.rulebase and self.rulebase_version and book.rulebase != self.rulebase_version:
            notices.insert(0, f"the answers were given with rulebase {book.rulebase}; it is now "
                              f"{self.rulebase_version}, so some questions may differ")
        return answers, notices


def _answers(data: dict[str, Any], book: Bookkeeping, questions: QuestionSet) -> tuple[Answers, list[str]]:
    notices = []
    history = []
    for key in book.asked:
        if step_of(key, questions) is None:
            notices.append(f"the question '{key}' is no longer in the questionnaire; its answer is kept")
        else:
            history.append(key)
    resume_at = book.resume_at if book.resume_at and step_of(book.resume_at, questions) else None
    answers = Answers(data=data, history=history, unknown=list(book.unknown), reopened=list(book.reopened),
                      partners_done=book.partners_done, resume_at=resume_at, skipped=dict(book.skipped),
                      finished=book.finished)
    return answers, notices
