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


