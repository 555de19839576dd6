"""What-if: change some answers, evaluate again, and see which verdicts change and why.

Assignments read `FIELD=VALUE` for a profile field or `collaborations[I].FIELD=VALUE`
for a partnership (I equal to the number of partnerships adds one). Values are
checked by the profile model itself, so the errors are the profile file's own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from advisor.advice.compare import verdict_changes, why
from advisor.contract.fields import input_fields
from advisor.contract.profile import Profile
from advisor.contract.result import ExplainedResult
from advisor.errors import InputError, Problem
from advisor.io.documents import Document
from advisor.io.profiles import dump_profile, profiles_from_document

TARGET = re.compile(r"^(?:collaborations\[(?P<index>\d{1,3})\]\.)?(?P<field>[A-Za-z_][A-Za-z0-9_]*)$")
LIST_FIELDS = {"goals", "collaborations"}
ORIGIN = "--set"


@dataclass(frozen=True)
class Assignment:
    """One change of answer; `value` None means "unknown" (the answer is removed)."""

    field: str
    index: int | None
    value: str | None

    @property
    def target(self) -> str:
        return self.field if self.index is None else f"collaborations[{self.index}].{self.field}"

    def __str__(self) -> str:
        return f"unset {self.target}" if self.value is None else f"{self.target}={self.value}"


def parse_assignment(text: str) -> Assignment:
    """`FIELD=VALUE` as typed after --set."""
    target, sep, value = text.partition("=")
    if not sep:
        raise InputError(Problem(ORIGIN, f"'{text}' is not FIELD=VALUE", field=text,
                                 fix="write e.g. --set permanent_position=true or --set collaborations[0].stage=funded"))
    return make_assignment(target.strip(), value.strip())


def parse_unset(text: str) -> Assignment:
    """A field named after --unset: its answer becomes unknown."""
    return make_assignment(text.strip(), None)


def make_assignment(target: str, value: str | None) -> Assignment:
    match = TARGET.fullmatch(target)
    if not match:
        raise InputError(Problem(ORIGIN, f"'{target}' is not a field", field=target,
                                 fix="name a profile field (e.g. career_stage) or a partnership field "
                                     "(e.g. collaborations[0].stage)"))
    index = match["index"]
    field = match["field"]
    if value == "" and field not in LIST_FIELDS:
        raise InputError(Problem(ORIGIN, f"'{target}=' has no value", field=target,
                                 fix=f"give a value, or use --unset {target} to make the answer unknown"))
    return Assignment(field, int(index) if index is not None else None, value)


def _parsed_value(assignment: Assignment) -> Any:
    if assignment.value is not None and assignment.index is None and assignment.field in LIST_FIELDS:
        items = [v.strip() for v in assignment.value.split(",") if v.strip()]
        if assignment.field == "collaborations" and items:
            raise InputError(Problem(ORIGIN, "partnerships are changed field by field", field=str(assignment),
                                     fix="write collaborations= for none, or collaborations[0].stage=funded"))
        return items
    return assignment.value


def apply(profile: Profile, assignments: list[Assignment]) -> Profile:
    """The profile with the assignments applied, validated like a profile file."""
    data = dump_profile(profile)
    for assignment in assignments:
        value = _parsed_value(assignment)
        if assignment.index is None:
            _put(data, assignment.field, value)
            continue
        collaborations = data.setdefault("collaborations", [])
        if assignment.index > len(collaborations):
            known = (f"partnerships are numbered from 0 to {len(collaborations) - 1}" if collaborations
                     else "no partnership is declared yet")
            raise InputError(Problem(ORIGIN, f"there is no partnership {assignment.index}", field=str(assignment),
                                     fix=f"{known}; collaborations[{len(collaborations)}] adds one"))
        if assignment.index == len(collaborations):
            collaborations.append({})
        _put(collaborations[assignment.index], assignment.field, value)
    return profiles_from_document(Document(ORIGIN, data))[0].profile


def _put(data: dict[str, Any], field: str, value: Any) -> None:
    if value is None:
        data.pop(field, None)
    else:
        data[field] = value


def choices(field: str) -> tuple[str, ...]:
    """The allowed values of a field (empty for free text and numbers), for prompts and help."""
    spec = input_fields().get(field) or input_fields().get("collaboration." + field)
    if spec is None:
        return ()
    return ("true", "false") if spec.type == "bool" else spec.values


def scenario_record(assignments: list[Assignment], before: ExplainedResult, after: ExplainedResult, revision: int,
                    profile: Profile) -> dict[str, Any]:
    """What a saved scenario keeps: the changes, the verdicts they changed, and the what-if answers."""
    return {"revision": revision, "as_of": after.as_of.isoformat(),
            "rulebase": after.rulebase.model_dump(), "changes": [str(a) for a in assignments],
            "verdict_changes": [{"id": c.id, "title": c.title, "before": c.before.verdict, "after": c.after.verdict,
                                 "why": why(c.after)} for c in verdict_changes(before, after)],
            "profile": dump_profile(profile)}
