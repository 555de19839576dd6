"""The shape of each record a session keeps, so that a damaged one is found when read, not when shown.

A record of the wrong shape (a hand edit, a line cut short, another program's output) is
reported with its file and line and skipped; the records around it are still used. Keys
added by a later version are kept.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from advisor.errors import Problem


class Record(BaseModel):
    """What every record has: when it was written."""

    model_config = ConfigDict(extra="allow", strict=True)
    at: str


class Change(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)
    field: str
    before: Any = None
    after: Any = None


class HistoryRecord(Record):
    """A line of history.jsonl: a change of answers and the whole profile after it."""

    revision: int = Field(ge=1)
    by: str = ""
    changes: list[Change] = []
    profile: dict[str, Any]


class Note(Record):
    """A line of notes.jsonl."""

    text: str = Field(min_length=1)


class Evaluation(Record):
    """A line of evaluations.jsonl."""

    by: str = ""
    revision: int | None = None
    as_of: str
    rulebase: dict[str, Any] = {}
    engine: str = ""
    verdicts: dict[str, str] = {}
    path: list[str] = []
    warnings: list[str] = []


class Export(Record):
    """A line of exports.jsonl: a report written from the session."""

    path: str
    format: str = ""
    withheld: list[str] = []


class VerdictChange(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)
    id: str
    title: str
    before: str
    after: str
    why: list[str] = []


class ScenarioRecord(Record):
    """A file of scenarios/: a what-if kept by name."""

    name: str
    revision: int | None = None
    as_of: str = ""
    changes: list[str] = []
    verdict_changes: list[VerdictChange] = []
    profile: dict[str, Any] = {}


WHAT = {HistoryRecord: "change of answers", Note: "note", Evaluation: "evaluation", Export: "report record",
        ScenarioRecord: "what-if scenario"}


def checked(model: type[Record], data: Any, path: str, line: int | None) -> tuple[dict[str, Any] | None,
                                                                                    Problem | None]:
    """`data` itself if it is a record of `model` (strict: nothing is converted), or the problem that makes it
    unusable."""
    try:
        model.model_validate(data)
        return data, None
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(map(str, first["loc"]))
        if first["type"] == "missing":
            said = f"it has no '{where}'"
        else:
            said = f"'{where}': {first['msg'][:1].lower()}{first['msg'][1:]}" if where else first["msg"]
        return None, Problem(path, f"this {WHAT[model]} is damaged ({said}); it is skipped", line,
                             fix="repair or remove it by hand (the file was left as it is)")
