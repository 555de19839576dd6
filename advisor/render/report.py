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
from typing import Any, Callable

from jinja2 import Environment, PackageLoader, StrictUndefined

from advisor.contract.catalogue import Catalogue
from advisor.contract.fields import COLLAB
from advisor.contract.profile import Profile
from advisor.contract.result import ExplainedResult, ExplainedRuleResult
from advisor.contract.words import SOURCE_STATUS, Words, day, moment
from advisor.errors import InputError
from advisor.render.ladder import picture
from advisor.render.short import VERDICT_HEADINGS, VERDICT_WORDS, short_answer
from advisor.rulebase.loader import PLACEHOLDER, Rulebase
from advisor.sessions.whatif import parse_assignment, parse_unset

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
    catalogue: Catalogue  # the rulebase's texts, as the advisor holds them
    session: str | None = None
    notes: list[dict[str, Any]] = field(default_factory=list)
    scenarios: list[dict[str, Any]] = field(default_factory=list)
    withheld: frozenset[str] = frozenset()
    produced: dt.datetime = field(default_factory=lambda: dt.datetime.now().astimezone())
    details: bool = True  # every recommendation's sources, checklist and the reasons of what is not open


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
                    reasons[i] = f"Not met: {condition.says} (the answer is {WITHHELD})."
        return advice.model_copy(update={"reasons": reasons, "failed_conditions": failed})


def _situation(profile: Profile, withheld: frozenset[str], words: Words) -> dict[str, Any]:
    rows = [(words.field(name), _answer(words, name, getattr(profile, name))) for name in Profile.model_fields
            if name not in SITUATION_SKIPPED and name not in withheld]
    collaborations = None
    if profile.collaborations is not None:
        collaborations = [[_answer(words, COLLAB + column, getattr(c, column)) for column in COLLABORATION_COLUMNS]
                          for c in profile.collaborations]
    goals = None if profile.goals is None else [words.value("goals", g) for g in profile.goals]
    return {"rows": rows, "goals": goals, "collaborations": collaborations,
            "collaboration_columns": [words.field(COLLAB + c) for c in COLLABORATION_COLUMNS]}


def _answer(words: Words, name: str, value: Any) -> str:
    return "not answered" if value is None else words.value(name, value)


def _scenario(data: dict[str, Any], redactor: _Redactor, words: Words) -> dict[str, Any]:
    return {"name": data.get("name", "?"), "at": moment(data.get("at", "")),
            "changes": [change_words(str(change), words, redactor.hides) for change in data.get("changes", [])],
            "verdict_changes": data.get("verdict_changes", [])}


def change_words(text: str, words: Words, hides: Callable[[str], bool] = lambda field: False) -> str:
    """A saved what-if change (`collaborations[0].countries=1`, `unset phd_year`) in words; the value of a field
    `hides` is withheld."""
    try:
        change = parse_unset(text.removeprefix("unset ")) if text.startswith("unset ") else parse_assignment(text)
    except InputError:  # a record edited by hand: shown as it is
        return text
    said = words.field(change.target)
    if hides(change.field):
        return f"{said} ({WITHHELD})"
    if change.value is None:
        return f"{said}: no answer"
    value = {"true": True, "false": False}.get(change.value.lower(), change.value)
    return f"{said}: {words.value(change.target, value)}"


def used_glossary(glossary: dict[str, str], shown: str) -> list[tuple[str, str]]:
    """The glossary entries whose term a rendered report uses (in its text, not its markup)."""
    text = re.sub(r"<style.*?</style>|<[^>]+>", " ", shown, flags=re.S)
    return sorted(((term, meaning) for term, meaning in glossary.items()
                   if re.search(rf"(?<![\w-]){re.escape(term)}(?![\w-])", text)), key=lambda item: item[0].lower())


def report_context(data: ReportInput) -> dict[str, Any]:
    """What the templates read (plain values; the templates escape them)."""
    catalogue = data.catalogue
    words = catalogue.words
    redactor = _Redactor(data.rulebase, data.withheld)
    result = data.result
    advice = [redactor.advice(a) for a in result.results]
    by_verdict = {v: [a for a in advice if a.verdict == v] for v in VERDICT_HEADINGS}
    titles = {a.id: a.title for a in advice}
    show_name = "name" not in data.withheld
    who = (data.profile.name if show_name else None) or "the researcher"
    redacted = result.model_copy(update={"results": advice})
    short = short_answer(redacted, catalogue, who)
    return {
        "who": who,
        "session": data.session if show_name else None,
        "source": result.profile.source if show_name else None,
        "produced": moment(data.produced),
        "as_of": day(result.as_of),
        "rulebase": result.rulebase,
        "rulebase_name": catalogue.rulebase.name,
        "warnings": result.warnings,
        "details": data.details,
        "short": short,
        "situation": _situation(data.profile, data.withheld, words),
        "ladder": short.ladder,
        "path": [titles[i] for i in result.path],
        **by_verdict,
        "notes": [{**n, "at": moment(n.get("at", ""))} for n in data.notes],
        "scenarios": [_scenario(s, redactor, words) for s in data.scenarios],
        "withheld": sorted(words.field(f) for f in data.withheld),
        "glossary": catalogue.glossary,
    }


def md_escape(value: Any) -> str:
    """Text for Markdown: HTML and Markdown syntax characters are escaped, lines kept in one cell."""
    text = str(value).replace("<", "&lt;").replace(">", "&gt;")
    text = re.sub(r"([\\`*_\[\]#|!])", r"\\\1", text)
    return re.sub(r"\s*\n\s*", " ", text)


def _safe_url(url: str | None) -> str | None:
    return url if url and re.match(r"^https?://", url) else None


def add_report_filters(env: Environment) -> None:
    """The filters and functions the report's templates use (also where the web pages include them)."""
    env.filters["md"] = md_escape
    env.filters["verdict"] = lambda v: VERDICT_WORDS.get(v, str(v))
    env.filters["status"] = lambda v: SOURCE_STATUS.get(v, str(v))
    env.filters["safe_url"] = _safe_url
    env.filters["first_upper"] = lambda v: str(v)[:1].upper() + str(v)[1:]
    env.globals["picture"] = picture


@functools.lru_cache(maxsize=1)
def _environment():
    env = Environment(loader=PackageLoader("advisor.render", "templates"), undefined=StrictUndefined,
                      autoescape=lambda name: bool(name and name.endswith(".html.j2")), trim_blocks=True,
                      lstrip_blocks=True, keep_trailing_newline=True)
    add_report_filters(env)
    return env


def render_report(context: dict[str, Any], fmt: str) -> str:
    """The report as Markdown or HTML text (HTML autoescaped, Markdown through the `md` filter)."""
    template = _environment().get_template(FORMATS[fmt])
    text = template.render(**{**context, "glossary": []})
    used = used_glossary(context["glossary"], text)
    if used:  # the words it uses, explained at the end
        text = template.render(**{**context, "glossary": used})
    if fmt == "markdown":  # one blank line before each heading and between blocks, whatever the template's loops
        text = re.sub(r"\n*(\n#{1,6} )", r"\n\n\1", text)
        text = re.sub(r"\n{3,}", "\n\n", text)
    return text
