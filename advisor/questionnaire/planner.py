"""Ask only what matters: which question to ask next, and why the others are not asked.

The partial profile is evaluated with the core's three-valued logic (the
plain-Python engine). A recommendation that is still undecided on some
subject (the profile, or one partnership) is an *open outcome*; the answers
it still needs are the inputs behind its unknown conditions. A question is
worth asking only while some open outcome needs its field. Among those, the
question that settles the most open outcomes comes first: for each value the
answer could take (every choice, yes and no, the numbers either side of each
threshold the rules compare with), count the open outcomes that the value
would decide, and average over the values.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from advisor.advice.assess import verdict_of
from advisor.advice.explain import missing_answers
from advisor.contract.fields import COLLAB
from advisor.contract.profile import Profile
from advisor.engines.python import PythonEngine, derive
from advisor.engines.subjects import UNKNOWN_COLLABORATIONS, Subject, subjects_of
from advisor.questionnaire.questions import Question, QuestionSet
from advisor.questionnaire.state import Answers, Step
from advisor.rulebase.conditions import Condition, Param, leaves
from advisor.rulebase.loader import Rule, Rulebase
from advisor.rulebase.logic import Truth, truth_of

# About this share of the questions that could still matter end up asked (measured over the
# example and generated profiles by benchmarks/bench_ask.py); progress shows "question n of about N".
ASKED_SHARE = 0.5
NEW_PARTNER = -2  # index of the blank partnership that "describe another partner?" would add
_OTHER = "\0other"  # a text value no rule compares with
PREFILLED = "already answered in the answers you started from"


@dataclass
class Open:
    """An undecided recommendation on one subject, and the input fields it still needs."""

    rule: Rule
    subject: Subject
    needs: set[str]


@dataclass
class Candidate:
    step: Step
    needed_by: list[Open]
    score: float


def _probes(rulebase: Rulebase) -> dict[str, list[dict[str, Any]]]:
    """For each input field, the changes that stand for the answers it could get."""
    compared: dict[str, set] = {}
    conditions = [c for rule in rulebase.rules.values() for c in (rule.eligibility, rule.fit)]
    conditions += [c for fact in rulebase.derived.values() for _, c in fact.cases]
    for leaf in (leaf for c in conditions for leaf in leaves(c)):
        values = leaf.value if isinstance(leaf.value, (list, tuple)) else (leaf.value,)
        for value in values:  # a parameter stands for each of its dated values
            dated = rulebase.dated.parameters[value.name].spec.values if isinstance(value, Param) else ()
            compared.setdefault(leaf.field, set()).update([v.value for v in dated] if dated else [value])

    def numbers(name: str) -> list[int]:
        near = {n + d for n in compared.get(name, ()) if isinstance(n, int) for d in (-1, 0, 1)}
        return sorted(n for n in near if n >= 0)

    probes: dict[str, list[dict[str, Any]]] = {}
    for name, spec in rulebase.fields.items():
        if spec.origin != "input":
            continue
        if spec.type == "bool":
            probes[name] = [{name: True}, {name: False}]
        elif spec.type == "enum":
            probes[name] = [{name: v} for v in spec.values]
        elif spec.type == "enum_list":
            probes[name] = [{name: ()}] + [{name: (v,)} for v in spec.values]
        elif spec.type == "text":
            probes[name] = [{name: v} for v in sorted(compared.get(name, ()))] + [{name: _OTHER}]
            for computed in rulebase.fields.values():  # e.g. whether a PHC exists, for the partner's country
                if computed.origin == "computed" and computed.type == "bool" and name in computed.depends_on:
                    probes[name] += [{name: _OTHER, computed.name: v} for v in (True, False)]
        elif spec.type == "int":
            probes[name] = [{name: n} for n in numbers(name)]
            for computed in rulebase.fields.values():  # e.g. the years since the PhD, for the PhD year
                if computed.origin == "computed" and name in computed.depends_on:
                    probes[name] += [{name: 0, computed.name: n} for n in numbers(computed.name)]
    return probes


def _readers(rulebase: Rulebase) -> dict[str, list[Rule]]:
    """The rules whose conditions depend on each input field."""
    readers: dict[str, list[Rule]] = {}
    for rule in rulebase.rules.values():
        names = {dep for c in (rule.eligibility, rule.fit) for leaf in leaves(c)
                 for dep in rulebase.input_dependencies(leaf.field)}
        for name in names:
            readers.setdefault(name, []).append(rule)
    return readers


def _decided(rule: Rule, values: dict[str, Any]) -> bool:
    eligible = rule.eligibility_test(values)
    return eligible is Truth.FALSE or (eligible is Truth.TRUE and rule.fit_test(values) is not Truth.UNKNOWN)


def _rank(candidate: Candidate) -> tuple:
    """`always` questions first, then the most outcomes settled, the most needed, the earliest partner and question."""
    step = candidate.step
    return (not step.question.spec.always, -candidate.score, -len(candidate.needed_by),
            -1 if step.partner is None else step.partner, step.question.order)


def describe_condition(condition: Condition) -> str:
    if getattr(condition, "says", None):
        return condition.says
    return "; ".join(leaf.describe() for leaf in leaves(condition))


class Situation:
    """One evaluation of the partial profile: its subjects and open outcomes."""

    def __init__(self, planner: "Planner", answers: Answers):
        rulebase = planner.rulebase
        self.planner = planner
        self.answers = answers
        profile = Profile.model_validate(answers.view())
        self.as_of = profile.as_of or planner.today
        subjects = subjects_of(profile, self.as_of, rulebase)
        if profile.collaborations:  # the partnership "describe another partner?" would add
            subjects.append(Subject("collaboration-new", "collaboration", dict(subjects[0].values), NEW_PARTNER))
        self.subjects = {s.index: s for s in subjects}
        self.derived: dict[int | None, dict[str, Any]] = {}
        self.opens: list[Open] = []
        offered = {rule_id for rule_id, rule in rulebase.rules.items() if rulebase.offered(rule, self.as_of)}
        for outcome in planner.engine.evaluate(subjects):
            subject = outcome.subject
            self.derived[subject.index] = outcome.derived
            values = {**subject.values, **outcome.derived}
            for rule in planner.engine.by_scope[subject.scope]:
                decision = outcome.decisions.get(rule.id)
                if rule.id not in offered or (decision and verdict_of(decision) != "undecided"):
                    continue
                fit_unknown = decision is None or decision.fit is Truth.UNKNOWN
                needs = set(missing_answers(rulebase, rule, values, False, fit_unknown))
                self.opens.append(Open(rule, subject, needs))

    def values(self, partner: int | None) -> dict[str, Any]:
        subject = self.subjects.get(partner) or self.subjects[None]
        return {**subject.values, **self.derived.get(subject.index, {})}

    def applies(self, question: Question, partner: int | None = None) -> bool:
        """A question's `when` can still hold (true or unknown) for the profile or that partnership."""
        return question.when is None or truth_of(question.when, self.values(partner)) is not Truth.FALSE

    def needed_by(self, step: Step) -> list[Open]:
        if step.another:
            return [o for o in self.opens if o.subject.index == NEW_PARTNER]
        if step.question.type == "group":
            return [o for o in self.opens if o.subject.index == UNKNOWN_COLLABORATIONS
                    and any(n.startswith(COLLAB) for n in o.needs)]
        name = step.question.field
        if step.partner is None:
            return [o for o in self.opens if name in o.needs and o.subject.index != NEW_PARTNER]
        return [o for o in self.opens if name in o.needs and o.subject.index == step.partner]

    def _probe(self, index: int | None, name: str, change: dict[str, Any]) -> dict[str, Any]:
        """A subject's values with one answer changed, and the derived facts that answer affects."""
        rulebase = self.planner.rulebase
        subject = self.subjects[index]
        values = {**subject.values, **self.derived[index], **change}
        affected = self.planner.affects.get(name, set())
        values.update(derive(rulebase, "profile", values, affected))
        if subject.scope == "collaboration":
            values.update(derive(rulebase, "collaboration", values, affected))
        return values

    def score(self, step: Step, needed_by: list[Open]) -> float:
        """The number of open outcomes the answer settles, averaged over the answers it could get."""
        if step.another:
            return 0.0
        if step.question.type == "group":
            # "none" settles them all, "yes" none yet; describing a partner takes several questions.
            return len(needed_by) / 2 / self.group_cost()
        name = step.question.field
        probes = self.planner.probes.get(name, [])
        if not probes or not needed_by:
            return 0.0
        by_subject: dict[int | None, list[Rule]] = {}
        for open_ in needed_by:
            by_subject.setdefault(open_.subject.index, []).append(open_.rule)
        settled = 0
        for change in probes:
            for index, rules in by_subject.items():
                values = self._probe(index, name, change)
                settled += sum(_decided(rule, values) for rule in rules)
        return settled / len(probes)

    def candidate(self, step: Step) -> Candidate | None:
        """The step as a candidate, if it is still to be asked and worth asking."""
        if self.answers.settled(step):
            return None
        if not self.applies(step.question, step.partner):
            return None
        needed_by = self.needed_by(step)
        if not needed_by and not step.question.spec.always:
            return None
        return Candidate(step, needed_by, self.score(step, needed_by))

    def group_cost(self) -> int:
        """About how many prompts describing the partnerships takes: one partner's questions, and the yes/no's."""
        questions = self.planner.questions
        needs = {n for o in self.needed_by(Step(questions.group)) for n in o.needs}
        return 2 + sum(1 for q in questions.partner_questions if q.spec.always or q.field in needs)

    def partner_steps(self) -> list[Step]:
        partners = self.answers.partners() or []
        return [Step(q, i) for i in range(len(partners)) for q in self.planner.questions.partner_questions]

    def group_open(self) -> bool:
        """Partnerships are being described and another one could still change the advice."""
        group = self.planner.questions.group
        partners = self.answers.partners()
        if group is None or not partners or not self.answers.settled(Step(group)) or self.answers.partners_done:
            return False
        return bool(self.needed_by(Step(group, len(partners) - 1, True)))


