"""The researcher's profile: the public contract of profile files (schema version 1).

An absent field means "unknown": the advisor then says which answers it still
needs instead of guessing. Stored values never change with the wording shown
to people; labels live beside them in `FIELD_LABELS` and the questions.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from advisor.contract.countries import WRITE_A_COUNTRY, country_code
from advisor.errors import CONTROL

SCHEMA_VERSION = 1
EARLIEST_DATE, LATEST_DATE = dt.date(1900, 1, 1), dt.date(2199, 12, 31)  # the dates advice can be for


class NotAnAdviceDate(ValueError):
    """A date typed for the advice (`--as-of`, `?as_of=`) that cannot be one: what is wrong, and what to do."""

    def __init__(self, problem: str, fix: str):
        super().__init__(f"{problem}; {fix}")
        self.problem, self.fix = problem, fix


def advice_date(text: str) -> dt.date:
    """A date the advice can be for, written YYYY-MM-DD; NotAnAdviceDate otherwise."""
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise NotAnAdviceDate(f"“{text[:40]}” is not a date", "write a date as YYYY-MM-DD, e.g. 2024-06-01") from None
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise NotAnAdviceDate(f"{day.isoformat()} is outside the dates advice can be for",
                              f"choose a date from {EARLIEST_DATE.isoformat()} to {LATEST_DATE.isoformat()}")
    return day


class CareerStage(StrEnum):
    master_student = "master_student"
    phd_student = "phd_student"
    postdoc = "postdoc"
    junior_researcher = "junior_researcher"
    senior_researcher = "senior_researcher"
    professor = "professor"
    engineer = "engineer"
    administrator = "administrator"


class Employer(StrEnum):
    cnrs = "cnrs"
    university = "university"
    other_research_org = "other_research_org"
    industry = "industry"
    foreign_institution = "foreign_institution"
    none = "none"


class PartnerType(StrEnum):
    university = "university"
    research_org = "research_org"
    agency = "agency"
    ministry = "ministry"
    infrastructure = "infrastructure"
    industry = "industry"


class Stage(StrEnum):
    none = "none"
    contacts = "contacts"
    informal = "informal"
    joint_results = "joint_results"
    funded = "funded"
    structured = "structured"


class Goal(StrEnum):
    start_collaboration = "start_collaboration"
    consolidate = "consolidate"
    long_term_research = "long_term_research"
    build_network = "build_network"
    joint_lab = "joint_lab"
    mobility_abroad = "mobility_abroad"
    host_researchers = "host_researchers"
    permanent_position = "permanent_position"
    access_infrastructure = "access_infrastructure"
    access_remote_sites = "access_remote_sites"
    influence_policy = "influence_policy"
    represent_institution = "represent_institution"
    innovation = "innovation"


class Gender(StrEnum):
    female = "female"
    male = "male"
    other = "other"


CountryCode = str  # kept as the ISO 3166-1 alpha-2 code; written as a name or a code (read below)
COUNTRY = "written as its name in English or French, or as its code; kept as the ISO 3166-1 alpha-2 code"


def _country(value: Any) -> Any:
    """The code of a country written by name or code (Italy, Allemagne, US); anything else is refused."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"is not a country: {WRITE_A_COUNTRY}")
    return country_code(value)


def _plain_text(value: str | None) -> str | None:
    """Free text is one line of printable characters: a control character could act on the terminal
    of whoever prints the advice (escape sequences) or disguise the text (bidirectional overrides)."""
    found = CONTROL.search(value) if value is not None else None
    if found:
        raise ValueError(f"contains the control character U+{ord(found.group()):04X}: write plain text on one line")
    return value


def field_path(loc: tuple) -> str:
    """A place in a profile as people write it: collaborations[0].stage."""
    return ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in loc).replace(".[", "[")


CAREER_BEFORE_PHD = 10  # years a partnership may have run before the PhD (from the doctorate, or before it)


def phd_after_advice(phd_year: int, as_of: dt.date) -> str:
    return (f"the PhD year {phd_year} is after the date of the advice ({as_of.isoformat()}): "
            "correct the year, or leave it out if the PhD is not defended yet")


