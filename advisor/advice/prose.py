"""The texts people read, made from a result and the catalogue of its rulebase: reasons, failed conditions
in words, the change that would help, next steps with the profile's values in their placeholders.

Only what shows text asks for it (the renderers, CSV, `--full` JSON); the result itself holds none.
Each rule's explanation is remembered on the result object it explains (results are frozen, and the
advisor hands out the same object for the same situation), so a batch words each situation once.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from advisor.advice.assess import best
from advisor.advice.memo import ByObject
from advisor.contract.catalogue import Catalogue, RuleText
from advisor.contract.result import (
    Assessment,
    Counterfactual,
    ExplainedAssessment,
    ExplainedCheck,
    ExplainedCounterfactual,
    ExplainedFailedCondition,
    ExplainedPartnership,
    ExplainedResult,
    ExplainedRuleResult,
    FailedCondition,
    NextCall,
    PartnershipResult,
    Result,
    RuleResult,
)
from advisor.contract.words import Words, day
from advisor.rulebase.dated import DatedFacts
from advisor.rulebase.loader import PLACEHOLDER

NO_PARTNERSHIP_SAYS = "a foreign partnership exists"
NO_PARTNERSHIP_REASON = "It is given per partnership, and no foreign partnership is declared yet."


def fill(template: str, shown: dict[str, Any], words: Words) -> str:
    """A text with the profile's values in its `{field}` placeholders, in words; an unknown one shows as its
    label in brackets."""
    def value(match: re.Match) -> str:
        name = match.group(1)
        return words.value(name, shown[name], sentence=True) if shown.get(name) is not None \
            else f"[{words.field(name)}]"
    return PLACEHOLDER.sub(value, template)


class Prose:
    """Words for the results of one catalogue (one rulebase version)."""

    def __init__(self, catalogue: Catalogue, dated: DatedFacts, memory: int = 8192):
        self.catalogue = catalogue
        self.dated = dated
        self.labels = catalogue.labels
        self.words = catalogue.words
        self._rules, self._partnerships, self._failed = ByObject(memory), ByObject(memory), ByObject(memory)

    def result(self, result: Result) -> ExplainedResult:
        """The whole result with its texts."""
        return ExplainedResult(**{name: getattr(result, name) for name in ExplainedResult.model_fields
                                  if name != "results"},
                               results=[self.rule_result(r, result.as_of) for r in result.results])

    def rule_result(self, result: RuleResult, as_of: dt.date) -> ExplainedRuleResult:
        """One recommendation with its texts, remembered on the result object (one not offered yet names the
        date in its reason: that reason is put into the remembered rest)."""
        dated = result.verdict == "not_offered" and self.names_the_date(result.id, as_of)
        era = self.catalogue.rules[result.id].era(as_of)
        found = self._rules.get(result, lambda: self._rule_result(result, as_of), dated, era)
        if dated:
            reason = self.not_offered_reason(self.catalogue.rules[result.id], as_of)
            return found.model_copy(update={"reasons": [reason]})
        return found

    def names_the_date(self, rule_id: str, as_of: dt.date) -> bool:
        """Whether the reason a rule is not offered names the date: not offered yet, or no call ahead in its era."""
        return self.early(rule_id, as_of) or (not self.withdrawn(rule_id, as_of)
                                              and self.dated.between_calls(rule_id, as_of))

    def withdrawn(self, rule_id: str, as_of: dt.date) -> bool:
        valid_until = self.catalogue.rules[rule_id].valid_until
        return valid_until is not None and as_of >= valid_until

    def early(self, rule_id: str, as_of: dt.date) -> bool:
        """Whether a rule is not offered yet on the date (its reason then names the date)."""
        valid_from = self.catalogue.rules[rule_id].valid_from
        return valid_from is not None and as_of < valid_from

    @staticmethod
    def title(text: RuleText, as_of: dt.date) -> str:
        """The name the recommendation had on that date."""
        era = text.era(as_of)
        return era.title if era else text.title

    def _rule_result(self, result: RuleResult, as_of: dt.date) -> ExplainedRuleResult:
        text = self.catalogue.rules[result.id]
        era = text.era(as_of)
        collaborations = None if result.collaborations is None else [self._partnership(p, text)
                                                                     for p in result.collaborations]
        if collaborations:  # the result is its best partnership's assessment, already worded
            speaks = best(collaborations)
            assessment = {name: getattr(speaks, name) for name in ExplainedAssessment.model_fields}
        else:
            assessment = self.assessment(result, text, as_of)
        return ExplainedRuleResult(
            id=result.id, next_call=result.next_call, next_call_says=call_says(result.next_call),
            collaborations=collaborations, title=self.title(text, as_of),
            page=result.next_call.page if result.next_call and result.next_call.page else text.page,
            kind=text.kind, summary=(era.summary if era and era.summary else text.summary), successor=text.successor, valid_from=text.valid_from, valid_until=text.valid_until,
            next_steps=[fill(t, result.shown, self.words) for t in text.next_steps],
            checklist=[fill(t, result.shown, self.words) for t in text.checklist],
            key_facts=text.key_facts, sources=text.sources, **assessment)

    def _partnership(self, result: PartnershipResult, text: RuleText) -> ExplainedPartnership:
        """One partnership's assessment with its texts, remembered on the object."""
        return self._partnerships.get(result, lambda: ExplainedPartnership(
            index=result.index, partner_country=result.partner_country,
            partner=self.words.partner(result.index or 0, result.partner_country, numbered=result.index is not None),
            **self.assessment(result, text)))

    def assessment(self, assessment: Assessment, text: RuleText, as_of: dt.date | None = None) -> dict[str, Any]:
        """The fields of an `ExplainedAssessment`: the assessment's own, the failed conditions and the counterfactual
        in words, and the reasons."""
        failed = [self.failed_condition(f, text) for f in assessment.failed_conditions]
        counterfactual = None
        if assessment.counterfactual is not None:
            changes = self.changes(assessment.counterfactual)
            counterfactual = ExplainedCounterfactual(changes=changes, text=self.counterfactual_text(assessment.counterfactual))
        fields = {name: getattr(assessment, name) for name in ExplainedAssessment.model_fields if name != "reasons"}
        return {**fields, "failed_conditions": failed, "counterfactual": counterfactual,
                "reasons": self.reasons(assessment, text, as_of)}

    def changes(self, counterfactual: Counterfactual) -> list[dict[str, Any]]:
        """A counterfactual's changes with each field's label."""
        return [{"field": c.field, "value": c.value, "label": self.words.field(c.field)}
                for c in counterfactual.changes]

    @staticmethod
    def says(failed: FailedCondition, text: RuleText) -> str:
        """What a failed condition says, in plain language."""
        return NO_PARTNERSHIP_SAYS if failed.condition is None else text.conditions[failed.condition].says

    def failed_condition(self, failed: FailedCondition, text: RuleText) -> ExplainedFailedCondition:
        """A failed condition in words, remembered on the object (the advice shares one for rules failing alike)."""
        return self._failed.get(failed, lambda: self._failed_condition(failed, text))

    def _failed_condition(self, failed: FailedCondition, text: RuleText) -> ExplainedFailedCondition:
        says = self.says(failed, text)
        fact = self.catalogue.facts.get(failed.field)
        because = [ExplainedCheck(condition=c.condition, actual=c.actual, says=fact.conditions[c.condition].says)
                   for c in failed.because] if fact else []
        return ExplainedFailedCondition(condition=failed.condition, field=failed.field, actual=failed.actual,
                                        required=failed.required, says=says, because=because)

    def reasons(self, assessment: Assessment, text: RuleText, as_of: dt.date | None) -> list[str]:
        """Why the verdict, in sentences."""
        verdict = assessment.verdict
        if verdict == "not_offered":
            return [self.not_offered_reason(text, as_of)]
        if verdict == "not_eligible":
            failed = assessment.failed_conditions
            if any(f.condition is None for f in failed):
                return [NO_PARTNERSHIP_REASON]
            return [self.not_met(f, text) for f in failed]
        held = [_sentence(text.conditions[n].says) for n in assessment.held_conditions]
        if verdict == "undecided" and not assessment.missing:  # every answer is there: a dated limit is not known
            return ["Cannot be decided for this date: the rules do not know a limit it needs on that date.", *held]
        if verdict == "undecided":
            return ["Needs your answer on: " + ", ".join(self.words.field(m) for m in assessment.missing) + ".",
                    *held]
        served = assessment.goals_served
        goals = ("It serves your goal" + ("s" if len(served) > 1 else "") + ": "
                 + self.words.choices("goals", served).replace(" or ", " and ") + ".") if served else \
            "You are eligible, though none of your stated goals calls for it."
        return [*(fill(t, assessment.shown, self.words) for t in text.reasons), *held, goals]

    def not_offered_reason(self, text: RuleText, as_of: dt.date) -> str:
        """Not offered on the date: too early, no call ahead, or withdrawn (and what replaced it)."""
        if self.early(text.id, as_of):
            reason = (f"{self.title(text, text.valid_from)} is offered from {day(text.valid_from)}; the advice is for "
                      f"{day(as_of)}.")
            then = [r for r in self.catalogue.rules.values() if r.successor == text.id and r.in_era(as_of)]
            if then:
                reason += " On that date, what it replaced was offered: " + ", ".join(
                    self.title(r, as_of) for r in then) + "."
            return reason
        if not self.withdrawn(text.id, as_of):
            last = self.dated.calls[text.id].last_before(as_of)
            since = f" since {last.name} closed on {day(last.closes)}" if last else ""
            return (f"No call of {self.title(text, as_of)} is open to an application on {day(as_of)}, and none "
                    f"is expected within a year and a half{since}.")
        last_day = text.valid_until - dt.timedelta(days=1)
        reason = f"{self.title(text, last_day)} was offered until {day(last_day)}."
        if text.successor:
            reason += f" Its successor is {self.title(self.catalogue.rules[text.successor], as_of)}."
        return reason

    def not_met(self, failed: FailedCondition, text: RuleText) -> str:
        """A failed condition in a sentence, with the answer and what is needed unless it says yes or no."""
        says = self.says(failed, text)
        if isinstance(failed.actual, bool):
            return f"Not met: {says}."
        return f"Not met: {says} (yours: {self.words.value(failed.field, failed.actual)}; " \
               f"needed: {self.required(failed, text)})."

    def required(self, failed: FailedCondition, text: RuleText) -> str:
        """What a failed condition needs, in words: from the catalogue, except numbers, which the result gives
        on its own date (a dated limit)."""
        if failed.condition is None or isinstance(failed.actual, (int, float)) and not isinstance(failed.actual, bool):
            return failed.required
        return text.conditions[failed.condition].required

    def counterfactual_text(self, counterfactual: Counterfactual) -> str:
        """The change that would help, in words: 'Eligible with partner type: a funding agency.'"""
        changes = [c for c in counterfactual.changes if c.field != "as_of"]
        when = next((c.value for c in counterfactual.changes if c.field == "as_of"), None)
        said = " and ".join(self.words.change(c.field, c.value) for c in changes)
        return ("Eligible" + (f" with {said}" if said else "")
                + (f" {self.words.change('as_of', when)} on" if when else "") + ".")


def call_says(call: NextCall | None) -> str | None:
    """The next call in words, saying when its dates are only expected from past calls."""
    if call is None:
        return None
    if call.opens is None:
        when = f"closes {day(call.closes)}"
    elif call.opens.year == call.closes.year:
        when = f"open {call.opens.day} {call.opens:%B} to {day(call.closes)}"
    else:
        when = f"open {day(call.opens)} to {day(call.closes)}"
    return f"Next call: {call.name}, {when}" + (" (expected, from past calls)." if call.expected else ".")


def _sentence(text: str) -> str:
    """A condition's words as a sentence of its own."""
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."
