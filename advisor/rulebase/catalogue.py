"""The catalogue of a rulebase: each rule's fixed text, as results refer to it (`advisor.contract.catalogue`)."""

from __future__ import annotations

from advisor.contract.catalogue import (
    Catalogue,
    ConditionText,
    FactText,
    RulebaseRef,
    RuleText,
)
from advisor.contract.fields import LABELS, VALUE_LABELS
from advisor.contract.words import Words
from advisor.rulebase.conditions import Leaf
from advisor.rulebase.loader import Rule, Rulebase


def catalogue_of(rulebase: Rulebase) -> Catalogue:
    """The fixed texts; a number that is a dated parameter reads as its value when the rules were last verified
    (each result's failed conditions give the value on its own date)."""
    labels = {**LABELS, **{name: spec.label for name, spec in rulebase.fields.items()}}
    words = words_of(rulebase)
    verified = rulebase.info.last_verified
    values = {p.field.name: p.on(verified) for p in rulebase.dated.parameters.values()} if verified else {}
    return Catalogue(rulebase=reference(rulebase), labels=labels, values=words.values, glossary=rulebase.info.glossary,
                     rules={rule_id: _rule_text(rule, values, words) for rule_id, rule in rulebase.rules.items()},
                     facts={fact_id: FactText(id=fact_id, description=fact.spec.description,
                                              conditions=[condition_text(leaf, values, words)
                                                          for leaf in fact.conditions])
                            for fact_id, fact in rulebase.derived.items()})


def words_of(rulebase: Rulebase) -> Words:
    """The words of a rulebase's fields and values: the contract's, and those its derived facts give."""
    return Words({name: spec.label for name, spec in rulebase.fields.items()},
                 {**VALUE_LABELS, **{fact_id: fact.spec.labels for fact_id, fact in rulebase.derived.items()
                                     if fact.spec.labels}})


def reference(rulebase: Rulebase) -> RulebaseRef:
    return RulebaseRef(name=rulebase.info.name, version=rulebase.version)


def condition_text(leaf: Leaf, values: dict, words: Words) -> ConditionText:
    """A condition as people read it; what it requires is in words (numbers with their value when the rules were
    last verified)."""
    return ConditionText(field=leaf.field, says=leaf.describe(),
                         required=leaf.required(values, lambda v: words.value(leaf.field, v)))


def _rule_text(rule: Rule, values: dict, words: Words) -> RuleText:
    spec = rule.spec
    return RuleText(id=spec.id, title=spec.title, kind=spec.kind, summary=spec.summary, scope=spec.scope,
                    path_step=spec.path_step, valid_from=spec.valid_from, valid_until=spec.valid_until,
                    successor=spec.successor, eras=[era.model_dump() for era in spec.eras],
                    serves_goals=list(spec.serves_goals), reasons=spec.reasons,
                    next_steps=spec.next_steps, checklist=spec.checklist, key_facts=spec.key_facts,
                    sources=spec.sources, page=spec.page, conditions=[condition_text(leaf, values, words) for leaf in rule.conditions])