class Planner:
    """Decides the next question for a rulebase's questionnaire."""

    def __init__(self, rulebase: Rulebase, questions: QuestionSet, today: dt.date | None = None):
        self.rulebase = rulebase
        self.questions = questions
        self.today = today or dt.date.today()
        self.engine = PythonEngine(rulebase)
        self.probes = _probes(rulebase)
        self.readers = _readers(rulebase)
        self.affects: dict[str, set[str]] = {}  # input field -> the derived facts that depend on it
        for fact in rulebase.derived:
            for name in rulebase.input_dependencies(fact):
                self.affects.setdefault(name, set()).add(fact)

    def situation(self, answers: Answers) -> Situation:
        return Situation(self, answers)

    def candidates(self, answers: Answers, situation: Situation | None = None) -> list[Candidate]:
        """Every step worth asking now, the next one first."""
        situation = situation or self.situation(answers)
        group = self.questions.group
        partners = [c for c in map(situation.candidate, situation.partner_steps()) if c]
        others = [c for c in map(situation.candidate, [Step(q) for q in self.questions.profile_questions]) if c]
        if group is not None:
            others += filter(None, [situation.candidate(Step(group))])
        if not situation.group_open():
            return sorted(partners + others, key=_rank)
        # Finish describing the partnerships before anything else: the conversation stays on them.
        partners.sort(key=lambda c: (c.step.partner, _rank(c)))
        another = Step(group, len(answers.partners()) - 1, True)
        return partners + [Candidate(another, situation.needed_by(another), 0.0)] + sorted(others, key=_rank)

    def plan(self, answers: Answers) -> tuple[Step | None, int]:
        """The next step, and how many questions could still matter (the next one included)."""
        situation = self.situation(answers)
        found = self.candidates(answers, situation)
        count = len(found)
        group = self.questions.group
        if any(c.step == Step(group) for c in found):
            count += situation.group_cost() - 1  # the group question is already counted
        return (found[0].step if found else None), count

    @staticmethod
    def about(number: int, could_matter: int) -> int:
        """The total shown beside question `number` when `could_matter` questions (it included) still could."""
        return max(number, number - 1 + math.ceil(ASKED_SHARE * could_matter))

    def next_step(self, answers: Answers) -> Step | None:
        return self.plan(answers)[0]

    def why_not_asked(self, answers: Answers) -> dict[str, str]:
        """For every question not asked in this questionnaire, why (keyed by step)."""
        situation = self.situation(answers)
        asked = set(answers.history)
        steps = [Step(q) for q in self.questions.profile_questions]
        if self.questions.group is not None:
            steps.append(Step(self.questions.group))
        steps += situation.partner_steps()
        partners = answers.partners()
        if partners and not answers.partners_done and self.questions.group is not None:
            steps.append(Step(self.questions.group, len(partners) - 1, True))
        reasons = {}
        for step in steps:
            if step.key in asked:
                continue
            reason = self._reason(situation, step)
            if reason:
                reasons[step.key] = reason
        return reasons

    def _reason(self, situation: Situation, step: Step) -> str | None:
        question = step.question
        if step.another:
            return None if situation.needed_by(step) else "another partner would not change the advice"
        if situation.answers.settled(step):
            return PREFILLED
        if not situation.applies(question, step.partner):
            return f"does not apply: asked only when {describe_condition(question.when)}"
        if situation.needed_by(step) or question.spec.always:
            return "still needed: not answered yet"
        if question.type == "group":
            return "not needed: your other answers already settle the instruments given per partnership"
        readers = self.readers.get(question.field, [])
        if not readers:
            return "not needed: no recommendation reads it"
        titles = [r.spec.title for r in readers[:2]]
        more = f" and {len(readers) - 2} more" if len(readers) > 2 else ""
        return f"not needed: your other answers already settle what reads it ({', '.join(titles)}{more})"

