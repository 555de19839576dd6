"""The rulebase compiled into durable_rules rulesets and run through its C extension.

Follows the hardened pattern measured in research/durable-rules.md, section 8:
rulesets created from data with `create_ruleset`, a warm-up rule fired once,
the synchronous action loop (`start_action_for_state` /
`complete_and_start_action`), one reused session id whose facts are
retracted after each assert (a new session would clear two 4 kB indexes per
rule node), every pattern anchored on a `kind` and a `scope` discriminator,
membership as `$or` of equalities, list membership as boolean flags,
firings de-duplicated, no floats, and rulesets split well below the
64-branch limit (counted per scope: a fact only walks its own scope's branches).

One profile costs one assert per ruleset (three for the bundled rulebase):
all its subjects (the profile and each partnership) are asserted together
and every firing names its subject. Derived facts fire in a first stage and
become attributes of their subject's fact in the verdict stage, so no rule
needs a join. Identical conjunctions are compiled once, and a partnership
rule's condition on profile answers alone (its fit) is decided once per profile.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from dataclasses import dataclass
from typing import Any

from advisor.contract.fields import FieldSpec
from advisor.engines.base import ASPECTS, Decision, SubjectOutcome
from advisor.engines.subjects import Subject
from advisor.rulebase.conditions import Leaf, Param, leaves, negate, to_dnf
from advisor.rulebase.loader import Rulebase

SID = "1"
MAX_BRANCHES_PER_RULESET = 40  # durable_rules fails (error 303) beyond 64 matching branches
DELETE_EVERY = 1000  # profiles between two deletions of the session, whatever retraction says
_counter = itertools.count()


class EngineError(RuntimeError):
    """durable_rules refused a ruleset or a fact: a bug in the compiler or the engine."""


def load_engine_module():
    """Import the C extension, or raise ImportError saying why it is unavailable."""
    import durable_rules_engine  # optional: durable_rules cannot be installed on Python 3.13+

    return durable_rules_engine


def field_key(name: str) -> str:
    return name.replace(".", "__")


def _operand(value: Any) -> Any:
    """A constant, or a parameter as a reference to its value among the fact's attributes."""
    return {"$m": field_key(value.key)} if isinstance(value, Param) else value


def _literal(leaf: Leaf, key: str, spec: FieldSpec) -> dict:
    """One leaf as a durable_rules expression on attribute `key`."""
    op = leaf.op
    value = tuple(map(_operand, leaf.value)) if isinstance(leaf.value, tuple) else _operand(leaf.value)
    if spec.type == "enum_list":
        def flag(item: str, present: bool) -> dict:
            return {f"{key}__{item}": present}

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

    def rule(self, name: str, scope: str, conjunct: list[Leaf]) -> _Compiled:
        """One conjunction of leaves as one durable rule on the subject fact.

        Derived facts are attributes of the subject by the time verdict rules see it, so no rule joins facts.
        Every pattern names its scope, so a fact only ever walks the branches of its own scope:
        rules of both scopes share a ruleset without adding to each other's branch count.
        """
        literals = [_literal(leaf, field_key(leaf.field), self.fields[leaf.field]) for leaf in conjunct]
        # a parameter unknown on the date leaves its comparison unknown, as in Python (not compared with null)
        literals += [{"$ex": {field_key(key): 1}} for key in dict.fromkeys(k for leaf in conjunct for k in leaf.reads[1:])]
        return _Compiled(name, {"all": [{"s": {"$and": [{"kind": "subject"}, {"scope": scope}, *literals]}}]},
                         _branches(conjunct))


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


def _merged(by_scope: dict[str, list[_Compiled]]) -> list[list[_Compiled]]:
    """Each scope's chunks side by side: ruleset k holds chunk k of every scope (the branch limit is per fact)."""
    chunked = [_chunks(rules) for rules in by_scope.values()]
    return [[rule for chunks in chunked if k < len(chunks) for rule in chunks[k]]
            for k in range(max((len(c) for c in chunked), default=0))]


_SUBJECT_AT = '":{"s":{"id": "s'  # how a firing continues after its rule name: the subject fact, `id` first


