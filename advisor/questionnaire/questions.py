"""Questions as data: `questions.yaml` beside the rules, each question bound to one profile field.

Questions are checked against the profile contract and the rulebase when they
are loaded: the field exists, the question type suits it, every stored value
of a choice question is offered (and no other), `when` is a valid condition.
Every problem names the file, the line and a fix.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from advisor.contract.countries import country_code
from advisor.contract.fields import COLLAB
from advisor.contract.profile import Collaboration, Profile
from advisor.contract.words import named
from advisor.errors import TYPE_FIXES, InputError, Problem, did_you_mean, display_path
from advisor.io.documents import Document, load_yaml_file
from advisor.rulebase.conditions import Condition
from advisor.rulebase.loader import Rulebase, parse_condition

QUESTIONS_FILE = "questions.yaml"
GROUP_FIELD = "collaborations"
# The field types each question type can ask for (see advisor.contract.fields).
TYPES = {
    "single": "enum", "multiple": "enum_list", "yes_no": "bool", "number": "int", "year": "int",
    "date": "date", "country": "text", "text": "text", "group": "group",
}
YES_NO = {True: "Yes", False: "No"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class ChoiceSpec(_Strict):
    value: str | bool = Field(description="the stored value (the profile contract); never translated")
    label: str = Field(description="what the person reads; may be reworded or translated")


class Limits(_Strict):
    min: int | None = None
    max: int | None = Field(None, description="for year questions, absent means the year of the advice")


class QuestionSpec(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    field: str = Field(description="a profile field, collaboration.X inside the group, or collaborations for the group")
    type: Literal["single", "multiple", "yes_no", "number", "year", "date", "country", "text", "group"]
    prompt: str = Field(min_length=1)
    help: str | None = None
    choices: list[ChoiceSpec] = Field(default_factory=list)
    limits: Limits | None = Field(None, alias="validate")
    when: dict[str, Any] | None = Field(None, description="ask only where this condition can hold")
    always: bool = Field(False, description="ask even when no rule needs the answer (fields the report shows)")
    add_another: str | None = Field(None, description="group only: the prompt that repeats the group")


class QuestionsFile(_Strict):
    version: Literal[1] = 1
    questions: list[QuestionSpec] = Field(min_length=1)


@dataclass(frozen=True, eq=False)
class Question:
    """A loaded question: its specification, its parsed `when` and its position in the file."""

    spec: QuestionSpec
    when: Condition | None
    order: int
    label: str  # a short name of the field, for reviews and summaries

    id = property(lambda self: self.spec.id)
    field = property(lambda self: self.spec.field)
    type = property(lambda self: self.spec.type)

    @property
    def per_partner(self) -> bool:
        return self.spec.field.startswith(COLLAB)

    @property
    def attribute(self) -> str:
        """The key the answer has in the profile (or in one partnership)."""
        return self.spec.field.removeprefix(COLLAB)

    def choices(self) -> list[tuple[Any, str]]:
        """(stored value, label) of each choice; yes/no questions default to Yes and No."""
        if self.spec.choices:
            return [(c.value, c.label) for c in self.spec.choices]
        if self.type in ("yes_no", "group"):
            return list(YES_NO.items())
        return []

    def shown(self, value: Any) -> str:
        """An answer as the person reads it (labels for stored values)."""
        labels = dict(self.choices())
        if isinstance(value, list):
            return ", ".join(labels.get(v, str(v)) for v in value) or "none"
        if self.type == "group":
            return "yes" if value else "none"
        if self.type == "country" and isinstance(value, str):
            return named(value)
        return labels.get(value, str(value))

    def limits(self, year: int) -> tuple[int | None, int | None]:
        """The smallest and largest number accepted; a year is at most the year of the advice by default."""
        limits = self.spec.limits or Limits()
        high = limits.max if limits.max is not None or self.type != "year" else year
        return limits.min, high

    def check(self, value: Any, year: int) -> str | None:
        """Why `value` is not an acceptable answer (the question's limits, then the profile contract), or None."""
        if isinstance(value, int) and not isinstance(value, bool):
            low, high = self.limits(year)
            if low is not None and value < low:
                return f"must be at least {low}"
            if high is not None and value > high:
                return f"must be at most {high}"
        model = Collaboration if self.per_partner else Profile
        try:
            model.model_validate({self.attribute: value})
        except ValidationError as error:
            message = error.errors()[0]["msg"].removeprefix("Value error, ")
            return message[0].lower() + message[1:]
        return None

    def read(self, text: str, year: int) -> Any:
        """A typed answer as the value stored (a number, a date, a country code), checked against the question's
        limits and the profile contract; ValueError says what to type instead."""
        text = text.strip()
        if self.type in ("number", "year"):
            try:
                value: Any = int(text)
            except ValueError:
                raise ValueError("write a whole number, e.g. 2015" if self.type == "year"
                                 else "write a whole number, e.g. 3") from None
        elif self.type == "date":
            try:
                value = dt.date.fromisoformat(text)
            except ValueError:
                raise ValueError("write a date as YYYY-MM-DD, e.g. 2024-06-01") from None
        elif self.type == "country":
            try:
                value = country_code(text)
            except ValueError as error:
                raise ValueError(f"“{text}” {error}") from None
        else:
            value = text
        problem = self.check(value, year)
        if problem:
            raise ValueError(problem)
        return value


@dataclass
class QuestionSet:
    """The questions of a rulebase, in file order."""

    questions: list[Question]
    path: str
    by_id: dict[str, Question] = field(init=False)

    def __post_init__(self) -> None:
        self.by_id = {q.id: q for q in self.questions}

    @cached_property
    def group(self) -> Question | None:
        return next((q for q in self.questions if q.type == "group"), None)

    @cached_property
    def profile_questions(self) -> list[Question]:
        return [q for q in self.questions if not q.per_partner and q.type != "group"]

    @cached_property
    def partner_questions(self) -> list[Question]:
        return [q for q in self.questions if q.per_partner]


def _name(loc: tuple) -> str:
    """A path inside the file as people write it: questions[0].choices[2].value."""
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")


def _check(spec: QuestionSpec, doc: Document, at: tuple, rulebase: Rulebase, problems: list[Problem]) -> None:
    def add(where: tuple, message: str, fix: str | None = None) -> None:
        line, col = doc.where(at + where)
        problems.append(Problem(doc.path, message, line, col, _name(at + where), fix))

    if spec.type == "group":
        if spec.field != GROUP_FIELD:
            add(("field",), "a group question asks for the partnerships", f"use field: {GROUP_FIELD}")
        if not spec.add_another:
            add(("type",), "a group question needs `add_another`", "e.g. add_another: Describe another partner?")
        return
    if spec.add_another:
        add(("add_another",), "only a group question repeats", "remove add_another")
    fields = rulebase.fields
    target = fields.get(spec.field)
    if target is None or target.origin != "input":
        inputs = [n for n, s in fields.items() if s.origin == "input"] + [GROUP_FIELD]
        guess = did_you_mean(spec.field, inputs)
        add(("field",), f"'{spec.field}' is not a profile field a person can answer",
            f"did you mean '{guess}'?" if guess else "see `advisor schema profile` for the fields")
        return
    if TYPES[spec.type] != target.type:
        suited = [t for t, kind in TYPES.items() if kind == target.type]
        add(("type",), f"a {spec.type} question cannot answer {spec.field} ({target.type})",
            f"use type: {' or '.join(suited)}" if suited else None)
        return
    if target.type in ("enum", "enum_list"):
        values = [c.value for c in spec.choices]
        for i, value in enumerate(values):
            if value not in target.values:
                guess = did_you_mean(str(value), target.values)
                add(("choices", i, "value"), f"'{value}' is not a value of {spec.field}",
                    f"did you mean '{guess}'?" if guess else f"allowed: {', '.join(target.values)}")
        missing = [v for v in target.values if v not in values]
        if missing:
            add(("choices",), f"no choice for {', '.join(missing)}", "offer every value of the field")
    elif target.type == "bool" and spec.choices and sorted(c.value for c in spec.choices) != [False, True]:
        add(("choices",), "a yes/no question's choices are the values true and false", "label true and false")
    elif spec.choices:
        add(("choices",), f"a {spec.type} question has no choices", "remove choices")


_KEYS_UNDER = {"questions": QuestionSpec, "choices": ChoiceSpec, "validate": Limits}  # a list or mapping -> its items


def _unknown_key_fix(loc: tuple) -> str:
    """The key meant, guessed among those of the mapping that holds the unknown one."""
    names = [name for name in loc[:-1] if isinstance(name, str)]
    model = _KEYS_UNDER.get(names[-1], QuestionsFile) if names else QuestionsFile
    guess = did_you_mean(str(loc[-1]), [info.alias or name for name, info in model.model_fields.items()])
    return f"did you mean '{guess}'?" if guess else "remove it, or check its spelling"


def refused_by_ask(doc: Document, rulebase: Rulebase) -> list[Problem]:
    """Every problem for which `advisor ask` would refuse this questions.yaml (none when it loads)."""
    try:
        _parse(doc, rulebase)
    except InputError as error:
        return error.problems
    return []


def _shape_problems(doc: Document) -> list[Problem]:
    """What is wrong with the shape of questions.yaml: unknown keys, missing prompts, a misspelt type..."""
    try:
        QuestionsFile.model_validate(doc.data)
    except ValidationError as error:
        problems = []
        for err in error.errors():
            loc = tuple(err["loc"])
            line, col = doc.where(loc)
            message = {"extra_forbidden": "unknown key", "missing": "is required"}.get(err["type"], err["msg"])
            fix = _unknown_key_fix(loc) if err["type"] == "extra_forbidden" else \
                "add it" if err["type"] == "missing" else TYPE_FIXES.get(err["type"])
            problems.append(Problem(doc.path, message, line, col, _name(loc) or None, fix))
        return problems
    return []


def _parse(doc: Document, rulebase: Rulebase) -> QuestionSet:
    problems = _shape_problems(doc)
    if problems:
        raise InputError(problems)
    parsed = QuestionsFile.model_validate(doc.data)
    questions, seen_ids, seen_fields = [], {}, {}
    for i, spec in enumerate(parsed.questions):
        at = ("questions", i)
        for key, seen, value in (("id", seen_ids, spec.id), ("field", seen_fields, spec.field)):
            if value in seen:
                line, col = doc.where(at + (key,))
                problems.append(Problem(doc.path, f"{key} '{value}' is also used by question {seen[value]}",
                                        line, col, _name(at + (key,)), "one question per field, each id once"))
            seen[value] = i + 1
        _check(spec, doc, at, rulebase, problems)
        when = None
        if spec.when is not None:
            scope = "collaboration" if spec.field.startswith(COLLAB) else "profile"
            when, found = parse_condition(doc, spec.when, at + ("when",), rulebase.fields, scope)
            problems += found
        label = rulebase.fields[spec.field].label if spec.field in rulebase.fields else spec.field
        questions.append(Question(spec, when, i, label))
    result = QuestionSet(questions, doc.path)
    if result.partner_questions and result.group is None:
        problems.append(Problem(doc.path, "partnership questions (collaboration.X) need a group question", 1, 1,
                                fix=f"add a question with type: group and field: {GROUP_FIELD}"))
    if problems:
        raise InputError(problems)
    return result


def load_questions(rulebase: Rulebase, path: str | Path | None = None) -> QuestionSet:
    """The questions of a rulebase (`questions.yaml` in its folder); InputError lists every problem."""
    path = Path(path) if path else Path(rulebase.directory) / QUESTIONS_FILE
    if not path.exists():
        raise InputError(Problem(display_path(path), "does not exist: the rulebase has no questionnaire",
                                 fix="copy questions.yaml from the bundled rulebase and adapt it"))
    doc = load_yaml_file(path)
    if not isinstance(doc.data, dict):
        raise InputError(Problem(doc.path, "must be a mapping with `questions:`", 1, 1,
                                 fix="see the bundled rules/questions.yaml"))
    return _parse(doc, rulebase)
