"""Engines that decide the rules: durable_rules (default) or plain Python."""

from __future__ import annotations

import sys

from advisor.engines.base import Decision, Engine, SubjectOutcome
from advisor.engines.durable import DurableEngine
from advisor.engines.python import PythonEngine
from advisor.rulebase.loader import Rulebase

ENGINES = ("durable", "python")


def make_engine(name: str, rulebase: Rulebase, notices=None) -> Engine:
    """Build the named engine; without durable_rules, say so once and use Python."""
    if name == "python":
        return PythonEngine(rulebase)
    try:
        return DurableEngine(rulebase)
    except ImportError as error:
        print(f"notice: durable_rules is not available ({error}); using the plain-Python evaluation.",
              file=notices or sys.stderr)
        return PythonEngine(rulebase)


__all__ = ["Decision", "Engine", "SubjectOutcome", "make_engine", "ENGINES"]
