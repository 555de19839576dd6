"""Seeded synthetic profiles spanning the whole vocabulary (tests and benchmarks).

Answers are sometimes left out, so the three-valued paths (undecided) are
exercised as much as the decided ones.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any, Iterator

from advisor.contract.profile import (
    CAREER_BEFORE_PHD,
    CareerStage,
    Employer,
    Gender,
    Goal,
    PartnerType,
    Stage,
)

COUNTRIES = ["FR", "IT", "DE", "US", "JP", "NO", "BR", "CN", "IN", "ZA", "GB", "ES", "CA", "AU", "RU"]


def _maybe(rng: random.Random, value: Any, missing: float) -> Any:
    return None if rng.random() < missing else value


def synthetic_profile(rng: random.Random, missing: float = 0.15) -> dict[str, Any]:
    """One random profile as a plain dict (what a profile file holds)."""
    year = rng.randint(2019, 2026) if rng.random() < 0.5 else rng.randint(1985, 2026)
    as_of = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
    stage = rng.choice(list(CareerStage))
    student = stage in (CareerStage.master_student, CareerStage.phd_student)
    data: dict[str, Any] = {
        "schema_version": 1,
        "name": f"Researcher {rng.randint(1, 10**6)}",
        "as_of": as_of.isoformat(),
        "career_stage": _maybe(rng, stage.value, missing),
        "permanent_position": _maybe(rng, (not student) and rng.random() < 0.6, missing),
        "in_cnrs_unit": _maybe(rng, rng.random() < 0.6, missing),
        "employer": _maybe(rng, rng.choice(list(Employer)).value, missing),
        "discipline": rng.choice(["physics", "chemistry", "biology", "mathematics", "sociology"]),
        "phd_year": None if student else _maybe(rng, as_of.year - rng.randint(0, 35), missing),
        "nationality": _maybe(rng, rng.choice(COUNTRIES), missing),
        "country": _maybe(rng, "FR" if rng.random() < 0.5 else rng.choice(COUNTRIES), missing),  # mostly in France
        "gender": _maybe(rng, rng.choice(list(Gender)).value, missing * 2),
        "goals": _maybe(rng, rng.sample([g.value for g in Goal], rng.choice([0, 1, 2, 3, 4, 5])), missing),
        "willing_to_coordinate": _maybe(rng, rng.random() < 0.5, missing),
        "willing_to_relocate": _maybe(rng, rng.random() < 0.3, missing),
        "willing_to_serve_on_committees": _maybe(rng, rng.random() < 0.4, missing),
    }
    if rng.random() >= missing:
        data["collaborations"] = [_collaboration(rng, missing) for _ in range(rng.choice([0, 1, 1, 2, 3]))]
        if data.get("phd_year") is not None:  # no partnership older than the career (see impossible_on)
            career = as_of.year - data["phd_year"] + CAREER_BEFORE_PHD
            for collaboration in data["collaborations"]:
                if collaboration.get("years_active", 0) > career:
                    collaboration["years_active"] = career
    return {k: v for k, v in data.items() if v is not None}


def _collaboration(rng: random.Random, missing: float) -> dict[str, Any]:
    collab = {
        "partner_country": _maybe(rng, rng.choice(COUNTRIES), missing),
        "partner_type": _maybe(rng, rng.choice(list(PartnerType)).value, missing),
        "stage": _maybe(rng, rng.choice(list(Stage)).value, missing),
        "joint_publications": _maybe(rng, rng.choice([0, 0, 1, 2, 3, 5, 12]), missing),
        "years_active": _maybe(rng, rng.randint(0, 15), missing),
        "countries": _maybe(rng, rng.choice([1, 1, 2, 3, 5]), missing),
        "labs": _maybe(rng, rng.choice([2, 2, 3, 5, 8]), missing),
    }
    return {k: v for k, v in collab.items() if v is not None}


def synthetic_profiles(count: int, seed: int = 0, missing: float = 0.15) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    for _ in range(count):
        yield synthetic_profile(rng, missing)
