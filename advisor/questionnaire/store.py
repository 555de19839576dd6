"""The answers file of `advisor ask`: a profile of the contract, written after every answer.

The file is a valid profile (`advisor evaluate` reads it as it is); the
questionnaire's bookkeeping lives in its reserved `questionnaire:` section
(see `bookkeeping`), which evaluation ignores. Every save replaces the file
atomically, and a new file is readable by its owner only (answers are
personal data): see `advisor.io.private.write_private`.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from advisor.errors import InputError, Problem, display_path
from advisor.io.documents import parse_yaml, read_text
from advisor.io.private import write_private
from advisor.io.profiles import dump_profile, profiles_from_document
from advisor.questionnaire.bookkeeping import (
    SECTION,
    answers_from_profile,
    answers_to_profile,
)
from advisor.questionnaire.questions import QuestionSet
from advisor.questionnaire.state import Answers

HEADER = ("# Answers of `advisor ask`: a profile (schema_version 1) that `advisor evaluate` reads as it is.\n"
          "# Continue with: advisor ask --resume {name}\n"
          "# The `questionnaire:` section is the questionnaire's own bookkeeping; evaluation ignores it.\n")


def render(answers: Answers, name: str, rulebase_version: str | None) -> str:
    """The answers file's text."""
    data = dump_profile(answers_to_profile(answers, rulebase_version))
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)
    return HEADER.format(name=name) + body


class AnswersFile:
    """Where a questionnaire's answers are kept."""

    def __init__(self, path: str | Path, rulebase_version: str | None = None):
        self.path = Path(path)
        self.rulebase_version = rulebase_version

    @property
    def lock(self) -> Path:
        """Held while a questionnaire edits this file (see `advisor.io.private.in_use`)."""
        return self.path.with_name(f".{self.path.name}.lock")

    def save(self, answers: Answers) -> None:
        write_private(self.path, render(answers, display_path(self.path), self.rulebase_version))

    def load(self, questions: QuestionSet) -> tuple[Answers, list[str]]:
        """The answers and bookkeeping of an answers file, and notices about what could not be kept."""
        text = read_text(self.path)
        doc = parse_yaml(text, str(self.path))
        if isinstance(doc.data, list):
            raise InputError(Problem(doc.path, "holds a list of profiles", 1, 1,
                                     fix="resume from an answers file written by `advisor ask` (one profile)"))
        (loaded,) = profiles_from_document(doc, text)
        data = dump_profile(loaded.profile)
        if SECTION not in data:
            raise InputError(Problem(doc.path, "is a profile, not an answers file (it has no `questionnaire:` section)",
                                     1, 1, fix=f"pre-fill from it instead: advisor ask --answers {doc.path}"))
        return answers_from_profile(data, questions, self.rulebase_version, doc)
