"""A pytest plugin: the rule test cases of any rulebase folder are pytest tests.

`pytest myrules/` collects every `myrules/tests/*.yaml` (in a folder that
holds a rulebase.yaml), one test per case, run exactly as `advisor rules
test` runs them. Installed with advisor (entry point `pytest11`), it is loaded
by every pytest run, so it imports the advisor only once it finds a rulebase's
test file (`advisor.toolkit.pytest_items`); elsewhere it does nothing.
"""

from __future__ import annotations

import importlib
from pathlib import Path


def pytest_addoption(parser) -> None:
    parser.addoption("--advisor-engine", choices=("durable", "python"), default="durable",
                     help="engine that runs rule test cases (default: durable)")


def pytest_collect_file(file_path: Path, parent):
    rules_dir = file_path.parent.parent
    if file_path.suffix == ".yaml" and file_path.parent.name == "tests" and (rules_dir / "rulebase.yaml").is_file():
        return importlib.import_module("advisor.toolkit.pytest_items").RuleCaseFile.from_parent(parent, path=file_path)
    return None