def impossible_on(profile: Profile, as_of: dt.date) -> list[tuple[tuple, Any, str]]:
    """The answers that cannot be true on the date of the advice: (where, value, why) for each."""
    found: list[tuple[tuple, Any, str]] = []
    phd = profile.phd_year
    if phd is not None and phd > as_of.year:
        found.append((("phd_year",), phd, phd_after_advice(phd, as_of)))
    career = None if phd is None or phd > as_of.year else as_of.year - phd + CAREER_BEFORE_PHD
    for i, collaboration in enumerate(profile.collaborations or []):
        years = collaboration.years_active
        if career is not None and years is not None and years > career:
            found.append((("collaborations", i, "years_active"), years,
                          f"{years} years of collaboration would start more than {CAREER_BEFORE_PHD} years before the "
                          f"PhD ({phd}): correct the years or the PhD year"))
    return found


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, str_strip_whitespace=True,
                              use_enum_values=True, validate_assignment=True)


class Collaboration(_Strict):
    """One partnership with a foreign team (instruments such as IRP apply per partnership)."""

    partner_country: CountryCode | None = Field(None, description=f"the partner's country, {COUNTRY}")
    partner_type: PartnerType | None = Field(None, description="what kind of body the partner is")
    stage: Stage | None = Field(None, description="how far the collaboration has gone")
    joint_publications: int | None = Field(None, ge=0, le=100_000, description="publications co-signed with the partner")
    years_active: int | None = Field(None, ge=0, le=100, description="years the collaboration has been active")
    countries: int | None = Field(None, ge=1, le=200, description="foreign countries in this partnership")
    labs: int | None = Field(None, ge=1, le=10_000, description="labs in total, French side included")

    _check_country = field_validator("partner_country", mode="before")(lambda cls, v: _country(v))


class Profile(_Strict):
    """A researcher's situation and wishes, as far as they are known."""

    schema_version: Literal[1] = Field(SCHEMA_VERSION, description="version of the profile contract")
    name: str | None = Field(None, max_length=200, description="free text, optional")
    as_of: dt.date | None = Field(None, ge=EARLIEST_DATE, le=LATEST_DATE,
                                  description="the date the advice is for (default: today), 1900-01-01 to 2199-12-31")
    career_stage: CareerStage | None = Field(None, description="current career stage")
    permanent_position: bool | None = Field(None, description="holds a permanent (tenured) position")
    in_cnrs_unit: bool | None = Field(None, description="works in a CNRS research unit (UMR, UPR, UAR, IRL)")
    employer: Employer | None = Field(None, description="who employs the researcher")
    discipline: str | None = Field(None, max_length=200, description="field of research, free text")
    phd_year: int | None = Field(None, ge=1900, le=2100, description="year the PhD was obtained")
    nationality: CountryCode | None = Field(None, description=f"the country of citizenship, {COUNTRY}")
    country: CountryCode | None = Field(None, description=f"the country where the person works now, {COUNTRY}")
    gender: Gender | None = Field(None, description="optional; only used to suggest networks")
    collaborations: list[Collaboration] | None = Field(None, max_length=100, description="one entry per foreign partnership")
    goals: list[Goal] | None = Field(None, max_length=len(Goal), description="what the researcher wants to achieve")
    willing_to_coordinate: bool | None = Field(None, description="willing to coordinate a project or network")
    willing_to_relocate: bool | None = Field(None, description="willing to move to a joint laboratory abroad")
    willing_to_serve_on_committees: bool | None = Field(None, description="willing to sit on committees and represent the institution")
    questionnaire: dict[str, Any] | None = Field(None, description="reserved for the questionnaire's bookkeeping; ignored by evaluation")

    _check_countries = field_validator("nationality", "country", mode="before")(lambda cls, v: _country(v))
    _check_text = field_validator("name", "discipline")(lambda cls, v: _plain_text(v))

    @field_validator("phd_year")
    @classmethod
    def _phd_before_advice(cls, phd_year: int | None, info: ValidationInfo) -> int | None:
        as_of = info.data.get("as_of")
        if phd_year is not None and as_of is not None and phd_year > as_of.year:
            raise ValueError(phd_after_advice(phd_year, as_of))
        return phd_year

    @model_validator(mode="after")
    def _partnerships_within_the_career(self) -> Profile:
        if self.as_of is None:
            return self
        found = [(at, value, why) for at, value, why in impossible_on(self, self.as_of) if at[0] != "phd_year"]
        if found:
            raise ValidationError.from_exception_data(type(self).__name__, [
                {"type": PydanticCustomError("value_error", "{why}", {"why": why}), "loc": at, "input": value}
                for at, value, why in found])
        return self

    @field_validator("goals")
    @classmethod
    def _unique_goals(cls, goals: list[str] | None) -> list[str] | None:
        return list(dict.fromkeys(goals)) if goals is not None else None
