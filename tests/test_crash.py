"""A bug that escapes a command: one line on the terminal, the traceback in an owner-only log, exit status 70,
and no half-written output."""

from __future__ import annotations

import errno
import stat

import pytest

from advisor.exits import ExitStatus

from .conftest import ROOT


def _boom(args, env):
    raise RuntimeError("the engine lost a fact")


@pytest.fixture
def state(tmp_path, monkeypatch):
    """advisor's state folder, where crash logs go."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return tmp_path / "state" / "advisor"


def test_a_crash_is_one_line_and_a_log_for_the_report(run_cli, state, monkeypatch):
    monkeypatch.setattr("advisor.cli.schema.run", _boom)
    code, out, err = run_cli("schema", "profile")
    (log,) = state.iterdir()
    assert code == ExitStatus.CRASHED == 70 and out == ""
    assert err == (f"advisor failed unexpectedly (RuntimeError in `advisor schema`): a bug, not a mistake of yours; "
                   f"please report it, with {log}, to the maintainers of advisor (README: Reporting a bug)\n")
    assert log.name.startswith("crash-") and log.suffix == ".log"
    text = log.read_text()
    assert "advisor schema profile\n" in text and "Traceback (most recent call last)" in text
    assert text.rstrip().endswith("RuntimeError: the engine lost a fact")
    assert stat.S_IMODE(log.stat().st_mode) == 0o600 and stat.S_IMODE(state.stat().st_mode) == 0o700


def test_without_a_log_the_details_follow_the_line(run_cli, tmp_path, monkeypatch):
    (tmp_path / "state").write_text("a file where the folder would be")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setattr("advisor.cli.schema.run", _boom)
    code, _, err = run_cli("schema", "profile")
    first, details = err.split("\n", 1)
    assert code == 70 and "please report it, with the details below" in first and "could not be saved" in first
    assert details.startswith("Traceback") and "RuntimeError: the engine lost a fact" in details


def test_an_error_on_a_named_file_is_a_crash_not_a_full_standard_output(run_cli, state, monkeypatch):
    def denied(args, env):
        raise OSError(errno.EIO, "Input/output error", "/somewhere/rules.yaml")

    monkeypatch.setattr("advisor.cli.schema.run", denied)
    code, _, err = run_cli("schema", "profile")
    assert code == 70 and "OSError in `advisor schema`" in err and "standard output" not in err


def test_usage_errors_help_and_interruptions_are_no_crash(run_cli, state, monkeypatch):
    assert run_cli("evaluate")[0] == 2 and run_cli("--help")[0] == 0
    monkeypatch.setattr("advisor.cli.schema.run", lambda args, env: (_ for _ in ()).throw(KeyboardInterrupt))
    assert run_cli("schema", "profile")[0] == 130
    assert not state.exists()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_crash_mid_report_leaves_no_half_written_file(run_cli, state, tmp_path, monkeypatch, jobs):
    added = []

    def fails_later(layout, text):
        added.append(text)
        if len(added) == 3:
            raise ValueError("a formatter's bug")
        layout.stream.write(b"x")

    monkeypatch.setattr("advisor.batch.writers.Layout.add", fails_later)
    reports = tmp_path / "reports"
    reports.mkdir()
    code, _, err = run_cli("batch", ROOT / "profiles", "--output", reports / "report.txt", "--jobs", jobs)
    assert code == 70 and "ValueError in `advisor batch`" in err
    assert list(reports.iterdir()) == []
