"""From the engine's decisions to explained advice for every recommendation id.

The advice is assembled as JSON (the result contract) from pieces that are built once and
remembered: each rule's fixed fields, and each assessment (a verdict with its reasons, failed
conditions, missing answers) keyed on exactly what it depends on. Profiles in the same situation
share their pieces, so a batch pays for an explanation once per situation rather than once per
profile. `Advisor.evaluate` parses the same JSON into the `Result` model: one path for every
front end.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from typing import NamedTuple, TextIO

from advisor.advice import counterfactual
from advisor.advice.explain import PLACEHOLDER, Explainer, missing_from, passed_reasons, render, shown
from advisor.advice.memo import Memo
from advisor.contract.fields import LABELS
from advisor.contract.profile import Profile
from advisor.contract.result import VERDICT_ORDER, Advice, Assessment, FailedCondition, Result
from advisor.engines import make_engine
from advisor.engines.base import Decision, Engine, SubjectOutcome
from advisor.engines.subjects import UNKNOWN_COLLABORATIONS, subjects_of
from advisor.rulebase.conditions import format_value
from advisor.rulebase.loader import Rule, Rulebase, load_rulebase
from advisor.rulebase.logic import Check, Explanation, Truth

_RANK = {verdict: rank for rank, verdict in enumerate(VERDICT_ORDER)}
_STATIC_FIELDS = ("id", "title", "kind", "summary", "successor", "valid_from", "valid_until", "key_facts", "sources")


def open_advisor(rules: str | Path | None = None, engine: str = "durable", as_of: dt.date | None = None, *,
                 counterfactuals: bool = True, notices: TextIO | None = None) -> Advisor:
    """An advisor on the rulebase folder `rules` (None: the bundled one) run by the named engine; with `as_of`,
    every profile is advised for that date. Raises RulebaseError listing every problem of the rulebase."""
    rulebase = load_rulebase(rules)
    return Advisor(rulebase, make_engine(engine, rulebase, notices), counterfactuals=counterfactuals, as_of=as_of)


def verdict_of(decision: Decision) -> str:
    if decision.eligible is Truth.FALSE:
        return "not_eligible"
    if decision.eligible is Truth.UNKNOWN or decision.fit is Truth.UNKNOWN:
        return "undecided"
    return "recommended" if decision.fit is Truth.TRUE else "possible"


def _goal_label(goal: str) -> str:
    return goal.replace("_", " ")


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # one encoder: json.dumps makes one per call


def _json(value) -> bytes:
    return _ENCODER.encode(value).encode()


class Piece(NamedTuple):
    """One assessment as the members of a JSON object (no braces), with what ordering and summaries need."""

    verdict: str
    served: int  # how many of the profile's goals it serves
    members: bytes
    failed: tuple[str, ...]  # what each failed condition says


class FailedPart(NamedTuple):
    """One failed condition as JSON, and its sentence among the reasons: shared by every rule failing alike."""

    says: str
    reason: bytes
    condition: bytes


class Plan(NamedTuple):
    """What one situation (a rule, the values its conditions read, its decision) settles for its advice."""

    verdict: str
    explanation: Explanation
    reads: tuple[str, ...] = ()  # the further answers its texts read...
    presence_only: bool = False  # ...or, for an undecided verdict, whose presence alone matters (missing answers)
    # not_eligible: per failed condition, what its part is remembered on (the condition, numbered because that
    # hashes fast, and the value it saw), the answers behind it when it is a derived fact, and the check itself
    failures: tuple[tuple[tuple, tuple[str, ...], Check], ...] = ()


_SAYS, _REASON, _CONDITION = attrgetter("says"), attrgetter("reason"), attrgetter("condition")


class RuleAdvice(NamedTuple):
    """One recommendation's advice for a profile: its JSON object, what a summary counts, and its assessment
    (verdict, reasons, failed conditions, missing answers, goals served) as JSON members: far fewer kinds recur
    than whole advice, which also holds each partnership."""

    id: str
    verdict: str
    failed: tuple[str, ...]
    json: bytes
    assessment: bytes


class Evaluation(NamedTuple):
    """A profile's result as JSON (the result contract) and, per recommendation, what a summary counts."""

    json: bytes
    as_of: dt.date
    advice: list[RuleAdvice]


