"""The catalogue of fields that conditions may read, with their types.

Input fields come from the profile model itself (so the rulebase is checked
against the contract), computed fields are arithmetic on inputs, and derived
fields are the facts that rules in `facts.yaml` derive.
"""

from __future__ import annotations

import datetime as dt
import typing
from dataclasses import dataclass
from enum import Enum

from advisor.contract.profile import Collaboration, Profile

COLLAB = "collaboration."

# Answers a person can act on; counterfactuals only ever change these.
ACTIONABLE = {
    "permanent_position", "in_cnrs_unit", "willing_to_coordinate", "willing_to_relocate",
    "willing_to_serve_on_committees", "as_of",
    COLLAB + "stage", COLLAB + "joint_publications", COLLAB + "partner_type",
    COLLAB + "countries", COLLAB + "labs",
}

LABELS = {
    "career_stage": "career stage", "permanent_position": "a permanent position",
    "in_cnrs_unit": "working in a CNRS research unit", "employer": "employer", "discipline": "discipline",
    "phd_year": "year of PhD", "nationality": "nationality", "country": "country of work", "gender": "gender",
    "collaborations": "foreign partnerships", "goals": "goals", "as_of": "date of the advice",
    "willing_to_coordinate": "willing to coordinate", "willing_to_relocate": "willing to relocate",
    "willing_to_serve_on_committees": "willing to serve on committees",
    COLLAB + "partner_country": "partner's country", COLLAB + "partner_type": "partner type",
    COLLAB + "stage": "stage of the collaboration", COLLAB + "joint_publications": "joint publications",
    COLLAB + "years_active": "years of collaboration", COLLAB + "countries": "foreign countries in the partnership",
    COLLAB + "labs": "labs in the partnership", "years_since_phd": "years since the PhD",
}


# Each answer's words inside a sentence, as the questionnaire puts them (rules/questions.yaml).
VALUE_LABELS: dict[str, dict[str, str]] = {
    "career_stage": {
        "master_student": "master's student", "phd_student": "PhD student", "postdoc": "postdoctoral researcher",
        "junior_researcher": "junior researcher or lecturer (CR, MCF)", "senior_researcher": "senior researcher (DR)",
        "professor": "professor", "engineer": "research engineer or technician",
        "administrator": "research administrator"},
    "employer": {
        "cnrs": "the CNRS", "university": "a university", "other_research_org": "another research organisation",
        "industry": "a company", "foreign_institution": "an institution abroad", "none": "no employer"},
    "gender": {"female": "woman", "male": "man", "other": "other"},
    "goals": {
        "start_collaboration": "start a collaboration with a foreign team",
        "consolidate": "consolidate an existing collaboration", "long_term_research": "run long-term joint research",
        "build_network": "build a network of several teams or countries",
        "joint_lab": "set up a joint laboratory abroad", "mobility_abroad": "spend time abroad",
        "host_researchers": "host foreign researchers", "permanent_position": "obtain a permanent position",
        "access_infrastructure": "use a large infrastructure", "access_remote_sites": "work on remote sites",
        "influence_policy": "influence science policy", "represent_institution": "represent your institution abroad",
        "innovation": "work with industry"},
    COLLAB + "partner_type": {
        "university": "a university", "research_org": "a research organisation", "agency": "a funding agency",
        "ministry": "a ministry", "infrastructure": "a large infrastructure", "industry": "a company"},
    COLLAB + "stage": {
        "none": "nothing yet", "contacts": "in contact", "informal": "working together informally",
        "joint_results": "joint results", "funded": "funded as a joint project",
        "structured": "strongly structured (joint teams, long-term plans)"},
}
# The fields whose answers are countries (shown by name).
COUNTRY_FIELDS = frozenset({"country", "nationality", COLLAB + "partner_country"})

@dataclass(frozen=True)
class FieldSpec:
    """What a condition may do with a field."""

    name: str
    type: str  # bool | int | enum | enum_list | text | date
    scope: str  # profile | collaboration
    origin: str  # input | computed | derived
    values: tuple = ()
    depends_on: tuple[str, ...] = ()
    minimum: int | None = None  # the contract's lower bound for numbers
    title: str | None = None  # what people read for it, where LABELS has no entry (fields the rulebase adds)

    @property
    def label(self) -> str:
        return LABELS.get(self.name) or self.title or self.name.replace(COLLAB, "").replace("_", " ")


def _describe(annotation) -> tuple[str, tuple]:
    """Map a pydantic annotation (`X | None`) to our type name and allowed values."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)] or [annotation]
    inner = args[0]
    origin = typing.get_origin(inner)
    if origin in (list, typing.List):
        (item,) = typing.get_args(inner)
        if isinstance(item, type) and issubclass(item, Enum):
            return "enum_list", tuple(e.value for e in item)
        return "list", ()
    if isinstance(inner, type) and issubclass(inner, Enum):
        return "enum", tuple(e.value for e in inner)
    if inner is bool:
        return "bool", ()
    if inner is int:
        return "int", ()
    if inner is dt.date:
        return "date", ()
    if typing.get_origin(inner) is typing.Literal:
        return "int", ()
    return "text", ()


def _minimum(info) -> int | None:
    return next((m.ge for m in info.metadata if getattr(m, "ge", None) is not None), None)


def input_fields() -> dict[str, FieldSpec]:
    """Fields a person answers, read from the profile contract."""
    specs: dict[str, FieldSpec] = {}
    for name, info in Profile.model_fields.items():
        if name in ("collaborations", "questionnaire", "schema_version"):
            continue
        kind, values = _describe(info.annotation)
        specs[name] = FieldSpec(name, kind, "profile", "input", values, minimum=_minimum(info))
    for name, info in Collaboration.model_fields.items():
        kind, values = _describe(info.annotation)
        specs[COLLAB + name] = FieldSpec(COLLAB + name, kind, "collaboration", "input", values,
                                         minimum=_minimum(info))
    return specs


COMPUTED = {
    "years_since_phd": FieldSpec("years_since_phd", "int", "profile", "computed", (), ("phd_year", "as_of")),
}


def years_since_phd(phd_year: int | None, as_of: dt.date) -> int | None:
    """Whole calendar years from the PhD to the year of the advice (ERC counts this way)."""
    return None if phd_year is None else as_of.year - phd_year


