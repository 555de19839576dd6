"""The example careers of the talk get the advice pinned in examples_expected.yaml."""

from __future__ import annotations

import pytest

from advisor.io.documents import load_yaml_file
from advisor.io.profiles import load_profiles
from advisor.toolkit.cases import check_advice

from .conftest import ROOT

EXPECTED = load_yaml_file(ROOT / "tests" / "examples_expected.yaml").data
PROFILES = sorted(p.name for p in (ROOT / "profiles").glob("*.yaml"))


def test_every_example_is_pinned():
    assert sorted(EXPECTED) == PROFILES


@pytest.mark.parametrize("name", PROFILES)
def test_example_advice(advisor, name):
    (loaded,) = load_profiles(ROOT / "profiles" / name)
    result = advisor.explain(advisor.evaluate(loaded.profile, loaded.source))
    recommended = sorted(a.id for a in result.results if a.verdict == "recommended")
    assert recommended == sorted(EXPECTED[name]["recommended"])
    by_id = result.by_id()
    failures = [f for rule_id, expected in EXPECTED[name]["expect"].items()
                for f in check_advice(by_id[rule_id], expected)]
    assert not failures, "\n".join(failures)
    assert result.path[0] in {a.id for a in result.results if a.verdict == "recommended"}
