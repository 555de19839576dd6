"""What the checks read of `questions.yaml`: each question's place, id and field, and the file's shape problems.

The questionnaire owns the rest of the file (see `advisor.questionnaire.questions`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from advisor.errors import InputError, Problem
from advisor.io.documents import Document, load_yaml_file


@dataclass
class Questions:
    """What this module reads of questions.yaml: (index, id, field) per question, and the shape's problems."""

    doc: Document | None
    items: list[tuple[int, object, object]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    listed: bool = True  # whether the file holds `questions:`, a list (else nothing more is checked in it)


def read_questions(path: Path) -> Questions:
    try:
        doc = load_yaml_file(path)
    except InputError as error:
        return Questions(None, problems=[p if p.code else replace(p, code="unreadable") for p in error.problems],
                         listed=False)
    items = doc.data.get("questions") if isinstance(doc.data, dict) else None
    if not isinstance(items, list):
        return Questions(doc, problems=[Problem(doc.path, "questions.yaml holds `questions:`, a list", 1, 1, None,
                                                "write questions: [{id: ..., field: ...}, ...]")], listed=False)
    result = Questions(doc)
    for i, item in enumerate(items):
        if isinstance(item, dict) and "id" in item:
            result.items.append((i, item["id"], item.get("field")))
        else:
            line, column = doc.where(("questions", i))
            result.problems.append(Problem(doc.path, "a question is a mapping with at least an `id`", line, column,
                                           f"questions[{i}]", "write {id: ..., field: ..., ...}"))
    return result
