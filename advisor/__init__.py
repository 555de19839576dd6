"""advisor: which international cooperation instruments fit a researcher, why, and what next.

The public API, for programs that use the advisor without its command line:

    from advisor import open_advisor, load_profiles
    advisor = open_advisor()                      # the bundled rulebase, run by durable_rules
    for item in load_profiles("profiles/laura-3-network-coordinator.yaml"):
        result = advisor.evaluate(item.profile, item.source)   # a Result (docs/result.md)

Names are imported on first use, so that `import advisor` (and `advisor --help`) stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.1.0"

_HOMES = {
    "open_advisor": "advisor.advice.advisor",
    "Advisor": "advisor.advice.advisor",
    "load_rulebase": "advisor.rulebase.loader",
    "load_profiles": "advisor.io.profiles",
    "Profile": "advisor.contract.profile",
    "Result": "advisor.contract.result",
    "InputError": "advisor.errors",
}
__all__ = ["open_advisor", "Advisor", "load_rulebase", "load_profiles", "Profile", "Result", "InputError",
           "__version__"]

if TYPE_CHECKING:
    from advisor.advice.advisor import Advisor, open_advisor
    from advisor.contract.profile import Profile
    from advisor.contract.result import Result
    from advisor.errors import InputError
    from advisor.io.profiles import load_profiles
    from advisor.rulebase.loader import load_rulebase


def __getattr__(name: str):
    if name in _HOMES:
        return getattr(importlib.import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'advisor' has no attribute {name!r}")
