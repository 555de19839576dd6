"""The catalogue of a rulebase: each rule's fixed text, as results refer to it (`advisor.contract.catalogue`)."""

from __future__ import annotations

from advisor.contract.catalogue import (
    Catalogue,
    ConditionText,
    FactText,
    RulebaseRef,
    RuleText,
)
from advisor.contract.fields import LABELS
from advisor.rulebase.conditions import Leaf
from advisor.rulebase.loader import Rule, Rulebase


def catalogue_of(rulebase: Rulebase) -> Catalogue:
    """The fixed texts; a number that is a dated parameter reads as its value when the rules were last verified
    (each result's failed conditions give the value on its own date)."""
    labels = {**LABELS, **{name: spec.label for name, spec in rulebase.fields.items()}}
    verified = rulebase.info.last_verified
    values = {p.field.name: p.on(verified) for p in rulebase.dated.parameters.values()} if verified else {}
    return Catalogue(rulebase=reference(rulebase), labels=labels,
                     rules={rule_id: _rule_text(rule, values) for rule_id, rule in rulebase.rules.items()},
                     facts={fact_id: FactText(id=fact_id, description=fact.spec.description,
                                              conditions=[condition_text(leaf, values) for leaf in fact.conditions])
                            for fact_id, fact in rulebase.derived.items()})


def reference(rulebase: Rulebase) -> RulebaseRef:
    return RulebaseRef(name=rulebase.info.name, version=rulebase.version)


def condition_text(leaf: Leaf, values: dict) -> ConditionText:
    return ConditionText(field=leaf.field, says=leaf.describe(), required=leaf.required(values))


def _rule_text(rule: Rule, values: dict) -> RuleText:
    spec = rule.spec
    return RuleText(id=spec.id, title=spec.title, kind=spec.kind, summary=spec.summary, scope=spec.scope,
                    path_step=spec.path_step, valid_from=spec.valid_from, valid_until=spec.valid_until,
                    successor=spec.successor, eras=[era.model_dump() for era in spec.eras],
                    serves_goals=list(spec.serves_goals), reasons=spec.reasons,
                    next_steps=spec.next_steps, checklist=spec.checklist, key_facts=spec.key_facts,
                    sources=spec.sources, conditions=[condition_text(leaf, values) for leaf in rule.conditions])
