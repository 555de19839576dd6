"""The condition vocabulary of the rulebase: typed data, never Python `eval`.

A condition is `all: [...]`, `any: [...]`, `not: ...` or a leaf that compares
one field with an operator: `{field: permanent_position, is: true}`.
Conditions are normalised when loaded: `not` is pushed down to the leaves
(negation normal form), so evaluators only ever see `all`, `any` and leaves.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any, Callable, Union

# operator -> (its negation, value shape)
OPERATORS: dict[str, tuple[str, str]] = {
    "is": ("is_not", "scalar"),
    "is_not": ("is", "scalar"),
    "one_of": ("none_of", "list"),
    "none_of": ("one_of", "list"),
    "at_least": ("less_than", "number"),
    "less_than": ("at_least", "number"),
    "at_most": ("more_than", "number"),
    "more_than": ("at_most", "number"),
    "includes": ("excludes", "scalar"),
    "excludes": ("includes", "scalar"),
    "includes_any": ("includes_none", "list"),
    "includes_none": ("includes_any", "list"),
    "between": ("", "range"),  # negated into any[less_than low, more_than high]
}

PLAIN = {
    "is": "is", "is_not": "is not", "one_of": "is one of", "none_of": "is none of",
    "at_least": "is at least", "less_than": "is less than", "at_most": "is at most",
    "more_than": "is more than", "includes": "includes", "excludes": "does not include",
    "includes_any": "includes one of", "includes_none": "includes none of", "between": "is between",
}


PARAMETER = "parameters."  # the prefix of a parameter's value among a subject's values


@dataclass(frozen=True)
class Param:
    """A named, dated number standing for a constant (rules/parameters.yaml): its value on the date of the
    advice is among the subject's values."""

    name: str

    @property
    def key(self) -> str:
        return PARAMETER + self.name

    def __str__(self) -> str:
        return self.name.replace("_", " ")


def resolved(value: Any, values: dict[str, Any]) -> Any:
    """A comparison's operand with its parameters replaced by their values (None where one is unknown)."""
    if isinstance(value, Param):
        return values.get(value.key)
    if isinstance(value, tuple) and any(isinstance(v, Param) for v in value):
        found = tuple(resolved(v, values) for v in value)
        return None if None in found else found
    return value


def parameters_of(value: Any) -> tuple[Param, ...]:
    items = value if isinstance(value, tuple) else (value,)
    return tuple(v for v in items if isinstance(v, Param))


@dataclass(frozen=True)
class Leaf:
    """One comparison of a field with a value."""

    field: str
    op: str
    value: Any
    says: str | None = None  # plain-language wording, for reasons
    negated: bool = False  # True when this leaf came from a `not`
    line: int | None = None
    changeable: bool | None = None  # can a person meet it by a change of theirs? None: as its field says

    def describe(self) -> str:
        if self.says:
            return f"not: {self.says}" if self.negated else self.says
        return self.formula()

    @cached_property
    def reads(self) -> tuple[str, ...]:
        """The values it compares: its field's, and its parameters'."""
        return (self.field, *(p.key for p in parameters_of(self.value)))

    @cached_property
    def has_parameters(self) -> bool:
        return len(self.reads) > 1

    def formula(self) -> str:
        """The comparison itself, e.g. 'collaboration.countries is at most 2' (what rule authors wrote)."""
        return f"{self.field} {PLAIN[self.op]} {format_value(self.value)}"

    def required(self, values: dict[str, Any] | None = None, word: Callable[[Any], str] | None = None) -> str:
        """What the condition needs, e.g. 'yes', 'at most 2', 'between 2 and 7', 'one of agency, ministry'
        (parameters by their value in `values`, else by name; each constant through `word`)."""
        word = word or format_value
        value = self.value if values is None else resolved(self.value, values)
        operand = self.value if value is None else value
        if isinstance(operand, (list, tuple)):
            words = [word(v) for v in operand]
            shown = " and ".join(words) if self.op == "between" else ", ".join(words)
        else:
            shown = word(operand)
        if self.op == "is":
            return shown
        return f"{PLAIN[self.op].removeprefix('is ')} {shown}"


@dataclass(frozen=True)
class All:
    items: tuple["Condition", ...]
    says: str | None = None


@dataclass(frozen=True)
class Any_:
    items: tuple["Condition", ...]
    says: str | None = None


Condition = Union[Leaf, All, Any_]
TRUE = All(())
FALSE = Any_(())


def format_value(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(format_value(v) for v in value)
    return str(value)


def negate(cond: Condition) -> Condition:
    """The negation of a condition, still in negation normal form."""
    if isinstance(cond, All):
        return Any_(tuple(negate(c) for c in cond.items), None)
    if isinstance(cond, Any_):
        return All(tuple(negate(c) for c in cond.items), None)
    if cond.op == "between":
        low, high = cond.value
        return Any_((replace(cond, op="less_than", value=low, negated=not cond.negated),
                     replace(cond, op="more_than", value=high, negated=not cond.negated)))
    return replace(cond, op=OPERATORS[cond.op][0], negated=not cond.negated)


def leaves(cond: Condition):
    """Every leaf of a condition, in order."""
    if isinstance(cond, Leaf):
        yield cond
    else:
        for item in cond.items:
            yield from leaves(item)


MAX_ALTERNATIVES = 256  # per condition (and its negation) once written out for the engine


def dnf_size(cond: Condition) -> int:
    """How many conjunctions `to_dnf(cond)` holds, counted without building them (they multiply)."""
    if isinstance(cond, Leaf):
        return 1
    if isinstance(cond, Any_):
        return sum(dnf_size(item) for item in cond.items)
    return math.prod(dnf_size(item) for item in cond.items)


def too_large(cond: Condition) -> int | None:
    """The number of alternatives of a condition or its negation when over MAX_ALTERNATIVES, else None."""
    size = max(dnf_size(cond), dnf_size(negate(cond)))
    return size if size > MAX_ALTERNATIVES else None


def to_dnf(cond: Condition) -> list[list[Leaf]]:
    """OR of ANDs of leaves (a list of conjunctions); [] is false, [[]] is true."""
    if isinstance(cond, Leaf):
        return [[cond]]
    if isinstance(cond, Any_):
        return [conj for item in cond.items for conj in to_dnf(item)]
    result: list[list[Leaf]] = [[]]
    for item in cond.items:
        result = [left + right for left in result for right in to_dnf(item)]
    return result