@dataclass
class Advisor:
    """Evaluates profiles against one rulebase with one engine.

    `counterfactuals=False` skips the search for what would change a `not_eligible` verdict
    (its `counterfactual` is then null). `memory` bounds how many explained situations are
    remembered (0: none, everything is built afresh; the advice is the same either way).
    """

    rulebase: Rulebase
    engine: Engine
    counterfactuals: bool = True
    memory: int = 8192
    as_of: dt.date | None = None  # the date of every advice, whatever the profile says

    def __post_init__(self) -> None:
        rules = self.rulebase.rules
        self._explainer = Explainer(self.rulebase)
        self._static = {rule_id: _static_members(rule) for rule_id, rule in rules.items()}
        self._texts = {rule_id: (_placeholders(rule.spec.reasons),
                                 _placeholders([*rule.spec.next_steps, *rule.spec.checklist]))
                       for rule_id, rule in rules.items()}
        self._steps = {rule_id: rule.spec.path_step for rule_id, rule in rules.items()}
        # Results are ordered by verdict, goals served (more first), rung on the ladder, id: as one number.
        by_rung = sorted(rules, key=lambda rule_id: (self._steps[rule_id], rule_id))
        self._places = {rule_id: place for place, rule_id in enumerate(by_rung)}
        self._rules = [(rule, rule_id, rule.spec.scope) for rule_id, rule in rules.items()]
        self._rulebase_ref = _json({"name": self.rulebase.info.name, "version": self.rulebase.version})
        small = min(self.memory, 4096)
        self._texts_shown, self._lists, self._warned = Memo(small), Memo(small), Memo(small)
        self._no_partnership = _no_partnership()
        self._plans, self._pieces = Memo(self.memory), Memo(self.memory)  # about 1 kB each
        self._failed_parts = Memo(small)
        self._leaf_numbers: dict = {}  # a number per condition: bounded by the rulebase
        self._trace_owners: dict[str, str] = {}  # what fired -> its rule: bounded by the rulebase
        self._engine_name = _json(self.engine.name)
        # Advice already given is looked up on one key: a counterfactual depends on every answer, so not with them.
        self._recall = self.memory > 0 and not self.counterfactuals
        self._reads = {rule_id: self._advice_reads(rule) for rule_id, rule in rules.items()}
        self._serves = {rule_id: frozenset(rule.spec.serves_goals) for rule_id, rule in rules.items()}
        self._advice_given = Memo(self.memory)
        self._unoffered = Memo(small)
        # Which rules are offered changes only on their validity dates: worked out once per period between them.
        self._dates = sorted({day for rule in rules.values() for day in (rule.spec.valid_from, rule.spec.valid_until)
                              if day is not None})
        self._offered = [tuple(rule.offered_on(day) for rule in rules.values()) for day in [dt.date.min, *self._dates]]

    def evaluate(self, profile: Profile, source: str | None = None, today: dt.date | None = None) -> Result:
        """The result contract as a model (parsed from `evaluate_json`, so both always agree)."""
        return Result.model_validate_json(self.evaluate_json(profile, source, today).json)

    def evaluate_json(self, profile: Profile, source: str | None = None,
                      today: dt.date | None = None) -> Evaluation:
        """The result contract as compact JSON, with each recommendation's verdict for summaries."""
        as_of = self.date_for(profile, today)
        outcomes = self.engine.evaluate(subjects_of(profile, as_of))
        by_scope: dict[str, list[SubjectOutcome]] = {"profile": [], "collaboration": []}
        for outcome in outcomes:
            by_scope[outcome.subject.scope].append(outcome)
        traces: dict[str, list[str]] = {}
        owners = self._trace_owners
        for outcome in outcomes:
            for fired in outcome.trace:  # "cnrs.irp:eligible" belongs to cnrs.irp
                owner = owners.get(fired) or owners.setdefault(fired, fired.rpartition(":")[0])
                traces.setdefault(owner, []).append(fired)
        partnerships = [b"".join((b',"index":', b"null" if o.subject.index == UNKNOWN_COLLABORATIONS
                                  else str(o.subject.index).encode(), b',"partner_country":',
                                  _json(o.subject.values.get("collaboration.partner_country")), b"}"))
                        for o in by_scope["collaboration"]]
        offered = self._offered[bisect.bisect_right(self._dates, as_of)]
        profile_outcome = by_scope["profile"][0]
        ranked = [self._advise(rule, by_scope[scope], profile_outcome, traces.get(rule_id, ()), partnerships) if on
                  else self._not_offered(rule, profile_outcome, as_of)
                  for (rule, rule_id, scope), on in zip(self._rules, offered)]
        ranked.sort(key=_first)
        advice = [a for _, a in ranked]
        path = sorted((a.id for a in advice if a.verdict == "recommended"), key=self._steps.__getitem__)
        head = b"".join((b'{"schema_version":1,"profile":{"name":', _json(profile.name), b',"source":', _json(source),
                         b'},"as_of":"', as_of.isoformat().encode(), b'","rulebase":', self._rulebase_ref,
                         b',"engine":', self._engine_name, b',"warnings":', self._warnings(as_of), b',"results":['))
        tail = b'],"path":' + self._listed(tuple(path)) + b"}"
        results = [a.json for a in advice] or [b""]
        results[0], results[-1] = head + results[0], results[-1] + tail  # 62 kB copied once, not twice
        return Evaluation(b",".join(results), as_of, advice)

    def date_for(self, profile: Profile, today: dt.date | None = None) -> dt.date:
        """The date a profile is advised for: this advisor's, else the profile's, else today."""
        return self.as_of or profile.as_of or today or dt.date.today()

    def maturity(self, profile: Profile) -> str | None:
        """How far the most advanced partnership has gone (the rulebase's `collaboration_maturity`), if known."""
        fact = self.rulebase.derived.get("collaboration_maturity")
        if fact is None:
            return None
        order = list(fact.spec.values)
        found = [o.derived.get(fact.id) for o in self.engine.evaluate(subjects_of(profile, self.date_for(profile)))
                 if o.subject.scope == "collaboration"]
        known = [value for value in found if value in order]
        return max(known, key=order.index) if known else None

    def _warnings(self, as_of: dt.date) -> bytes:
        """The result's warnings as JSON: a date past the rules' last verification says so."""
        found = self._warned.get(as_of)
        if found is None:
            verified = self.rulebase.info.last_verified
            warnings = [] if as_of <= verified else [
                f"advice is for {as_of.isoformat()}, but the rules were last verified on {verified.isoformat()}: "
                "check current calls and deadlines before applying"]
            found = self._warned.keep(as_of, _json(warnings))
        return found

    def _advice_reads(self, rule: Rule) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """What a rule's advice on one subject depends on, besides its decision and trace: the values its
        explanation, texts and goals read, and the answers whose presence alone matters (missing answers)."""
        reasons, steps = self._texts[rule.id]
        explained = self._explainer.reads(rule)
        values = {*explained, *reasons, *steps}  # and the goals it serves (see `_key`)
        presence = {name for field in explained for name in self.rulebase.input_dependencies(field)}
        return tuple(sorted(values)), tuple(sorted(presence - values))

    def _key(self, rule: Rule, outcome: SubjectOutcome, trace: list[str] | tuple) -> tuple:
        """The key a rule's whole advice on one subject is remembered on (see `_advice_reads`)."""
        values = outcome.values
        decision = outcome.decisions.get(rule.id, _UNDECIDED)
        reads, presence = self._reads[rule.id]
        return (rule.id, decision.eligible, decision.fit, outcome.subject.index == UNKNOWN_COLLABORATIONS,
                self._serves[rule.id].intersection(values.get("goals") or ()),
                *map(values.get, reads), *map(values.__contains__, presence), *trace)

    def _advise(self, rule: Rule, outcomes: list[SubjectOutcome], profile: SubjectOutcome, trace: list[str],
                partnerships: list[bytes]) -> tuple[int, RuleAdvice]:
        """An offered rule's advice for the profile, after its key for the ordering (verdict, goals served, step).

        `partnerships` ends each partnership's object in `collaborations` (its index and country).
        """
        if rule.spec.scope == "profile" and self._recall:  # the whole advice, on one key
            key = self._key(rule, profile, trace)
            found = self._advice_given.get(key)
            return found if found is not None else self._advice_given.keep(
                key, self._advise_on(rule, outcomes, profile, trace, ()))
        return self._advise_on(rule, outcomes, profile, trace, partnerships)

    def _advise_on(self, rule: Rule, outcomes: list[SubjectOutcome], profile: SubjectOutcome,
                   trace: list[str] | tuple, partnerships: list[bytes]) -> tuple[int, RuleAdvice]:
        if rule.spec.scope == "collaboration" and not outcomes:
            return self._assembled(rule, self._no_partnership, profile, b"null", trace)
        goals = profile.values.get("goals") or ()  # the profile's, the same on every partnership
        served = tuple(g for g in rule.spec.serves_goals if g in goals)
        pieces = [self._assess(rule, outcome, served) for outcome in outcomes]
        ranks = [_RANK[p.verdict] for p in pieces]
        at = ranks.index(min(ranks))  # the best verdict speaks for the rule
        collaborations = b"null"
        if rule.spec.scope == "collaboration":
            collaborations = b"[" + b",".join(b"{" + p.members + end for p, end in zip(pieces, partnerships)) + b"]"
        return self._assembled(rule, pieces[at], outcomes[at], collaborations, trace)

    def _assembled(self, rule: Rule, piece: Piece, chosen: SubjectOutcome, collaborations: bytes,
                   trace: list[str] | tuple) -> tuple[int, RuleAdvice]:
        """The advice's JSON object, after its key for the ordering; `chosen` fills the texts' placeholders."""
        text = b"".join((b"{", self._static[rule.id], b",", piece.members, b",", self._rendered(rule, chosen),
                         b',"collaborations":', collaborations, b',"trace":', self._listed(tuple(trace)), b"}"))
        order = (_RANK[piece.verdict] * _SERVED_BOUND - piece.served) * len(self._places) + self._places[rule.id]
        return order, RuleAdvice(rule.id, piece.verdict, piece.failed, text, piece.members)

    def _not_offered(self, rule: Rule, profile: SubjectOutcome, as_of: dt.date) -> tuple[int, RuleAdvice]:
        """An instrument not offered on the date. A reason that shows the date is remembered around it (the JSON
        on either side of the date), so that advice for varied dates is remembered all the same."""
        early = rule.spec.valid_from is not None and as_of < rule.spec.valid_from
        key = (rule.id, early, *map(profile.values.get, self._texts[rule.id][1]))  # and the values its steps show
        found = self._unoffered.get(key)
        if found is None:
            piece = Piece("not_offered", 0, _assessment("not_offered", _json(self._not_offered_reason(rule, early))), ())
            order, advice = self._assembled(rule, piece, profile, b"null", ())
            found = self._unoffered.keep(key, (order, advice.json.split(_DATE_JSON), piece.members.split(_DATE_JSON)))
        order, text, assessment = found
        if early:  # the date goes where the reason shows it
            day = as_of.isoformat().encode()
            return order, RuleAdvice(rule.id, "not_offered", (), day.join(text), day.join(assessment))
        return order, RuleAdvice(rule.id, "not_offered", (), text[0], assessment[0])

    def _listed(self, items: tuple[str, ...]) -> bytes:
        """A few names (goals, fired rules) as a JSON list; the same few recur, so each is encoded once."""
        found = self._lists.get(items)
        return found if found is not None else self._lists.keep(items, _json(items))

    def _rendered(self, rule: Rule, chosen: SubjectOutcome) -> bytes:
        """The next steps and checklist, with the profile's values in their placeholders."""
        values = chosen.values
        key = (rule.id, *map(values.get, self._texts[rule.id][1]))
        found = self._texts_shown.get(key)
        if found is None:
            spec = rule.spec
            found = self._texts_shown.keep(key, b'"next_steps":' + _json([render(t, values) for t in spec.next_steps])
                                     + b',"checklist":' + _json([render(t, values) for t in spec.checklist]))
        return found

    def _not_offered_reason(self, rule: Rule, early: bool) -> str:
        """Why a rule is not offered: too early (the date of the advice shows as `_DATE`), or withdrawn."""
        spec = rule.spec
        if early:
            return f"{spec.title} is offered from {spec.valid_from.isoformat()}; the advice is for {_DATE}."
        last_day = spec.valid_until - dt.timedelta(days=1)
        text = f"{spec.title} was offered until {last_day.isoformat()}."
        if spec.successor:
            successor = self.rulebase.rules[spec.successor].spec
            text += f" Its successor is {successor.title} ({successor.id})."
        return text

    def _assess(self, rule: Rule, outcome: SubjectOutcome, served: tuple[str, ...]) -> Piece:
        """The verdict on one subject with its explanation, remembered on what it depends on.

        That is the decision, the values the explanation reads (its situation), the goals it serves
        and, by verdict, whether the answers that would settle it are given, or the values its
        reasons show. A `not_eligible` assessment is assembled from its failed conditions, each
        remembered on its own (rules failing alike share them), plus its counterfactual if asked.
        """
        values = outcome.values
        decision = outcome.decisions.get(rule.id, _UNDECIDED)
        unknown_partnerships = outcome.subject.index == UNKNOWN_COLLABORATIONS
        situation = self._explainer.situation(rule, values, decision.eligible, decision.fit, unknown_partnerships)
        plan = self._plans.get(situation)
        if plan is None:
            plan = self._plans.keep(situation, self._plan(rule, decision, values))
        verdict, explanation, reads, presence_only = plan.verdict, plan.explanation, plan.reads, plan.presence_only
        if verdict == "not_eligible":  # assembled from failed conditions, which rules failing alike share
            return self._not_eligible(rule, outcome, plan.failures, served)
        read = tuple(values.get(name) is None for name in reads) if presence_only else tuple(map(values.get, reads))
        key = (situation, served, read)
        found = self._pieces.get(key)
        if found is None:
            if verdict == "undecided":
                missing = missing_from(self.rulebase, explanation, values, unknown_partnerships,
                                       decision.fit is Truth.UNKNOWN)
                found = _piece(_undecided(explanation, decision, served, missing), len(served))
            else:
                found = _piece(_eligible(rule, verdict, values, explanation, served), len(served))
            self._pieces.keep(key, found)
        return found

    def _plan(self, rule: Rule, decision: Decision, values: dict) -> Plan:
        verdict = verdict_of(decision)
        explanation = self._explainer.eligibility(rule, values)
        if verdict == "not_eligible":
            failures = tuple(((self._leaf_numbers.setdefault(check.leaf, len(self._leaf_numbers)), check.actual),
                              self._explainer.because_fields(check.leaf), check) for check in explanation.failed)
            return Plan(verdict, explanation, failures=failures)
        if verdict == "undecided":
            behind = {name for check in explanation.unknown
                      for name in self.rulebase.input_dependencies(check.leaf.field)}
            return Plan(verdict, explanation, tuple(sorted(behind)), presence_only=True)
        return Plan(verdict, explanation, self._texts[rule.id][0])

    def _not_eligible(self, rule: Rule, outcome: SubjectOutcome, failures: tuple, served: tuple[str, ...]) -> Piece:
        """A `not_eligible` assessment, assembled from its failed conditions (and its counterfactual, if asked)."""
        values = outcome.values
        parts = []
        for key, because, check in failures:
            if because:
                key = (*key, *map(values.get, because))
            part = self._failed_parts.get(key)
            parts.append(part if part is not None else self._failed_parts.keep(key, self._failed_part(check, values)))
        found = None
        if self.counterfactuals:
            found = counterfactual.find(self.rulebase, rule, outcome.subject.values,
                                        [check.leaf for _, _, check in failures])
        members = _assessment("not_eligible", b",".join(map(_REASON, parts)), b",".join(map(_CONDITION, parts)),
                              b"null" if found is None else _object(found), self._listed(served))
        return Piece("not_eligible", len(served), members, tuple(map(_SAYS, parts)))

    def _failed_part(self, check: Check, values: dict) -> FailedPart:
        """A failed condition with the actual and required values, and the answers behind a derived fact."""
        leaf = check.leaf
        condition = _built(FailedCondition, {}, field=leaf.field, says=leaf.describe(), actual=shown(check.actual),
                           required=leaf.required(), because=self._explainer.because(leaf, values))
        reason = (f"Condition not met: {condition.says} (yours: {_shown(condition.actual)}; "
                  f"required: {condition.required}).")
        return FailedPart(condition.says, _json(reason), _object(condition))


