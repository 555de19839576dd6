"""The summary of `advisor batch`: near misses a person can act on, in plain words, short on the terminal."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from advisor.batch.chart import bar_chart
from advisor.batch.formats import TableFormat
from advisor.batch.job import BatchRun
from advisor.batch.summary import Summary, render_markdown, render_text
from advisor.batch.worker import Settings
from advisor.contract.profile import Profile, impossible_on
from advisor.contract.result import VERDICT_ORDER
from advisor.io.environment import Environment
from advisor.io.profiles import load_profiles
from advisor.rulebase.loader import load_rulebase
from advisor.toolkit.synthetic import synthetic_profiles

from .conftest import ROOT

PROFILES = ROOT / "profiles"
AS_OF = dt.date(2025, 6, 1)


def _summary(advisor, profiles: list[Profile]) -> tuple[Summary, list]:
    """The summary of some profiles, and each profile's facts (what the summary counted)."""
    table = TableFormat(type(advisor)(advisor.rulebase, advisor.engine, counterfactuals=False))
    summary, facts = Summary.of(advisor.rulebase), []
    for i, profile in enumerate(profiles):
        facts.append(table(profile, f"p{i}", AS_OF)[1])
        summary.add(facts[-1])
    return summary, facts


def _examples() -> list[Profile]:
    return [loaded.profile for path in sorted(PROFILES.glob("*.yaml")) for loaded in load_profiles(path)]


def _generated() -> list[Profile]:
    profiles = (Profile.model_validate(d) for d in synthetic_profiles(400, seed=15))
    return [p.model_copy(update={"as_of": AS_OF}) for p in profiles if not impossible_on(p, AS_OF)]


@pytest.mark.parametrize("profiles", [_examples, _generated], ids=["examples", "generated"])
def test_near_misses_are_only_conditions_a_person_can_change(advisor, profiles):
    summary, facts = _summary(advisor, profiles())
    rulebase = advisor.rulebase
    numbered = {rule_id: {n: leaf for leaf, n in rule.conditions.items()} for rule_id, rule in rulebase.rules.items()}
    one_away = {(rule_id, failed[0]) for fact in facts for rule_id, verdict, failed in fact.verdicts
                if verdict == "not_eligible" and len(failed) == 1}
    assert summary.near and summary.near.keys() < one_away  # some single failures are no near misses...
    for rule_id, number in one_away - summary.near.keys():  # ...those nobody can change, or no partnership yet
        assert number is None or not rulebase.changeable(numbered[rule_id][number])
    assert all(rulebase.changeable(numbered[rule_id][number]) for rule_id, number in summary.near)
    shown = render_markdown(summary, None) + render_text(summary)
    assert "be a doctoral candidate" not in shown and "you are a doctoral candidate" not in shown.split("Near")[-1]


def test_the_doctoral_network_is_no_near_miss_of_a_doctor(advisor):
    # The issue: "one condition away from MSCA DN" for every doctor, who cannot be a PhD student again.
    summary, facts = _summary(advisor, _examples())
    assert any(("eu.msca_dn", "not_eligible", (0,)) in fact.verdicts for fact in facts)
    assert all(rule_id != "eu.msca_dn" for rule_id, _ in summary.near)
    assert not any(title.startswith("Marie Skłodowska-Curie Doctoral") for title, *_ in summary.top_near())


def _plain(text: str, rulebase) -> None:
    """No recommendation id, verdict value or field name with an underscore or a dot in `text`."""
    internal = set(rulebase.rules) | set(VERDICT_ORDER) | {f for f in rulebase.fields if re.search(r"[._]", f)}
    words = set(re.findall(r"[a-z][a-z0-9]*(?:[._][a-z0-9]+)+", text))
    assert not words & internal, words & internal


def test_the_summary_chart_and_report_name_recommendations_by_title(advisor):
    summary, _ = _summary(advisor, _examples())
    svg = ET.fromstring(bar_chart(summary))
    labels = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")]
    titles = [rule.spec.title for rule in advisor.rulebase.rules.values()]
    assert set(titles) <= set(labels) and not set(advisor.rulebase.rules) & set(labels)
    for text in (bar_chart(summary), render_markdown(summary, "report.svg"), render_text(summary)):
        _plain(text, advisor.rulebase)


def _long_profile(tmp_path: Path) -> tuple[Path, str]:
    name = "Maria Dolores de la Concepción Fernández-Villanueva y Oyarzábal (long name)"
    path = tmp_path / ("a-folder-with-a-rather-long-name" * 2) / "researcher-with-a-very-long-file-name.yaml"
    path.parent.mkdir()
    path.write_text(f"name: {name}\ncareer_stage: postdoc\nphd_year: 2020\n")
    return path, name


@pytest.mark.parametrize("to_file", [True, False], ids=["file", "pipe"])
def test_a_table_written_to_a_file_or_a_pipe_keeps_names_and_paths_whole(run_cli, tmp_path, to_file):
    path, name = _long_profile(tmp_path)
    report = tmp_path / "report.txt"
    code, out, err = run_cli("batch", path, PROFILES, "--jobs", "1", *(("--output", report) if to_file else ()))
    assert code == 0, err
    text = report.read_text() if to_file else out
    assert "…" not in text
    assert str(path) in text and name in text  # in its row, and (the path) among the near misses' examples
    assert "profiles/author-4-international-relations.yaml" in text
    assert "Near misses" in text and "Verdicts per recommendation" in text  # the full summary goes with the table


def _terminal_summary(fmt: str, output: Path | None) -> str:
    """The summary a batch of the examples shows on the terminal: after a table on standard output, else on
    standard error."""
    env = Environment.in_memory()
    env.stdout_isatty = output is None
    run = BatchRun([str(PROFILES)], Settings(format=fmt, engine="python", as_of=AS_OF), load_rulebase(),
                   output, 1, False, env)
    assert run.execute() == 0
    out, err = env.written()
    return out[out.index("9 profiles evaluated"):] if output is None else err


@pytest.mark.parametrize("fmt, output", [("csv", "out.csv"), ("jsonl", "out.jsonl"), ("table", None),
                                         ("markdown", "out.md")])
def test_the_summary_on_the_terminal_is_short(tmp_path, fmt, output):
    shown = _terminal_summary(fmt, tmp_path / output if output else None)
    lines = [line for line in shown.splitlines() if line.strip()]
    assert len(lines) <= 9, shown
    assert "9 profiles evaluated" in shown and re.search(r"Verdicts \(9 profiles, \d+ recommendations each\)", shown)
    assert "Near misses: " in shown and len(re.findall(r"^  \d+ profiles?: ", shown, re.MULTILINE)) == 3
    assert "Every input could be used." in shown and "┏" not in shown
    if fmt == "markdown":
        assert f"The full summary: in {tmp_path / output}, its chart in {tmp_path / 'out.svg'}." in shown
        report = (tmp_path / output).read_text()
        assert "## Near misses" in report and "International Research Network (IRN)" in report
        _plain(report, load_rulebase())  # the profiles' rows too name what they recommend by its title
    else:
        assert "--format markdown --output report.md" in shown
    _plain(shown, load_rulebase())


def test_errors_are_counted_in_the_short_summary(run_cli, tmp_path):
    (tmp_path / "bad.yaml").write_text("career_stage: wizard\n")
    shutil.copy(PROFILES / "laura-1-erasmus-phd.yaml", tmp_path)
    code, _, err = run_cli("batch", tmp_path, "--output", tmp_path / "out.csv", "--jobs", "1")
    assert code == 1
    assert "1 input could not be used (1 problem, each reported with its file and line)." in err
