"""The catalogue of a rulebase (`advisor rules docs`): every instrument and route, generated from the rules.

The rules are turned into plain views (conditions in words, dates, sources),
then rendered by the Jinja2 templates in advisor/render/templates/: Markdown, or one
self-contained HTML page with everything escaped.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined

from advisor.contract.words import SOURCE_STATUS
from advisor.rulebase.conditions import PLAIN, TRUE, All, Condition, Leaf, format_value
from advisor.rulebase.loader import PLACEHOLDER, Rule, Rulebase

KINDS = {"cnrs_label": "CNRS labels", "programme": "Programmes", "route": "Routes"}


@dataclass
class ConditionView:
    """A condition in words: a sentence, or 'all of' / 'any of' a list."""

    text: str
    items: list["ConditionView"] = field(default_factory=list)
    fact: str | None = None  # the derived fact a sentence reads, for a link to its definition


def _words(value) -> str:
    return format_value(value).replace("_", " ")


def sentence(rulebase: Rulebase, leaf: Leaf) -> str:
    """A comparison in plain language: its `says`, or one made from the field's label."""
    if leaf.says:
        return leaf.describe()
    spec = rulebase.fields.get(leaf.field)
    label = spec.label if spec else leaf.field
    if spec is not None and spec.type == "bool" and leaf.op in ("is", "is_not"):
        return f"{label}: {'yes' if (leaf.value is True) == (leaf.op == 'is') else 'no'}"
    return f"{label} {PLAIN[leaf.op]} {_words(leaf.value)}"


def condition_view(rulebase: Rulebase, cond: Condition) -> ConditionView:
    if isinstance(cond, Leaf):
        return ConditionView(sentence(rulebase, cond), fact=cond.field if cond.field in rulebase.derived else None)
    if len(cond.items) == 1 and not cond.says:
        return condition_view(rulebase, cond.items[0])
    heading = cond.says or ("all of these" if isinstance(cond, All) else "at least one of these")
    return ConditionView(heading, [condition_view(rulebase, item) for item in cond.items])


def top_view(rulebase: Rulebase, cond: Condition) -> ConditionView:
    """A whole condition as an introduction ('all of these hold') and its list of parts."""
    view = condition_view(rulebase, cond)
    if not view.items:
        return ConditionView("this holds", [view])
    intro = {"all of these": "all of these hold", "at least one of these": "at least one of these holds"}
    return ConditionView(intro.get(view.text, view.text), view.items)


def fill_placeholders(rulebase: Rulebase, text: str) -> str:
    """`{collaboration.partner_country}` shown as `[partner's country]`: the catalogue has no profile to fill it."""
    return PLACEHOLDER.sub(lambda m: f"[{rulebase.fields[m.group(1)].label}]" if m.group(1) in rulebase.fields
                           else m.group(0), text)


@dataclass
class RuleView:
    rule: Rule
    conditions: ConditionView | None
    successor_title: str | None
    replaces: list[tuple[str, str]]
    offered: bool  # on the date the rules were last verified

    def __getattr__(self, name):
        return getattr(self.rule.spec, name)

    @property
    def last_day(self) -> dt.date | None:
        """The last day it is offered (valid_until is the first day it is not)."""
        return self.rule.spec.valid_until - dt.timedelta(days=1) if self.rule.spec.valid_until else None


def _rule_view(rulebase: Rulebase, rule: Rule) -> RuleView:
    rules = rulebase.rules
    conditions = None if rule.eligibility == TRUE else top_view(rulebase, rule.eligibility)
    successor = rules.get(rule.spec.successor or "")
    replaced = [(r, rules[r].spec.title if r in rules else r) for r in rule.spec.replaces]
    verified = rulebase.info.last_verified
    return RuleView(rule, conditions, successor.spec.title if successor else None, replaced,
                    verified is None or rule.offered_on(verified))


def _derived_views(rulebase: Rulebase) -> list[dict]:
    views = []
    for fact in rulebase.derived.values():
        cases = []
        for j, case in enumerate(fact.spec.cases):
            _, effective = fact.cases[j]
            when = effective.items[-1]
            cases.append({"value": _words(case.value), "when": None if when == TRUE else top_view(rulebase, when)})
        views.append({"id": fact.id, "description": fact.spec.description, "scope": fact.spec.scope,
                      "cases": cases, "sources": fact.spec.sources})
    return views


def safe_url(url: str | None) -> str | None:
    """Only web and mail links; anything else (javascript:, data:) is shown as text, never linked."""
    if not url or not url.lower().startswith(("https://", "http://", "mailto:")):
        return None
    return quote(url, safe=":/?#[]@!$&'*+,;=%~")


def markdown_escape(text) -> str:
    """Text as Markdown shows it literally (no emphasis, links, HTML or table breaks)."""
    text = str(text)
    for char in "\\`*_[]<>|":
        text = text.replace(char, "\\" + char)
    return text.replace("\n", " ")


def render_catalogue(rulebase: Rulebase, fmt: str = "markdown") -> str:
    """The catalogue of `rulebase` as Markdown or as one self-contained HTML page."""
    env = Environment(loader=PackageLoader("advisor.render", "templates"), autoescape=fmt == "html",
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["md"] = markdown_escape
    env.filters["safe_url"] = safe_url
    env.filters["words"] = _words
    env.filters["filled"] = lambda text: fill_placeholders(rulebase, text)
    env.filters["anchor"] = lambda rule_id: rule_id.replace(".", "-").replace("_", "-")
    views = [_rule_view(rulebase, r) for r in rulebase.rules.values()]
    groups = [(title, sorted((v for v in views if v.kind == kind), key=lambda v: (not v.offered, v.path_step, v.id)))
              for kind, title in KINDS.items()]
    template = env.get_template("catalogue.md.j2" if fmt == "markdown" else "catalogue.html.j2")
    text = template.render(info=rulebase.info, groups=[g for g in groups if g[1]], derived=_derived_views(rulebase),
                           status=SOURCE_STATUS)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n" if fmt == "markdown" else text
