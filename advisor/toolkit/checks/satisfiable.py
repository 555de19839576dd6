"""Can a condition ever hold? A small search over its alternatives, field by field.

Leaves on a derived fact are replaced by the cases that give the wanted
value, so `seniority is student` contradicts `career_stage is professor`.
Each field's leaves are checked together against the values the field can
take (its choices, its bounds in the profile contract, the constants named).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from advisor.contract.fields import COLLAB, FieldSpec
from advisor.contract.profile import Collaboration, Profile
from advisor.rulebase.conditions import (
    All,
    Any_,
    Condition,
    Leaf,
    leaves,
    parameters_of,
)
from advisor.rulebase.loader import Rulebase
from advisor.rulebase.logic import Truth, leaf_truth

MAX_STEPS = 20_000  # beyond this a condition is taken to be satisfiable (never a false alarm)


class _TooComplex(Exception):
    pass


def bounds(name: str) -> tuple[int | None, int | None]:
    """The contract's lower and upper bounds of a whole-number answer."""
    model, key = (Collaboration, name[len(COLLAB):]) if name.startswith(COLLAB) else (Profile, name)
    info = model.model_fields.get(key)
    if info is None:
        return None, None
    low = next((m.ge for m in info.metadata if getattr(m, "ge", None) is not None), None)
    high = next((m.le for m in info.metadata if getattr(m, "le", None) is not None), None)
    return low, high


def _constants(group: tuple[Leaf, ...]) -> list[Any]:
    found: list[Any] = []
    for leaf in group:
        found += list(leaf.value) if isinstance(leaf.value, (tuple, list)) else [leaf.value]
    return found


def _candidates(spec: FieldSpec, group: tuple[Leaf, ...]) -> list[Any] | None:
    """Values enough to decide whether the leaves can hold together (None: assume they can)."""
    if any(parameters_of(leaf.value) for leaf in group):
        return None  # a parameter's value depends on the date
    if spec.type == "bool":
        return [True, False]
    if spec.type == "enum":
        return list(spec.values)
    if spec.type == "text":
        return _constants(group) + [object()]  # a fresh value, equal to no constant
    if spec.type == "int":
        numbers = [c for c in _constants(group) if isinstance(c, int) and not isinstance(c, bool)]
        low, high = bounds(spec.name)
        near = {n + d for n in numbers for d in (-1, 0, 1)} | {b for b in (low, high) if b is not None} or {0}
        return [n for n in near if (low is None or n >= low) and (high is None or n <= high)]
    return None


def _list_consistent(group: tuple[Leaf, ...]) -> bool:
    """Leaves on a list of choices (goals): nothing both required and excluded, each 'one of' still open."""
    required = {l.value for l in group if l.op == "includes"}
    excluded = {l.value for l in group if l.op == "excludes"} | {v for l in group if l.op == "includes_none"
                                                                 for v in l.value}
    return not required & excluded and all(set(l.value) - excluded for l in group if l.op == "includes_any")


def consistent(spec: FieldSpec, group: tuple[Leaf, ...]) -> bool:
    """Whether some value of the field makes every leaf of `group` true."""
    if spec.type == "enum_list":
        return _list_consistent(group)
    candidates = _candidates(spec, group)
    if candidates is None:
        return True
    return any(all(_safe_truth(leaf, value) for leaf in group) for value in candidates)


def _safe_truth(leaf: Leaf, value: Any) -> bool:
    try:
        return leaf_truth(leaf, {leaf.field: value}) is Truth.TRUE
    except TypeError:  # a fresh text value compared by order: not comparable, so not a witness
        return False


@dataclass
class Search:
    """Decides satisfiability for one rulebase; remembers the contradictions it met."""

    rulebase: Rulebase
    origin: dict[Leaf, str] = field(default_factory=dict)  # leaf -> the derived fact it comes from
    conflicts: list[tuple[Leaf, ...]] = field(default_factory=list)
    steps: int = 0

    def __post_init__(self) -> None:
        for fact in self.rulebase.derived.values():
            for _, condition in fact.cases:
                for leaf in leaves(condition):
                    self.origin.setdefault(leaf, fact.id)

    def holds_sometimes(self, condition: Condition) -> bool:
        """True unless no answers at all can make `condition` true; `conflicts` then says why."""
        self.conflicts, self.steps = [], 0
        try:
            return self._search((condition,), {})
        except _TooComplex:
            return True

    def _expand(self, leaf: Leaf) -> Condition:
        fact = self.rulebase.derived[leaf.field]
        return Any_(tuple(cond for value, cond in fact.cases if leaf_truth(leaf, {leaf.field: value}) is Truth.TRUE))

    def _search(self, pending: tuple[Condition, ...], chosen: dict[str, tuple[Leaf, ...]]) -> bool:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise _TooComplex
        if not pending:
            return True
        head, rest = pending[0], pending[1:]
        if isinstance(head, All):
            return self._search(head.items + rest, chosen)
        if isinstance(head, Any_):
            return any(self._search((item,) + rest, chosen) for item in head.items)
        if head.field in self.rulebase.derived:
            return self._search((self._expand(head),) + rest, chosen)
        spec = self.rulebase.fields.get(head.field)
        group = chosen.get(head.field, ()) + (head,)
        if spec is not None and not consistent(spec, group):
            if group not in self.conflicts:
                self.conflicts.append(group)
            return False
        return self._search(rest, {**chosen, head.field: group})