def _undecided(explanation: Explanation, decision: Decision, served: tuple[str, ...],
               missing: list[str]) -> Assessment:
    reasons = ["Needs your answer on: " + ", ".join(LABELS.get(m, m) for m in missing) + "."]
    if decision.eligible is Truth.TRUE:
        reasons += passed_reasons(explanation)
    return _built(Assessment, {}, verdict="undecided", goals_served=list(served), missing=missing, reasons=reasons)


def _eligible(rule: Rule, verdict: str, values: dict, explanation: Explanation, served: tuple[str, ...]) -> Assessment:
    reasons = [render(t, values) for t in rule.spec.reasons] + passed_reasons(explanation)
    if served:
        reasons.append("It serves your goal" + ("s" if len(served) > 1 else "") + ": "
                       + ", ".join(_goal_label(g) for g in served) + ".")
    else:
        reasons.append("You are eligible, though none of your stated goals calls for it.")
    return _built(Assessment, {}, verdict=verdict, goals_served=list(served), reasons=reasons)


def _assessment(verdict: str, reasons: bytes, failed: bytes = b"", counterfactual: bytes = b"null",
                goals: bytes = b"[]") -> bytes:
    """The members of an `Assessment` (no braces) from JSON already encoded: the lists' items, the other values."""
    return b"".join((b'"verdict":"', verdict.encode(), b'","counterfactual":', counterfactual, b',"reasons":[', reasons,
                     b'],"failed_conditions":[', failed, b'],"missing":[],"goals_served":', goals))


