from __future__ import annotations

from pathlib import Path

import pytest

from advisor.advice.advisor import Advisor
from advisor.cli.main import main
from advisor.engines.python import PythonEngine
from advisor.io.environment import Environment
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


class CommandLine:
    """Runs `advisor ARGS...` in-process with its own streams; `interactive` makes them terminals."""

    def __init__(self):
        self.interactive = False

    def __call__(self, *args, stdin: str = "") -> tuple[int, str, str]:
        """The exit status, standard output and standard error of one command."""
        env = Environment.in_memory(stdin, terminal=self.interactive)
        try:
            code = main([str(a) for a in args], env)
        except SystemExit as exit_:
            code = exit_.code
        return (code, *env.written())


@pytest.fixture
def run_cli():
    """Run `advisor ARGS...` in-process; return (exit code, stdout, stderr)."""
    return CommandLine()


@pytest.fixture
def in_a_terminal(run_cli):
    """Commands run by `run_cli` see terminals on standard input, output and error."""
    run_cli.interactive = True


@pytest.fixture
def sessions(tmp_path, monkeypatch):
    """A sessions folder of the test's own (`advisor session` commands and reports use it)."""
    monkeypatch.setenv("ADVISOR_SESSIONS", str(tmp_path / "sessions"))
    return tmp_path / "sessions"


@pytest.fixture(autouse=True)
def crash_logs(tmp_path_factory, monkeypatch):
    """A crash in a test writes its log to a folder of the test run, never to the user's home."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path_factory.getbasetemp() / "state"))
