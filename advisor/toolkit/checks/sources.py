"""Sources: every fact of the rulebase should be checkable by its readers."""

from __future__ import annotations

from advisor.toolkit.checks.catalog import Context, check, rule_problem

CHECKED = ("confirmed", "confirmed_secondary", "talk")


def _cited(context: Context):
    """(sources, where to report) for every rule and derived fact."""
    for rule in context.rulebase.rules.values():
        yield rule.id, rule.spec.sources, lambda at, message, fix, rule=rule: rule_problem(rule, at, message, fix)
    if context.facts is not None:
        for fact in context.rulebase.derived.values():
            yield fact.id, fact.spec.sources, \
                lambda at, message, fix, fact=fact: context.fact_problem(fact.id, at, message, fix)


@check("R502", "unconfirmed-sources", "warning", "none of the sources of a rule or fact confirms it")
def unconfirmed_sources(context: Context):
    for owner, sources, problem in _cited(context):
        if sources and not any(s.status in CHECKED for s in sources):
            yield problem(("sources",), f"{owner} rests only on unconfirmed sources",
                          "find a source that confirms it (status: confirmed), or say so in the rule's summary")


@check("R503", "source-without-url", "warning", "a source marked confirmed has no URL to check it")
def source_without_url(context: Context):
    for owner, sources, problem in _cited(context):
        for i, source in enumerate(sources):
            if source.status in ("confirmed", "confirmed_secondary") and not source.url:
                yield problem(("sources", i), f"the {source.status} source '{source.title}' of {owner} has no url",
                              "add its url, so readers can check it")