def _object(model, include: set[str] | None = None) -> bytes:
    """A result model as compact JSON, as its contract says."""
    return model.__pydantic_serializer__.to_json(model, include=include)


def _members(model, include: set[str] | None = None) -> bytes:
    """A model as JSON object members, without the braces, ready to splice into a larger object."""
    return _object(model, include)[1:-1]


def _no_partnership() -> Piece:
    """The assessment of an instrument given per partnership, for a profile that declares none."""
    none = _built(FailedCondition, {}, field="collaborations", says="a foreign partnership exists", actual=[],
                  required="at least one partnership", because=[])
    return _piece(_built(Assessment, {}, verdict="not_eligible", failed_conditions=[none],
                         reasons=["It is given per partnership, and no foreign partnership is declared yet."]), 0)


def _static_members(rule: Rule) -> bytes:
    """A rule's fixed fields (id, title, summary, key facts, sources...) as JSON members."""
    fixed = _built(Advice, {name: getattr(rule.spec, name) for name in _STATIC_FIELDS}, verdict="not_offered")
    return _members(fixed, include=set(_STATIC_FIELDS))


def _first(pair: tuple):
    return pair[0]


def _piece(assessment: Assessment, served: int) -> Piece:
    return Piece(assessment.verdict, served, _members(assessment),
                 tuple(f.says for f in assessment.failed_conditions))


