"""The toolkit's documentation names every check the code has."""

from __future__ import annotations

from advisor.toolkit.checks import CATALOG

from .conftest import ROOT


def test_every_check_is_documented():
    text = (ROOT / "docs" / "rulebase-tools.md").read_text()
    for check in CATALOG.values():
        assert f"| {check.number} | `{check.name}` | {check.severity} |" in text, check.name
