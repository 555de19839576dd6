"""What the rules look at: a profile's answers, per profile and per partnership, with what the rulebase
computes from them on the date of the advice (see `rulebase.dated`).

Rules of scope `profile` read one subject; rules of scope `collaboration` read
one subject per foreign partnership (the profile's answers plus that
partnership's). Derived facts are not here: the engines derive them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from advisor.contract.fields import COLLAB, years_since_phd
from advisor.contract.profile import Profile
from advisor.rulebase.loader import Rulebase

PROFILE_KEY = "profile"
UNKNOWN_COLLABORATIONS = -1  # index of the stand-in partnership when collaborations are not given


@dataclass
class Subject:
    key: str
    scope: str
    values: dict[str, Any]
    index: int | None = None  # the partnership's position in the profile


_SKIPPED = {"schema_version", "name", "questionnaire", "collaborations", "as_of"}


def _frozen(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def add_computed(rulebase: Rulebase, values: dict[str, Any]) -> None:
    """Add to a subject's answers (its `as_of` included) the values computed from them on that date."""
    as_of = values["as_of"]
    since = years_since_phd(values.get("phd_year"), as_of)
    if since is not None:
        values["years_since_phd"] = since
    rulebase.dated.add_profile_values(values, as_of)
    rulebase.dated.add_partnership_values(values, as_of)


def profile_values(profile: Profile, as_of: dt.date, rulebase: Rulebase) -> dict[str, Any]:
    """The answers rules read (lists as tuples: values are hashable, so advice can be remembered on them)."""
    values = {k: _frozen(v) for k, v in profile.__dict__.items() if k not in _SKIPPED and v is not None}
    values["as_of"] = as_of
    add_computed(rulebase, values)
    return values


def subjects_of(profile: Profile, as_of: dt.date, rulebase: Rulebase) -> list[Subject]:
    """The profile subject first, then one subject per partnership.

    Unknown partnerships (`collaborations` absent) give one stand-in subject
    whose partnership answers are all missing; none declared (`[]`) gives none.
    """
    base = profile_values(profile, as_of, rulebase)
    subjects = [Subject(PROFILE_KEY, "profile", base)]
    collaborations = profile.collaborations
    if collaborations is None:
        subjects.append(Subject(f"collaboration{UNKNOWN_COLLABORATIONS}", "collaboration", dict(base),
                                UNKNOWN_COLLABORATIONS))
        return subjects
    for i, collab in enumerate(collaborations):
        values = dict(base)
        values.update({COLLAB + k: _frozen(v) for k, v in collab.__dict__.items() if v is not None})
        rulebase.dated.add_partnership_values(values, as_of)
        subjects.append(Subject(f"collaboration{i}", "collaboration", values, i))
    return subjects
