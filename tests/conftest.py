from __future__ import annotations

from pathlib import Path

import pytest

from advisor.advice.advisor import Advisor
from advisor.cli.main import main
from advisor.engines.python import PythonEngine
from advisor.rulebase.loader import default_rules_dir, load_rulebase

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
FROZEN_RULES = FIXTURES / "rulebase-frozen"  # the questionnaire's scripted tests run on it (see its README)


@pytest.fixture(scope="session")
def rulebase():
    return load_rulebase(default_rules_dir())


@pytest.fixture(scope="session")
def frozen_rulebase():
    """A copy of the bundled rulebase that does not change when rule authors edit rules/."""
    return load_rulebase(FROZEN_RULES)


@pytest.fixture(scope="session")
def durable_engine(rulebase):
    from advisor.engines.durable import DurableEngine

    return DurableEngine(rulebase)


@pytest.fixture(scope="session")
def python_engine(rulebase):
    return PythonEngine(rulebase)


@pytest.fixture(scope="session")
def advisor(rulebase, durable_engine):
    return Advisor(rulebase, durable_engine)


@pytest.fixture(scope="session")
def python_advisor(rulebase, python_engine):
    return Advisor(rulebase, python_engine)


@pytest.fixture
def run_cli(capsys):
    """Run `advisor ARGS...` in-process; return (exit code, stdout, stderr)."""

    def run(*args: str):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exit_:
            code = exit_.code
        out = capsys.readouterr()
        return code, out.out, out.err

    return run
