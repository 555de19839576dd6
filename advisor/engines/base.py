"""What every engine returns, so the advice does not care which one ran."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Protocol

from advisor.engines.subjects import Subject
from advisor.rulebase.logic import Truth

ASPECTS = {"eligible": ("eligible", Truth.TRUE), "ineligible": ("eligible", Truth.FALSE),
           "fit": ("fit", Truth.TRUE), "unfit": ("fit", Truth.FALSE)}


@dataclass
class Decision:
    """The gates' verdict for one rule on one subject: TRUE, FALSE or UNKNOWN each."""

    eligible: Truth = Truth.UNKNOWN
    fit: Truth = Truth.UNKNOWN


@dataclass
class SubjectOutcome:
    subject: Subject
    derived: dict[str, Any] = field(default_factory=dict)
    decisions: dict[str, Decision] = field(default_factory=dict)
    trace: list[str] = field(default_factory=list)  # e.g. "cnrs.irp:eligible", "derive:seniority=senior"

    @cached_property
    def values(self) -> dict[str, Any]:
        """The subject's answers and the facts derived from them: what conditions read."""
        return {**self.subject.values, **self.derived}

    def record(self, rule_id: str, aspect: str) -> None:
        """Note a fired aspect (eligible, ineligible, fit, unfit) of a rule."""
        attribute, truth = ASPECTS[aspect]
        setattr(self.decisions.setdefault(rule_id, Decision()), attribute, truth)
        self.trace.append(f"{rule_id}:{aspect}")


class Engine(Protocol):
    name: str

    def evaluate(self, subjects: list[Subject]) -> list[SubjectOutcome]:
        """Derive facts and decide every rule of each subject's scope."""
