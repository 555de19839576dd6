"""JSON Schemas of the three contracts, for editors and other programs."""

from __future__ import annotations

from .profile import Profile
from .result import Result
from .rulebase.model import RuleFile


def schema(which: str) -> dict:
    model = {"profile": Profile, "rules": RuleFile, "result": Result}[which]
    return model.model_json_schema()
