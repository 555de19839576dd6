"""The advisor: a profile's subjects through the engine, each rule assessed, the results in order.

`Advisor.evaluate` gives the result contract (`advisor.contract.result`), with no text in it;
`Advisor.explain` adds the texts people read; `Advisor.verdicts` gives only what a summary counts.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import NamedTuple, TextIO

from advisor.advice.assess import RANK, Assessor, best
from advisor.advice.memo import ByObject, Memo
from advisor.advice.prose import Prose
from advisor.contract.catalogue import Catalogue, RulebaseRef
from advisor.contract.profile import Profile, field_path, impossible_on
from advisor.contract.result import (
    RESULT_SCHEMA_VERSION,
    ExplainedResult,
    NextCall,
    ProfileRef,
    Result,
    RuleResult,
)
from advisor.engines import Engine, make_engine
from advisor.engines.base import SubjectOutcome
from advisor.engines.subjects import subjects_of
from advisor.errors import InputError, Problem
from advisor.rulebase.catalogue import catalogue_of, reference
from advisor.rulebase.loader import Rulebase, load_rulebase

_SERVED_BOUND = 1000  # more goals than a rule could serve (the goal vocabulary is a dozen)


def open_advisor(rules: str | Path | None = None, engine: str = "durable", as_of: dt.date | None = None, *,
                 counterfactuals: bool = True, trace: bool = True, notices: TextIO | None = None) -> Advisor:
    """An advisor on the rulebase folder `rules` (None: the bundled one) run by the named engine; with `as_of`,
    every profile is advised for that date. Raises RulebaseError listing every problem of the rulebase."""
    rulebase = load_rulebase(rules)
    return Advisor(rulebase, make_engine(engine, rulebase, notices), counterfactuals=counterfactuals, as_of=as_of,
                   trace=trace)


class RuleVerdict(NamedTuple):
    """What a summary counts of one recommendation: its verdict and the numbers of its failed conditions."""

    id: str
    verdict: str
    failed: tuple[int | None, ...]


class Decided(NamedTuple):
    """A profile's subjects as the engine decided them, on the date of the advice."""

    as_of: dt.date
    profile: SubjectOutcome
    by_scope: dict[str, list[SubjectOutcome]]
    offered: tuple[bool, ...]  # per rule, in rulebase order


