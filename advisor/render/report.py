"""The report handed to the researcher, in Markdown or self-contained HTML (jinja2 templates).

Content comes from the result contract; the profile gives the situation, the
session its notes and scenarios. Fields the researcher did not want shared are
left out everywhere the report would show their value.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from advisor.contract.fields import LABELS
from advisor.contract.profile import Profile
from advisor.contract.result import ExplainedResult, ExplainedRuleResult
from advisor.render.ladder import build_ladder
from advisor.rulebase.loader import PLACEHOLDER, Rulebase

PERSONAL_FIELDS = ("name", "nationality", "gender")
WITHHELD = "withheld"
SITUATION_SKIPPED = {"schema_version", "name", "as_of", "questionnaire", "collaborations", "goals"}
COLLABORATION_COLUMNS = ("partner_country", "partner_type", "stage", "joint_publications", "years_active",
                         "countries", "labs")
FORMATS = {"markdown": "report.md.j2", "html": "report.html.j2"}


@dataclass
class ReportInput:
    """Everything a report shows."""

    result: ExplainedResult
    profile: Profile
    rulebase: Rulebase
    maturity: str | None = None
    session: str | None = None
    notes: list[dict[str, Any]] = field(default_factory=list)
    scenarios: list[dict[str, Any]] = field(default_factory=list)
    withheld: frozenset[str] = frozenset()
    produced: dt.datetime = field(default_factory=lambda: dt.datetime.now().astimezone())


def _label(name: str) -> str:
    return LABELS.get(name, LABELS.get("collaboration." + name, name.replace("_", " ")))


def _text(value: Any) -> str:
    if value is None:
        return "not answered"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value) or "none"
    return str(value).replace("_", " ") if isinstance(value, str) and value.islower() else str(value)


class _Redactor:
    """Hides the values of withheld fields, and of computed or derived facts that depend on them."""

    def __init__(self, rulebase: Rulebase, withheld: frozenset[str]):
        self.rulebase, self.withheld = rulebase, withheld

    def hides(self, name: str) -> bool:
        if not self.withheld:
            return False
        deps = self.rulebase.input_dependencies(name) if name in self.rulebase.fields else {name}
        return bool(deps & self.withheld)

    def advice(self, advice: ExplainedRuleResult) -> ExplainedRuleResult:
        if not self.withheld:
            return advice
        templates = self.rulebase.rules[advice.id].spec.reasons if advice.id in self.rulebase.rules else []
        reasons = list(advice.reasons)
        if advice.verdict in ("recommended", "possible"):  # the rule's own reasons come first (advice/prose.py)
            reasons = [r for i, r in enumerate(reasons) if i >= len(templates)
                       or not any(self.hides(p) for p in PLACEHOLDER.findall(templates[i]))]
        failed = list(advice.failed_conditions)
        if advice.verdict == "not_eligible":  # one reason per failed condition (advice/prose.py), quoting the answer
            for i, condition in enumerate(failed):
                if self.hides(condition.field):
                    failed[i] = condition.model_copy(update={"actual": WITHHELD, "because": []})
                    reasons[i] = f"{condition.says} (required: {condition.required}; the answer is {WITHHELD})."
        return advice.model_copy(update={"reasons": reasons, "failed_conditions": failed})


def _situation(profile: Profile, withheld: frozenset[str]) -> dict[str, Any]:
    rows = [(_label(name), _text(getattr(profile, name))) for name in Profile.model_fields
            if name not in SITUATION_SKIPPED and name not in withheld]
    collaborations = None
    if profile.collaborations is not None:
        collaborations = [[_text(getattr(c, column)) for column in COLLABORATION_COLUMNS]
                          for c in profile.collaborations]
    return {"rows": rows, "goals": [_text(g) for g in profile.goals or []] if profile.goals is not None else None,
            "collaborations": collaborations,
            "collaboration_columns": [_label(c) for c in COLLABORATION_COLUMNS]}


def _scenario(data: dict[str, Any], redactor: _Redactor) -> dict[str, Any]:
    changes = []
    for change in data.get("changes", []):
        target = re.split(r"[=\s]", str(change).removeprefix("unset "), maxsplit=1)[0]
        field_name = re.sub(r"^collaborations\[\d+\]\.", "", target)
        changes.append(f"{target} ({WITHHELD})" if redactor.hides(field_name) else str(change))
    return {"name": data.get("name", "?"), "at": data.get("at", ""), "changes": changes,
            "verdict_changes": data.get("verdict_changes", [])}


def report_context(data: ReportInput) -> dict[str, Any]:
    """What the templates read (plain values; the templates escape them)."""
    redactor = _Redactor(data.rulebase, data.withheld)
    result = data.result
    advice = [redactor.advice(a) for a in result.results]
    by_verdict = {v: [a for a in advice if a.verdict == v]
                  for v in ("recommended", "possible", "undecided", "not_eligible", "not_offered")}
    steps = {rule_id: rule.spec.path_step for rule_id, rule in data.rulebase.rules.items()}
    titles = {a.id: a.title for a in advice}
    show_name = "name" not in data.withheld
    who = (data.profile.name if show_name else None) or "the researcher"
    return {
        "who": who,
        "session": data.session if show_name else None,
        "source": result.profile.source if show_name else None,
        "produced": data.produced.strftime("%Y-%m-%d %H:%M"),
        "as_of": result.as_of.isoformat(),
        "rulebase": result.rulebase,
        "engine": result.engine,
        "warnings": result.warnings,
        "situation": _situation(data.profile, data.withheld),
        "ladder": build_ladder(result.model_copy(update={"results": advice}), steps, data.maturity),
        "path": [titles[i] for i in result.path],
        "next_steps": [a for a in sorted(by_verdict["recommended"], key=lambda a: steps.get(a.id, 0))],
        **by_verdict,
        "notes": data.notes,
        "scenarios": [_scenario(s, redactor) for s in data.scenarios],
        "withheld": sorted(_label(f) for f in data.withheld),
    }


def md_escape(value: Any) -> str:
    """Text for Markdown: HTML and Markdown syntax characters are escaped, lines kept in one cell."""
    text = str(value).replace("<", "&lt;").replace(">", "&gt;")
    text = re.sub(r"([\\`*_\[\]#|!])", r"\\\1", text)
    return re.sub(r"\s*\n\s*", " ", text)


def _safe_url(url: str | None) -> str | None:
    return url if url and re.match(r"^https?://", url) else None


@functools.lru_cache(maxsize=1)
def _environment():
    env = Environment(loader=PackageLoader("advisor.render", "templates"), undefined=StrictUndefined,
                      autoescape=lambda name: bool(name and name.endswith(".html.j2")), trim_blocks=True,
                      lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["md"] = md_escape
    env.filters["label"] = lambda v: str(v).replace("_", " ")
    env.filters["safe_url"] = _safe_url
    return env


def render_report(context: dict[str, Any], fmt: str) -> str:
    """The report as Markdown or HTML text (HTML autoescaped, Markdown through the `md` filter)."""
    text = _environment().get_template(FORMATS[fmt]).render(**context)
    if fmt == "markdown":  # one blank line before each heading and between blocks, whatever the template's loops
        text = re.sub(r"\n*(\n#{1,6} )", r"\n\n\1", text)
        text = re.sub(r"\n{3,}", "\n\n", text)
    return text