class _Ruleset:
    """One durable_rules ruleset, driven through the C extension's synchronous loop."""

    def __init__(self, engine, rules: list[_Compiled]):
        self.engine = engine
        self.asserted = 0  # profiles asserted since the session was last deleted
        definition = {"warmup": {"all": [{"w": {"kind": "warmup"}}]}}
        definition.update({r.name: r.definition for r in rules})
        self.name = f"advisor{next(_counter)}"
        self.handle = engine.create_ruleset(self.name, json.dumps(definition))
        self.fire(json.dumps([{"id": "w", "sid": SID, "kind": "warmup"}]))  # initialises the session slot

    def fire(self, facts_json: str) -> dict[tuple[int, str], None]:
        """Assert facts in the reused session, run the agenda; return (subject number, rule name) fired, once each."""
        engine = self.engine
        fired: dict[tuple[int, str], None] = {}
        try:
            result = engine.assert_facts(self.handle, facts_json)
            state = result[1] if isinstance(result, tuple) else 1
            payload = engine.start_action_for_state(self.handle, state)
            payload = payload[1] if payload else None
            while payload:
                end = payload.index('"', 2)
                if payload.startswith(_SUBJECT_AT, end):
                    at = end + len(_SUBJECT_AT)
                    fired[int(payload[at:payload.index('"', at)]), payload[2:end]] = None
                elif not payload.startswith('{"warmup"'):
                    raise EngineError(f"unexpected firing: {payload[:80]}")
                payload = engine.complete_and_start_action(self.handle, state)
        except Exception as error:  # the C extension raises bare exceptions with a code
            self._delete()
            raise EngineError(f"durable_rules failed on ruleset {self.name}: {error}") from error
        except BaseException:  # Ctrl-C or SIGTERM mid-agenda: no fact of this profile may reach the next
            self._delete()
            raise
        self._clear(facts_json)
        return fired

    def _delete(self) -> None:
        self.engine.delete_state(self.handle, SID)
        self.asserted = 0

    def _clear(self, facts_json: str) -> None:
        """Leave the session empty for the next profile: its facts retracted, or the session deleted when the
        retraction reports anything but success or leaves a fact behind (facts are known by a 32-bit hash only,
        so a collision would carry a fact into the next profile), and every DELETE_EVERY profiles anyway."""
        engine = self.engine
        self.asserted += 1
        if self.asserted < DELETE_EVERY:
            try:
                code = engine.retract_facts(self.handle, facts_json)
                if (code[0] if isinstance(code, tuple) else code) == 0 and engine.get_facts(self.handle, SID) == "[]":
                    return
            except Exception:  # the C extension raises bare exceptions: delete the session instead
                pass
        self._delete()


def _encoder(name: str, spec: FieldSpec):
    """A function adding one field's value to a durable fact: flags for lists, day numbers for dates, no floats."""
    key = field_key(name)
    if spec.type == "enum_list":
        flags = [(item, f"{key}__{item}") for item in spec.values]

        def encode(fact: dict, value: Any) -> None:
            present = set(value)
            for item, flag in flags:
                fact[flag] = item in present
        return encode

    def encode(fact: dict, value: Any) -> None:
        if isinstance(value, dt.date):
            value = value.toordinal()
        elif isinstance(value, float):
            value = round(value, 6) if value == value else None
        fact[key] = value
    return encode


