"""The rulebase compiled into durable_rules rulesets and run through its C extension.

Follows the hardened pattern measured in research/durable-rules.md, section 8:
rulesets created from data with `create_ruleset`, a warm-up rule fired once,
the synchronous action loop (`start_action_for_state` /
`complete_and_start_action`), one reused session id deleted after each
subject, every pattern anchored on a `kind` discriminator, joins first,
membership as `$or` of equalities, list membership as boolean flags,
firings de-duplicated, no floats, and rulesets split well below the
64-branch limit. Derived facts fire in a first stage and are asserted into
the verdict rulesets, where chained rules join on them.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from dataclasses import dataclass
from typing import Any

from ..fields import FieldSpec
from ..rulebase.conditions import Leaf, negate, to_dnf
from ..rulebase.loader import Rulebase
from ..subjects import Subject
from .base import SubjectOutcome

SID = "1"
MAX_BRANCHES_PER_RULESET = 40  # durable_rules fails (error 303) beyond 64 matching branches
_counter = itertools.count()


class EngineError(RuntimeError):
    """durable_rules refused a ruleset or a fact: a bug in the compiler or the engine."""


def load_engine_module():
    """Import the C extension, or raise ImportError saying why it is unavailable."""
    import durable_rules_engine  # noqa: PLC0415  (optional, absent on Python 3.13+)

    return durable_rules_engine


def field_key(name: str) -> str:
    return name.replace(".", "__")


def _literal(leaf: Leaf, key: str, spec: FieldSpec) -> dict:
    """One leaf as a durable_rules expression on attribute `key`."""
    op, value = leaf.op, leaf.value
    if spec.type == "enum_list":
        flag = lambda item, present: {f"{key}__{item}": present}  # noqa: E731
        if op in ("includes", "excludes"):
            return flag(value, op == "includes")
        if op == "includes_any":
            return {"$or": [flag(v, True) for v in value]} if len(value) > 1 else flag(value[0], True)
        return {"$and": [flag(v, False) for v in value]}
    if op == "is":
        return {key: value}
    if op == "is_not":
        return {"$neq": {key: value}}
    if op == "one_of":
        return {"$or": [{key: v} for v in value]} if len(value) > 1 else {key: value[0]}
    if op == "none_of":
        return {"$and": [{"$neq": {key: v}} for v in value]}
    if op == "between":
        return {"$and": [{"$gte": {key: value[0]}}, {"$lte": {key: value[1]}}]}
    comparison = {"at_least": "$gte", "at_most": "$lte", "more_than": "$gt", "less_than": "$lt"}[op]
    return {comparison: {key: value}}


def _branches(conjunct: list[Leaf]) -> int:
    count = 1
    for leaf in conjunct:
        if leaf.op in ("one_of", "includes_any"):
            count *= len(leaf.value)
    return count


@dataclass
class _Compiled:
    name: str
    definition: dict
    branches: int


class _Compiler:
    def __init__(self, rulebase: Rulebase):
        self.rulebase = rulebase
        self.fields = rulebase.fields

    def rule(self, name: str, conjunct: list[Leaf]) -> _Compiled:
        """One conjunction of leaves as one durable rule: derived-fact patterns first, then the subject."""
        subject_literals: list[dict] = []
        derived: dict[str, list[dict]] = {}
        for leaf in conjunct:
            spec = self.fields[leaf.field]
            if spec.origin == "derived":
                derived.setdefault(leaf.field, []).append(_literal(leaf, "value", spec))
            else:
                subject_literals.append(_literal(leaf, field_key(leaf.field), spec))
        patterns = []
        joins = []
        for i, (fact, literals) in enumerate(sorted(derived.items())):
            alias = f"d{i}"
            patterns.append({alias: {"$and": [{"kind": "derived"}, {"name": fact}, *literals]}})
            joins.append({"key": {alias: "key"}})
        patterns.append({"s": {"$and": [*joins, {"kind": "subject"}, *subject_literals]}})
        return _Compiled(name, {"all": patterns}, _branches(conjunct))


def _chunks(rules: list[_Compiled]) -> list[list[_Compiled]]:
    chunks: list[list[_Compiled]] = [[]]
    load = 0
    for rule in rules:
        if chunks[-1] and load + rule.branches > MAX_BRANCHES_PER_RULESET:
            chunks.append([])
            load = 0
        chunks[-1].append(rule)
        load += rule.branches
    return [c for c in chunks if c]


class _Ruleset:
    """One durable_rules ruleset and the meaning of each of its rule names."""

    def __init__(self, engine, rules: list[_Compiled], meaning: dict[str, Any]):
        self.engine = engine
        definition = {"warmup": {"all": [{"w": {"kind": "warmup"}}]}}
        definition.update({r.name: r.definition for r in rules})
        self.name = f"advisor{next(_counter)}"
        self.handle = engine.create_ruleset(self.name, json.dumps(definition))
        self.meaning = meaning
        self.fire(json.dumps([{"id": "w", "sid": SID, "kind": "warmup"}]))  # initialises the session slot

    def fire(self, facts_json: str) -> list[str]:
        """Assert facts in the reused session, run the agenda, return the rule names fired (once each)."""
        engine = self.engine
        try:
            result = engine.assert_facts(self.handle, facts_json)
            fired: dict[str, None] = {}
            state = result[1] if isinstance(result, tuple) else 1
            payload = engine.start_action_for_state(self.handle, state)
            payload = payload[1] if payload else None
            while payload:
                fired[payload[2:payload.index('"', 2)]] = None
                payload = engine.complete_and_start_action(self.handle, state)
        except Exception as error:  # the C extension raises bare exceptions with a code
            raise EngineError(f"durable_rules failed on ruleset {self.name}: {error}") from error
        finally:
            engine.delete_state(self.handle, SID)
        return [name for name in fired if name != "warmup"]


def _encode(values: dict[str, Any], wanted: dict[str, FieldSpec]) -> dict[str, Any]:
    """Subject values as a durable fact: flags for lists, day numbers for dates, no floats."""
    fact: dict[str, Any] = {}
    for name, spec in wanted.items():
        value = values.get(name)
        if value is None:
            continue
        key = field_key(name)
        if spec.type == "enum_list":
            present = set(value)
            for item in spec.values:
                fact[f"{key}__{item}"] = item in present
        elif isinstance(value, dt.date):
            fact[key] = value.toordinal()
        elif isinstance(value, float):
            fact[key] = round(value, 6) if value == value else None
        else:
            fact[key] = value
    return fact


class DurableEngine:
    name = "durable"

    def __init__(self, rulebase: Rulebase):
        self.rulebase = rulebase
        engine = load_engine_module()
        compiler = _Compiler(rulebase)
        self.read = {name: spec for name, spec in rulebase.fields.items()
                     if spec.origin != "derived" and name in self._fields_read(rulebase)}
        self.derive_stage: dict[str, list[_Ruleset]] = {}
        self.verdict_stage: dict[str, list[_Ruleset]] = {}
        for scope in ("profile", "collaboration"):
            rules, meaning = [], {}
            for fact in rulebase.derived.values():
                if fact.spec.scope != scope:
                    continue
                for k, (value, condition) in enumerate(fact.cases):
                    for j, conjunct in enumerate(to_dnf(condition)):
                        name = f"{fact.id}__{k}_{j}"
                        rules.append(compiler.rule(name, conjunct))
                        meaning[name] = (fact.id, value)
            self.derive_stage[scope] = [_Ruleset(engine, c, meaning) for c in _chunks(rules)]
            rules, meaning = [], {}
            for r, rule in enumerate(rulebase.rules.values()):
                if rule.spec.scope != scope:
                    continue
                aspects = {"eligible": rule.eligibility, "ineligible": negate(rule.eligibility),
                           "fit": rule.fit, "unfit": negate(rule.fit)}
                for aspect, condition in aspects.items():
                    for j, conjunct in enumerate(to_dnf(condition)):
                        name = f"r{r}_{aspect}_{j}"
                        rules.append(compiler.rule(name, conjunct))
                        meaning[name] = (rule.id, aspect)
            self.verdict_stage[scope] = [_Ruleset(engine, c, meaning) for c in _chunks(rules)]

    @staticmethod
    def _fields_read(rulebase: Rulebase) -> set[str]:
        from ..rulebase.conditions import leaves  # noqa: PLC0415

        names = {leaf.field for rule in rulebase.rules.values() for c in (rule.eligibility, rule.fit) for leaf in leaves(c)}
        names |= {leaf.field for fact in rulebase.derived.values() for _, c in fact.cases for leaf in leaves(c)}
        return names

    def _derive(self, scope: str, subject_json: dict) -> dict[str, Any]:
        derived: dict[str, Any] = {}
        facts = json.dumps([subject_json])
        for ruleset in self.derive_stage[scope]:
            for name in ruleset.fire(facts):
                fact, value = ruleset.meaning[name]
                if derived.get(fact, value) != value:
                    raise EngineError(f"derived fact {fact} got two values: {derived[fact]!r} and {value!r}")
                derived[fact] = value
        return derived

    def evaluate(self, subjects: list[Subject]) -> list[SubjectOutcome]:
        outcomes = []
        profile_derived: dict[str, Any] = {}
        for subject in subjects:
            fact = {"id": "s", "sid": SID, "kind": "subject", "key": subject.key, **_encode(subject.values, self.read)}
            if subject.scope == "profile":
                profile_derived = self._derive("profile", fact)
                derived = dict(profile_derived)
            else:
                derived = {**profile_derived, **self._derive("collaboration", fact)}
            outcome = SubjectOutcome(subject, derived)
            outcome.trace += [f"derive:{k}={v}" for k, v in derived.items()]
            facts = [fact] + [{"id": f"d{i}", "sid": SID, "kind": "derived", "key": subject.key, "name": k, "value": v}
                              for i, (k, v) in enumerate(derived.items())]
            facts_json = json.dumps(facts)
            for ruleset in self.verdict_stage[subject.scope]:
                for name in ruleset.fire(facts_json):
                    outcome.record(*ruleset.meaning[name])
            outcomes.append(outcome)
        return outcomes