def _placeholders(templates: list[str]) -> tuple[str, ...]:
    """The fields a list of texts shows (its `{field}` placeholders)."""
    return tuple(sorted({name for text in templates for name in PLACEHOLDER.findall(text)}))


_UNDECIDED = Decision()
_SERVED_BOUND = 1000  # more goals than a rule could serve (the goal vocabulary is a dozen)
_DATE = "\x00"  # stands for the date of the advice in a remembered reason (texts never hold control characters)
_DATE_JSON = _json(_DATE)[1:-1]


def _built(model, base: dict, **values):
    """A result model from trusted values, without validation (the advice is built from checked data).

    This is what pydantic's `model_construct` does, minus its per-field bookkeeping, which cost
    more than the whole explanation; the result these models are serialised into is validated
    when it is parsed (`Advisor.evaluate`), and tests validate it against the contract.
    """
    template, lists = _DEFAULTS[model]
    fields = {**template, **dict.fromkeys(lists, None), **base, **values}
    for name in lists:
        if fields[name] is None:
            fields[name] = []
    built = model.__new__(model)
    object.__setattr__(built, "__dict__", fields)
    object.__setattr__(built, "__pydantic_fields_set__", set(fields))
    object.__setattr__(built, "__pydantic_extra__", None)
    object.__setattr__(built, "__pydantic_private__", None)
    return built


_DEFAULTS = {model: ({name: info.default for name, info in model.model_fields.items() if info.default_factory is None},
                     [name for name, info in model.model_fields.items() if info.default_factory is list])
             for model in (Advice, Assessment, FailedCondition)}


def _shown(value) -> str:
    return "none" if value in (None, []) else format_value(value)
