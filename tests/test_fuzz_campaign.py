"""The long campaign of damaged inputs (fuzz/inputs.py), run small: it works, and finds nothing to report."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _campaign():
    spec = importlib.util.spec_from_file_location("fuzz_inputs", ROOT / "fuzz" / "inputs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_short_campaign_ends_every_run_in_advice_or_a_clean_error(tmp_path, monkeypatch):
    campaign = _campaign()
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    found = campaign.campaign({"profiles": 40, "answers": 12, "sessions": 3, "concurrent session sets": 2}, 7,
                              tmp_path)
    for kind, (tally, crashes) in found.items():
        assert crashes == [], (kind, crashes[:3])
        assert tally["advice"], (kind, tally)
        assert tally["clean error"] or kind == "concurrent session sets", (kind, tally)  # both outcomes reached


def test_the_campaign_tells_a_crash_from_a_clean_error(tmp_path, monkeypatch):
    campaign = _campaign()
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert campaign.run(["evaluate", tmp_path / "missing.yaml"])[0] == "clean error"
    assert campaign.run(["evaluate", ROOT / "profiles" / "laura-1-erasmus-phd.yaml"])[0] == "advice"
    monkeypatch.setattr("advisor.cli.evaluate.run", lambda args, env: 1 / 0)
    assert campaign.run(["evaluate", ROOT / "profiles" / "laura-1-erasmus-phd.yaml"])[0] == "crash"