class DurableEngine:
    """All subjects of a profile go into one assert per ruleset: one derive stage, then the verdict rulesets."""

    name = "durable"

    def __init__(self, rulebase: Rulebase):
        self.rulebase = rulebase
        engine = load_engine_module()
        compiler = _Compiler(rulebase)
        read = self._fields_read(rulebase)
        self.encoders = {scope: [(name, _encoder(name, spec)) for name, spec in rulebase.fields.items()
                                 if spec.origin != "derived" and name in read and spec.scope == scope]
                         for scope in ("profile", "collaboration")}
        # Identical conjunctions (common across rules and aspects) become one durable rule with several meanings.
        self.derives: dict[str, list[tuple[str, Any]]] = {}  # durable rule name -> [(fact, value)]
        self.verdicts: dict[str, list[tuple]] = {}  # -> [(rule id, attribute, truth, trace, on partnerships)]
        derive_rules: dict[str, dict[str, _Compiled]] = {"profile": {}, "collaboration": {}}
        verdict_rules: dict[str, dict[str, _Compiled]] = {"profile": {}, "collaboration": {}}

        def add(rules: dict[str, _Compiled], meanings: dict[str, list], scope: str, conjunct: list[Leaf], meaning):
            compiled = compiler.rule(f"{scope[0]}{len(meanings)}", scope, conjunct)
            shared = rules.setdefault(json.dumps(compiled.definition, sort_keys=True), compiled)
            meanings.setdefault(shared.name, []).append(meaning)

        for fact in rulebase.derived.values():
            for value, condition in fact.cases:
                for conjunct in to_dnf(condition):
                    add(derive_rules[fact.spec.scope], self.derives, fact.spec.scope, conjunct, (fact.id, value))
        for rule in rulebase.rules.values():
            aspects = {"eligible": rule.eligibility, "ineligible": negate(rule.eligibility),
                       "fit": rule.fit, "unfit": negate(rule.fit)}
            for aspect, condition in aspects.items():
                # A partnership rule's condition on profile answers alone (its fit: the goals) is the same for
                # every partnership: it is decided once, on the profile, and holds for each partnership.
                once = rule.spec.scope == "collaboration" and all(
                    self.rulebase.fields[leaf.field].scope == "profile" for leaf in leaves(condition))
                scope = "profile" if once else rule.spec.scope
                for conjunct in to_dnf(condition):
                    add(verdict_rules[scope], self.verdicts, scope, conjunct,
                        (rule.id, *ASPECTS[aspect], f"{rule.id}:{aspect}", once))
        self.derive_stage = [_Ruleset(engine, rules) for rules in _merged(
            {scope: list(rules.values()) for scope, rules in derive_rules.items()})]
        self.verdict_stage = [_Ruleset(engine, rules) for rules in _merged(
            {scope: list(rules.values()) for scope, rules in verdict_rules.items()})]

    @staticmethod
    def _fields_read(rulebase: Rulebase) -> set[str]:
        names = {name for rule in rulebase.rules.values() for c in (rule.eligibility, rule.fit) for leaf in leaves(c)
                 for name in leaf.reads}
        names |= {name for fact in rulebase.derived.values() for _, c in fact.cases for leaf in leaves(c)
                  for name in leaf.reads}
        return names

    def _facts(self, subjects: list[Subject]) -> list[dict[str, Any]]:
        """One durable fact per subject; partnerships add their own answers to the profile's (encoded once)."""
        base: dict[str, Any] = {}
        values = subjects[0].values
        for name, encode in self.encoders["profile"]:
            value = values.get(name)
            if value is not None:
                encode(base, value)
        facts = []
        for i, subject in enumerate(subjects):
            fact = {"id": f"s{i}", "sid": SID, "kind": "subject", "scope": subject.scope, "key": subject.key, **base}
            if subject.scope == "collaboration":
                for name, encode in self.encoders["collaboration"]:
                    value = subject.values.get(name)
                    if value is not None:
                        encode(fact, value)
            facts.append(fact)
        return facts

    def evaluate(self, subjects: list[Subject]) -> list[SubjectOutcome]:
        if not subjects:
            return []
        if subjects[0].scope != "profile" or any(s.scope != "collaboration" for s in subjects[1:]):
            raise EngineError("subjects must be the profile first, then its partnerships (see subjects_of)")
        facts = self._facts(subjects)
        facts_json = json.dumps(facts)
        derived: list[dict[str, Any]] = [{} for _ in subjects]
        for ruleset in self.derive_stage:
            for i, name in ruleset.fire(facts_json):
                for fact, value in self.derives[name]:
                    if derived[i].get(fact, value) != value:
                        raise EngineError(f"derived fact {fact} got two values: {derived[i][fact]!r} and {value!r}")
                    derived[i][fact] = value
        derived[1:] = [{**derived[0], **own} for own in derived[1:]]  # the profile's facts hold for each partnership
        outcomes = [SubjectOutcome(subject, own, trace=[f"derive:{k}={v}" for k, v in own.items()])
                    for subject, own in zip(subjects, derived)]
        for fact, own in zip(facts, derived):
            fact.update((field_key(k), v) for k, v in own.items())
        facts_json = json.dumps(facts)
        partnerships = outcomes[1:]
        for ruleset in self.verdict_stage:
            for i, name in ruleset.fire(facts_json):
                for rule_id, attribute, truth, fired, on_partnerships in self.verdicts[name]:
                    for outcome in partnerships if on_partnerships else (outcomes[i],):
                        decision = outcome.decisions.get(rule_id)
                        if decision is None:
                            decision = outcome.decisions[rule_id] = Decision()
                        setattr(decision, attribute, truth)
                        outcome.trace.append(fired)
        return outcomes