@dataclass
class Advisor:
    """Evaluates profiles against one rulebase with one engine.

    `counterfactuals=False` skips the search for what would change a `not_eligible` verdict, and
    `trace=False` leaves out the engine's firings (the result's `trace`). `memory` bounds how many
    explained situations are remembered (0: none; the advice is the same either way). `as_of` is
    the date of every advice, whatever the profile says.
    """

    rulebase: Rulebase
    engine: Engine
    counterfactuals: bool = True
    memory: int = 8192
    as_of: dt.date | None = None
    trace: bool = True

    def __post_init__(self) -> None:
        rules = self.rulebase.rules
        self._assessor = Assessor(self.rulebase, self.counterfactuals, self.memory)
        self._rules = list(rules.values())
        steps = {rule_id: rule.spec.path_step for rule_id, rule in rules.items()}
        self._steps = steps
        # Results are ordered by verdict, goals served (more first), rung on the ladder, id: as one number.
        self._places = {rule_id: place for place, rule_id in enumerate(sorted(rules, key=lambda i: (steps[i], i)))}
        # Which rules are offered changes only on their validity dates: worked out once per period between them.
        self._dates = sorted({day for rule in self._rules for day in (rule.spec.valid_from, rule.spec.valid_until)
                              if day is not None})
        self._offered = [tuple(rule.offered_on(day) for rule in self._rules) for day in [dt.date.min, *self._dates]]
        self._reference: RulebaseRef = reference(self.rulebase)
        self._warned = Memo(min(self.memory, 4096))
        self._offers = Memo(min(self.memory, 4096))
        self._called = ByObject(self.memory)

    @cached_property
    def catalogue(self) -> Catalogue:
        """Every rule's fixed text, as the results refer to it."""
        return catalogue_of(self.rulebase)

    @cached_property
    def prose(self) -> Prose:
        return Prose(self.catalogue, self.rulebase.dated, self.memory)

    def date_for(self, profile: Profile, today: dt.date | None = None) -> dt.date:
        """The date a profile is advised for: this advisor's, else the profile's, else today."""
        return self.as_of or profile.as_of or today or dt.date.today()

    def decide(self, profile: Profile, today: dt.date | None = None, source: str | None = None) -> Decided:
        as_of = self.date_for(profile, today)
        impossible = impossible_on(profile, as_of)
        if impossible:
            raise InputError([Problem(source or "the profile", why, field=field_path(at),
                                      fix="advise for a later date, or correct the answer")
                              for at, _, why in impossible])
        outcomes = self.engine.evaluate(subjects_of(profile, as_of, self.rulebase))
        by_scope: dict[str, list[SubjectOutcome]] = {"profile": [], "collaboration": []}
        for outcome in outcomes:
            by_scope[outcome.subject.scope].append(outcome)
        return Decided(as_of, by_scope["profile"][0], by_scope, self.offered_on(as_of))

    def offered_on(self, day: dt.date) -> tuple[bool, ...]:
        """Per rule, in rulebase order: whether one can apply on that day (in its era, with a call ahead if it has
        calls)."""
        found = self._offers.get(day)
        if found is None:
            in_era = self._offered[bisect.bisect_right(self._dates, day)]  # the rules' dates, worked out once
            found = self._offers.keep(day, tuple(
                offered and not self.rulebase.dated.between_calls(rule.id, day)
                for rule, offered in zip(self._rules, in_era)))
        return found

    def evaluate(self, profile: Profile, source: str | None = None, today: dt.date | None = None) -> Result:
        """The advice for one profile: one result per recommendation id, best verdicts first."""
        decided = self.decide(profile, today, source)
        assessor = self._assessor
        goals = frozenset(decided.profile.values.get("goals") or ())
        results = [self._with_call(assessor.result(rule, decided.by_scope[rule.spec.scope], decided.profile, goals),
                                   decided.as_of) if offered
                   else assessor.not_offered(rule, decided.profile)
                   for rule, offered in zip(self._rules, decided.offered)]
        results.sort(key=self._order)
        path = sorted((r.id for r in results if r.verdict == "recommended"), key=self._steps.__getitem__)
        return Result(schema_version=RESULT_SCHEMA_VERSION, profile=ProfileRef(name=profile.name, source=source),
                      as_of=decided.as_of, rulebase=self._reference, engine=self.engine.name,
                      warnings=self._warnings(decided.as_of), path=path, standing=self.standing(decided),
                      results=results,
                      trace=[fired for o in (decided.profile, *decided.by_scope["collaboration"]) for fired in o.trace]
                      if self.trace else [])

    def verdicts(self, profile: Profile, today: dt.date | None = None,
                 source: str | None = None) -> tuple[dt.date, list[RuleVerdict]]:
        """The date and each recommendation's verdict with its failed conditions, in the order of `evaluate`'s
        results, without building the results: what tables and summaries need."""
        decided = self.decide(profile, today, source)
        assessor = self._assessor
        goals = frozenset(decided.profile.values.get("goals") or ())
        found = []
        for rule, offered in zip(self._rules, decided.offered):
            if not offered:
                found.append((RANK["not_offered"], RuleVerdict(rule.id, "not_offered", ()), 0))
                continue
            outcomes = decided.by_scope[rule.spec.scope] if rule.spec.scope == "collaboration" else [decided.profile]
            if not outcomes:
                found.append((RANK["not_eligible"], RuleVerdict(rule.id, "not_eligible", (None,)), 0))
                continue
            plan = best([assessor.plan(rule, o) for o in outcomes])
            served = len(assessor.served(rule, goals))
            found.append((RANK[plan.verdict], RuleVerdict(rule.id, plan.verdict, plan.failed), served))
        found.sort(key=lambda item: self._place(item[1].id, item[0], item[2]))
        return decided.as_of, [verdict for _, verdict, _ in found]

    def explain(self, result: Result) -> ExplainedResult:
        """The result with the texts people read (reasons, failed conditions in words, next steps...)."""
        return self.prose.result(result)

    def standing(self, decided: Decided) -> str | None:
        """How far the most advanced partnership has gone (the rulebase's `collaboration_maturity`), if known."""
        fact = self.rulebase.derived.get("collaboration_maturity")
        if fact is None:
            return None
        order = list(fact.spec.values)
        found = [o.derived.get(fact.id) for o in decided.by_scope["collaboration"]]
        known = [value for value in found if value in order]
        return max(known, key=order.index) if known else None

    def _with_call(self, result: RuleResult, as_of: dt.date) -> RuleResult:
        """An eligible or undecided result with the next call it can enter, where the instrument has calls."""
        call = None if result.verdict == "not_eligible" else self.rulebase.dated.next_call(result.id, as_of)
        if call is None:
            return result
        return self._called.get(result, lambda: result.model_copy(update={"next_call": NextCall(
            name=call.name, opens=call.opens, closes=call.closes, expected=call.expected, page=call.page)}), call)

    def _order(self, result: RuleResult) -> int:
        return self._place(result.id, RANK[result.verdict], len(result.goals_served))

    def _place(self, rule_id: str, rank: int, served: int) -> int:
        """Where a result goes: by verdict, then goals served (more first), then rung on the ladder, then id."""
        return (rank * _SERVED_BOUND - served) * len(self._places) + self._places[rule_id]

    def _warnings(self, as_of: dt.date) -> list[str]:
        """A date past the rules' last verification says so."""
        found = self._warned.get(as_of)
        if found is None:
            verified = self.rulebase.info.last_verified
            found = self._warned.keep(as_of, [] if as_of <= verified else [
                f"advice is for {as_of.isoformat()}, but the rules were last verified on {verified.isoformat()}: "
                "check current calls and deadlines before applying"])
        return found

