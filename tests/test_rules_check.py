"""`advisor rules check`: one broken copy of the bundled rulebase per check, each asserting its message and place."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest
import yaml

from advisor.errors import RulebaseError
from advisor.rulebase.loader import default_rules_dir, load_rulebase
from advisor.toolkit.checks import CATALOG, check_rulebase

IRP = "recommendations/cnrs.irp.yaml"
LIA = "recommendations/cnrs.lia.yaml"
FACTS = "facts.yaml"
QUESTIONS = "questions.yaml"
BOTTOM_UP = "recommendations/route.bottom_up.yaml"
STG = "recommendations/eu.erc_stg.yaml"
PARAMETERS = "parameters.yaml"
CALLS = "calls.yaml"


@dataclass
class Broken:
    """One change to a copy of the bundled rulebase, and the finding it must cause."""

    file: str
    edit: Callable[[str], str] | None  # None: delete the file
    marker: str | None  # the finding's line is the first line holding this text (None: no line)
    words: list[str]
    reported_in: str | None = None  # the file the finding names, when it is not the edited one


def replace(old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert old in text, f"fixture out of date: {old!r} not found"
        return text.replace(old, new, 1)
    return edit


def write(content: str) -> Callable[[str], str]:
    return lambda _: content


IRP_COORDINATOR = "{field: cnrs_coordinator, is: true,"
IRP_COUNTRIES = "{field: collaboration.countries, at_most: 2,"

BROKEN: dict[str, Broken] = {
    "condition-too-large": Broken(IRP, replace("  all:\n", "  all:\n" + "".join(
        f"    - any: [{{field: collaboration.labs, at_least: {i + 2}, says: a}}, "
        f"{{field: collaboration.years_active, at_least: {i}, says: b}}]\n" for i in range(9))), "eligibility:",
        ["the condition has 512 alternatives once written out for the engine; the limit is 256",
         "put a repeated part in a derived fact"]),
    "control-character": Broken(IRP, replace("title: International Research Project (IRP)",
                                             'title: "International Research Project \\e[2J(IRP)"'), "title:",
                                ["title", "the text holds the control character U+001B", "remove it"]),
    "not-a-rulebase": Broken("rulebase.yaml", None, None, ["has no rulebase.yaml", "advisor rules init"], "."),
    "unreadable": Broken(IRP, lambda t: t.replace("Project", "Proj\udce9ct"), None, ["is not UTF-8 text"]),
    "yaml-syntax": Broken(IRP, replace("title: International", "title: [International"), "summary:",
                          ["YAML syntax error"]),
    "duplicate-key": Broken(IRP, replace("kind: cnrs_label", "kind: cnrs_label\ntitle: again"), "title: again",
                            ["key 'title' appears twice (first on line 2)"]),
    "unsafe-yaml": Broken(IRP, replace("path_step: 30", "path_step: &step 30\nrung: *step"), "path_step",
                          ["anchors and aliases"]),
    "no-rules": Broken("recommendations", None, None, ["has no rules in recommendations/*.yaml"], "."),
    "unknown-field": Broken(IRP, replace("field: cnrs_coordinator", "field: cnrs_coordinater"), "cnrs_coordinater",
                            ["unknown field 'cnrs_coordinater'", "did you mean 'cnrs_coordinator'?"]),
    "unknown-value": Broken(IRP, replace("[joint_results, established,", "[joint_results, establish,"), "establish,",
                            ["'establish' is not a value of collaboration_maturity", "did you mean 'established'?"]),
    "type-mismatch": Broken(IRP, replace("collaboration.countries, at_most: 2", "collaboration.partner_country, is: 33"),
                            "is: 33", ["collaboration.partner_country is text; 33 is not", "quote it"]),
    "operator-type": Broken(IRP, replace("cnrs_coordinator, is: true", "cnrs_coordinator, at_least: 1"), "at_least",
                            ["'at_least' cannot be used on cnrs_coordinator (bool)", "use one of: is, is_not"]),
    "unknown-operator": Broken(IRP, replace("one_of: [joint_results", "one_off: [joint_results"), "one_off",
                               ["unknown operator 'one_off'", "did you mean 'one_of'?"]),
    "bad-condition": Broken(IRP, replace("    - " + IRP_COORDINATOR, "    - permanent\n    - " + IRP_COORDINATOR),
                            "- permanent", ["a condition must be a mapping", "use all: [...]"]),
    "scope-mismatch": Broken(IRP, replace("scope: collaboration", "scope: profile"), "collaboration_maturity",
                             ["'collaboration_maturity' is a collaboration field", "set `scope: collaboration`"]),
    "unknown-key": Broken(IRP, replace("path_step: 30", "path_step: 30\nsumary: a typo"), "sumary",
                          ["unknown key", "did you mean 'summary'?"]),
    "schema": Broken(IRP, replace("path_step: 30", "path_step: thirty"), "path_step",
                     ["valid integer", "write a whole number without quotes"]),
    "derived-case": Broken(FACTS, replace("      - value: false\n", "      - value: maybe\n"), "value: maybe",
                           ["'maybe' is not one of [True, False]"]),
    "derived-chain": Broken(FACTS, replace("{field: collaboration.labs, at_least: 5, says: involves five or more labs}",
                                           "{field: seniority, is: senior}"), "- id: multilateral",
                            ["'multilateral' reads the derived fact 'seniority'", "derive facts from answers only"]),
    "duplicate-id": Broken("recommendations/cnrs.irp2.yaml", lambda _: (default_rules_dir() / IRP).read_text(), "id:",
                           ["id 'cnrs.irp' is also used by", "give each rule its own id"]),
    "unknown-id": Broken(LIA, replace("successor: cnrs.irp", "successor: cnrs.irpp"), "successor:",
                         ["unknown rule id 'cnrs.irpp'", "did you mean 'cnrs.irp'?"]),
    "unknown-placeholder": Broken(IRP, replace("{collaboration.partner_country}", "{collaboration.partner_contry}"),
                                  "partner_contry", ["unknown placeholder {collaboration.partner_contry}",
                                                     "did you mean {collaboration.partner_country}?"]),
    "file-name": Broken("recommendations/route_extra.yaml", lambda _: (default_rules_dir() / BOTTOM_UP).read_text()
                        .replace("id: route.bottom_up", "id: route.extra"), "id:",
                        ["the file of route.extra is named route_extra.yaml", "rename it to route.extra.yaml"]),
    "one-way-succession": Broken(IRP, replace("replaces: [cnrs.lia]", "replaces: []"), "replaces:",
                                 ["cnrs.lia names cnrs.irp as its successor, but cnrs.irp does not list it"]),
    "never-eligible": Broken(IRP, replace("    - " + IRP_COUNTRIES, "    - {field: career_stage, is: phd_student}\n"
                                          "    - " + IRP_COUNTRIES), "eligibility:",
                             ["cnrs.irp can never be eligible", "career_stage is phd_student (line",
                              "how cnrs_coordinator is derived"]),
    "never-holds": Broken(IRP, lambda t: "\n".join("    - any: [{field: collaboration.countries, at_most: 2}, "
                                                    "{field: collaboration.countries, between: [5, 3]}]"
                                                    if IRP_COUNTRIES in line else line for line in t.splitlines()),
                          "between: [5, 3]", ["this condition can never hold", "collaboration.countries is between 5, 3"]),
    "dead-case": Broken(FACTS, replace("when: {field: years_since_phd, at_most: 12}",
                                       "when: {field: years_since_phd, at_most: 5}"), "- value: established",
                        ["the case giving 'established' never applies", "the cases before it already match"]),
    "unknown-parameter": Broken(STG, replace("[erc_stg_min_years, erc_stg_max_years]",
                                             "[erc_stg_min_yeras, erc_stg_max_years]"), "erc_stg_min_yeras",
                                ["unknown parameter 'erc_stg_min_yeras'", "did you mean 'erc_stg_min_years'?"]),
    "dated-order": Broken(PARAMETERS, replace("      - {since: 2007-01-01, value: 12, source: 1}\n"
                                              "      - {since: 2013-01-01, value: 7, source: 0}",
                                              "      - {since: 2013-01-01, value: 7, source: 0}\n"
                                              "      - {since: 2007-01-01, value: 12, source: 1}"),
                          "{since: 2007-01-01, value: 12", ["the value since 2007-01-01 does not follow the one since "
                                                            "2013-01-01", "oldest first"]),
    "unused-parameter": Broken(PARAMETERS, lambda t: t + "\n  - id: never_read\n    description: a number no rule "
                               "reads\n    values: [{since: 2020-01-01, value: 1}]\n    sources: [{title: nobody, "
                               "status: unconfirmed}]\n", "id: never_read",
                               ["the parameter 'never_read' is read by no condition"]),
    "call-outside-era": Broken(CALLS, replace("{year: 2018, opens: 2018-04-10, closes: 2018-05-30, source: 1}",
                                              "{year: 2018, opens: 2018-04-10, closes: 2018-06-30, source: 1}"),
                               "closes: 2018-06-30", ["PICS 2018 closes on 2018-06-30",
                                                      "outside the dates cnrs.pics is offered"]),
    "usual-after-last": Broken(CALLS, replace("        first: 2014\n        last: 2018",
                                              "        first: 2019\n        last: 2018"), "last: 2018",
                               ["a pattern of cnrs.pics runs from 2019 to 2018"]),
    "table-dates": Broken("countries.yaml", replace("name: Volubilis, from: null", "name: Volubilis, from: 2016-01-01"),
                          "name: Volubilis, from: 2016", ["Volubilis (MA) in phc is listed from 2016-01-01 until "
                                                          "2015-01-01: never"]),
    "inverted-dates": Broken(LIA, replace("valid_from: 1994-01-01", "valid_from: 2022-01-01"), "valid_until:",
                             ["valid_until 2021-01-01 is not after valid_from 2022-01-01"]),
    "successor-ends-first": Broken("recommendations/cnrs.iea.yaml",
                                   replace("valid_from: 2018-05-31", "valid_from: 2017-01-01\nvalid_until: 2018-05-01"),
                                   "successor:", ["its successor cnrs.iea ends on 2018-05-01, no later than cnrs.pics"],
                                   "recommendations/cnrs.pics.yaml"),
    "successor-gap": Broken(IRP, replace("valid_from: 2021-01-01", "valid_from: 2022-01-01"), "valid_until:",
                            ["cnrs.lia ends on 2021-01-01 but its successor cnrs.irp starts only on 2022-01-01"], LIA),
    "successor-overlap": Broken(IRP, replace("valid_from: 2021-01-01", "valid_from: 2020-01-01"), "valid_until:",
                                ["cnrs.lia and its successor cnrs.irp are both offered from 2020-01-01 until "
                                 "2021-01-01"], LIA),
    "expired-no-successor": Broken(LIA, replace("successor: cnrs.irp\n", ""), "valid_until:",
                                   ["cnrs.lia ended on 2021-01-01 and names no successor"]),
    "successor-without-end": Broken(LIA, replace("valid_until: 2021-01-01\n", ""), "successor:",
                                    ["names the successor cnrs.irp but has no valid_until"]),
    "successor-cycle": Broken(IRP, replace("valid_from: 2021-01-01",
                                           "valid_from: 2021-01-01\nvalid_until: 2030-01-01\nsuccessor: cnrs.lia"),
                              "successor:", ["successors go round in a circle: cnrs.irp -> cnrs.lia -> cnrs.irp"]),
    "no-source": Broken(IRP, lambda t: t[:t.index("sources:")] + "sources: []\n", "sources:",
                        ["has no source", "add sources:"]),
    "unconfirmed-sources": Broken(IRP, lambda t: t.replace("status: confirmed", "status: unconfirmed")
                                  .replace("status: talk", "status: unconfirmed"), "sources:",
                                  ["cnrs.irp rests only on unconfirmed sources"]),
    "source-without-url": Broken(IRP, replace("    url: https://www.mio", "    # no url"), "title: \"MIO",
                                 ["the confirmed source 'MIO, 2026 IRP/IRN call", "has no url"]),
    "no-questions": Broken(QUESTIONS, None, None, ["does not exist: questions are not checked"]),  # as bundled
    "questions-file": Broken(QUESTIONS, write("questions: {career_stage: 1}\n"), "questions:",
                             ["questions.yaml holds `questions:`, a list"]),
    "question-unknown-field": Broken(QUESTIONS, write("questions:\n  - {id: stage, field: carreer_stage}\n"),
                                     "carreer_stage", ["question 'stage' is bound to 'carreer_stage', which is no "
                                                       "profile field", "did you mean 'career_stage'?"]),
    "question-without-field": Broken(QUESTIONS, write("questions:\n  - {id: welcome, text: Hello}\n"), "welcome",
                                     ["question 'welcome' is bound to no field"]),
    "field-not-asked": Broken(QUESTIONS, write("questions:\n  - {id: move, field: willing_to_relocate, type: yes_no, "
                                               "prompt: Move?}\n"), "questions:",
                              ["no question asks collaboration.stage, which", "add a question with field: "
                               "collaboration.stage"]),
    "test-file": Broken("tests/cnrs.irp.yaml", replace("career_stage: junior_researcher", "career_stage: junior_reseacher"),
                        "junior_reseacher", ["cases[0].profile.career_stage", "'junior_reseacher' is not an allowed",
                                                 "did you mean 'junior_researcher'?"]),
    "ignored-file": Broken("recommendations/x.yml", lambda _: (default_rules_dir() / IRP).read_text(), None,
                           ["is not read: only the .yaml files of recommendations/ are", "rename it to x.yaml"]),
    "empty-all": Broken(IRP, replace("  all:\n", "  all:\n    - all: []\n"), "- all: []",
                        ["an empty `all: []` always holds", "write its conditions"]),
    "out-of-bounds": Broken(IRP, replace(IRP_COUNTRIES, "{field: phd_year, at_least: 1800,"), "at_least: 1800",
                            ["phd_year is from 1900 to 2100 in every profile: 1800 is beyond that",
                             "'phd_year is at least 1800' says the same for everyone"]),
    "duplicate-case": Broken("tests/cnrs.irp.yaml", lambda t: t + t[t.index("  - name:"):t.index("  - name:", 10)]
                             .replace("gets an IRP", "gets an IRP again"), "gets an IRP again",
                             ["repeats case 'permanent CNRS physicist with joint papers with Italy gets an IRP' (line 2)",
                              "the same profile and expectations"]),
    "case-without-date": Broken("tests/cnrs.irp.yaml", replace("      as_of: 2024-03-01\n", ""), "- name: permanent",
                                ["has no as_of", "add as_of: YYYY-MM-DD"]),
    "untested-rule": Broken("recommendations/route.extra.yaml",
                            lambda _: (default_rules_dir() / BOTTOM_UP).read_text()
                            .replace("id: route.bottom_up", "id: route.extra"), "id:",
                            ["no test case in tests/ expects advice on route.extra"]),
}

# Authoring mistakes that crashed `rules check` with a traceback (issue 16): each is now the finding of its code.
CRASHED: dict[str, tuple[str, Broken]] = {
    "a misspelt field with a list in facts.yaml": ("unknown-field", Broken(FACTS, replace(
        "{field: career_stage, one_of: [junior", "{field: career_stge, one_of: [junior"), "career_stge",
        ["unknown field 'career_stge'", "did you mean 'career_stage'?"])),
    "a misspelt partnership field in facts.yaml": ("unknown-field", Broken(FACTS, replace(
        "{field: collaboration.stage, is: none}", "{field: colaboration.stage, is: none}"), "colaboration.stage",
        ["unknown field 'colaboration.stage'", "did you mean 'collaboration.stage'?"])),
    "between: true": ("operator-type", Broken(IRP, replace("at_most: 2,", "between: true,"), "between: true",
                                              ["'between' takes a list"])),
    "between on a yes/no field": ("operator-type", Broken(IRP, replace("cnrs_coordinator, is: true",
                                                                       "cnrs_coordinator, between: 5"), "between: 5",
                                                          ["'between' cannot be used on cnrs_coordinator (bool)"])),
    "a list where one value goes": ("operator-type", Broken(IRP, replace("cnrs_coordinator, is: true",
                                                                         "cnrs_coordinator, is: [true]"), "is: [true]",
                                                            ["'is' compares with one value, not a list",
                                                             "use one_of: [a, b] for several"])),
    "one_of: []": ("operator-type", Broken(IRP, replace("one_of: [joint_results, established, structured]",
                                                        "one_of: []"), "one_of: []",
                                           ["'one_of' takes at least one value"])),
    "a list as a field's name": ("bad-condition", Broken(IRP, replace(IRP_COORDINATOR, "{field: [cnrs_coordinator], "
                                                                      "is: true,"), "field: [cnrs_coordinator]",
                                                         ["field names one field", "e.g. field: career_stage"])),
    "a list as a condition's wording": ("type-mismatch", Broken(IRP, replace(
        "says: you can coordinate a CNRS label (permanent staff in a CNRS unit)", "says: [you, can]"),
        "says: [you, can]", ["says is the condition in words; ['you', 'can'] is no text"])),
    "an empty questions.yaml": ("questions-file", Broken(QUESTIONS, write(""), "", ["holds `questions:`, a list"])),
    "a questions.yaml that is a list": ("questions-file", Broken(QUESTIONS, write("- a\n- b\n"), "- a",
                                                                 ["holds `questions:`, a list"])),
    "a YAML syntax error in questions.yaml": ("yaml-syntax", Broken(QUESTIONS, write(
        "questions:\n  - {id: a, field: goals}}\n"), "goals}}", ["YAML syntax error"])),
    "{0} in a reason": ("unknown-placeholder", Broken(IRP, replace("already has joint", "already has {0} joint"),
                                                       "{0}", ["{0} is not a placeholder", "e.g. {career_stage}"])),
    "{name!r} in a reason": ("unknown-placeholder", Broken(IRP, replace("already has joint", "has {name!r} joint"),
                                                           "{name!r}", ["{name!r} is not a placeholder"])),
}


def broken_copy(tmp_path: Path, broken: Broken) -> Path:
    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    target = rules / broken.file
    if broken.edit is None:
        shutil.rmtree(target) if target.is_dir() else target.unlink(missing_ok=True)
    else:
        text = target.read_text(encoding="utf-8") if target.exists() else ""
        target.write_bytes(broken.edit(text).encode("utf-8", "surrogateescape"))
    return rules


def expected_line(rules: Path, broken: Broken) -> int | None:
    if broken.marker is None:
        return None
    if broken.marker == "":  # an empty file: its problem is on line 1
        return 1
    lines = (rules / (broken.reported_in or broken.file)).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if broken.marker in line)


def test_every_check_has_a_broken_fixture():
    assert sorted(BROKEN) == sorted(set(CATALOG) - {"internal-error"})  # (a bug of ours: see the test below)


@pytest.mark.parametrize("code", sorted(BROKEN))
def test_broken_rulebase_gives_the_finding(tmp_path, code):
    assert_finding(tmp_path, code, BROKEN[code])


@pytest.mark.parametrize("mistake", sorted(CRASHED))
def test_a_mistake_that_crashed_the_check_is_a_finding(tmp_path, mistake):
    code, broken = CRASHED[mistake]
    report = assert_finding(tmp_path, code, broken)
    assert not [f for f in report.findings if f.check.name == "internal-error"]


def assert_finding(tmp_path: Path, code: str, broken: Broken):
    """The copy of the bundled rulebase broken by `broken` gives a finding of `code`, in its place and words."""
    rules = broken_copy(tmp_path, broken)
    report = check_rulebase(rules)
    found = [f for f in report.findings if f.check.name == code]
    assert found, f"no {code} finding; got:\n" + "\n".join(str(f.problem) for f in report.findings)
    where = (rules / (broken.reported_in or broken.file)).resolve()
    line = expected_line(rules, broken)
    matching = [f for f in found if Path(f.problem.path).resolve() == where and f.problem.line == line
                and all(word in f.problem.message + " " + (f.problem.fix or "") + " " + (f.problem.field or "")
                        for word in broken.words)]
    assert matching, f"expected {where.name}:{line} {broken.words}; got:\n" + "\n".join(str(f.problem) for f in found)
    assert (report.errors > 0) == (CATALOG[code].severity == "error")
    return report


def test_bundled_rulebase_has_no_error():
    report = check_rulebase()
    assert report.errors == 0, "\n".join(str(f.problem) for f in report.findings if f.severity == "error")


def test_cli_text_json_and_exit_codes(run_cli, tmp_path):
    code, out, err = run_cli("rules", "check")
    assert code == 0 and re.search(r"rules: 0 errors, \d+ warnings?, \d+ notes?$", out.strip()), out
    rules = broken_copy(tmp_path, BROKEN["unknown-field"])
    code, out, _ = run_cli("rules", "check", rules)
    assert code == 1
    assert "cnrs.irp.yaml:13:8: error R101 unknown-field: unknown field 'cnrs_coordinater'" in out
    assert "fix: did you mean 'cnrs_coordinator'?" in out
    code, out, _ = run_cli("rules", "check", "--rules", rules, "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["summary"]["error"] == 1
    (finding,) = [f for f in data["findings"] if f["severity"] == "error"]
    assert finding["code"] == "R101" and finding["name"] == "unknown-field" and finding["line"] == 13


def test_strict_ignore_and_list(run_cli):
    assert run_cli("rules", "check", "--strict")[0] == 1  # the bundled rulebase has warnings
    code, out, _ = run_cli("rules", "check", "--strict", "--ignore", "R503")
    assert code == 0 and "R503" not in out
    code, out, _ = run_cli("rules", "check", "--ignore", "source-without-url", "--ignore", "no-questions")
    assert "source-without-url" not in out and "no-questions" not in out
    code, _, err = run_cli("rules", "check", "--ignore", "R999")
    assert code == 2 and "no such check" in err
    code, out, _ = run_cli("rules", "check", "--list")
    assert code == 0 and all(c.name in out for c in CATALOG.values())


def test_dir_and_rules_must_agree(run_cli, tmp_path):
    code, _, err = run_cli("rules", "check", tmp_path, "--rules", default_rules_dir())
    assert code == 2 and "name different folders" in err


def test_expiry_depends_on_today(tmp_path):
    rules = broken_copy(tmp_path, Broken(LIA, replace("successor: cnrs.irp\n", ""), None, []))
    import datetime as dt

    (early,) = [f for f in check_rulebase(rules, today=dt.date(2020, 1, 1)).findings
                if f.check.name == "expired-no-successor"]
    assert "cnrs.lia ends on 2021-01-01" in early.problem.message


def test_several_broken_files_are_all_reported(tmp_path):
    rules = broken_copy(tmp_path, BROKEN["yaml-syntax"])
    (rules / LIA).write_text((rules / LIA).read_text().replace("kind: cnrs_label", "kind: cnrs_label\nkind: x"))
    names = {f.check.name for f in check_rulebase(rules).findings}
    assert {"yaml-syntax", "duplicate-key"} <= names


def test_questions_bound_to_every_field_give_no_question_finding(tmp_path):
    from advisor.toolkit.checks.questions import ASKABLE

    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    kinds = {"enum": "single", "enum_list": "multiple", "bool": "yes_no", "int": "number", "date": "date",
             "text": "text"}  # a question `advisor ask` takes, for each kind of field
    fields = load_rulebase(rules).fields
    questions = [{"id": f"q{i}", "field": name, "prompt": "?", **(
        {"type": "group", "add_another": "Another?"} if name == "collaborations" else
        {"type": kinds[fields[name].type],
         "choices": [{"value": v, "label": str(v)} for v in fields[name].values if fields[name].type.startswith("enum")]}
    )} for i, name in enumerate(sorted(ASKABLE))]
    (rules / QUESTIONS).write_text(yaml.safe_dump({"version": 1, "questions": questions}))
    names = {f.check.name for f in check_rulebase(rules).findings}
    assert not names & {"no-questions", "questions-file", "question-unknown-field", "question-without-field",
                        "field-not-asked", "duplicate-id"}


def test_duplicate_question_ids(tmp_path):
    rules = broken_copy(tmp_path, Broken(QUESTIONS, write("questions:\n  - {id: a, field: goals}\n"
                                                          "  - {id: a, field: career_stage}\n"), None, []))
    (finding,) = [f for f in check_rulebase(rules).findings if f.check.name == "duplicate-id"]
    assert finding.problem.line == 3 and "question id 'a' is also used on line 2" in finding.problem.message


def test_a_derived_fact_without_source(tmp_path):
    rules = broken_copy(tmp_path, Broken(FACTS, lambda t: t.replace(
        "    sources:\n      - title: \"IRN: several", "    sources: []\n    old_sources:\n      - title: \"IRN: several"),
        None, []))
    found = [f for f in check_rulebase(rules).findings if f.check.name == "no-source"]
    assert found and found[0].problem.field == "derived.3.sources" and "has no source" in found[0].problem.message


@pytest.mark.parametrize("old, new, marker, fix", [
    ("valid_from: 2021-01-01", "valid_from: 2021-02-30", "valid_from", "write an existing date as YYYY-MM-DD"),
    ("title: International Research Project (IRP)\n", "", "id:", "add it")])
def test_a_schema_error_says_how_to_fix_it(tmp_path, old, new, marker, fix):
    # A rule author is not a programmer: "Input should be a valid date or datetime, day value is outside expected
    # range" alone left them guessing.
    rules = broken_copy(tmp_path, Broken(IRP, replace(old, new), marker, []))
    found = [f.problem for f in check_rulebase(rules).findings if f.check.name == "schema"]
    assert [p.fix for p in found] == [fix] and found[0].line == expected_line(rules, Broken(IRP, None, marker, []))


def test_a_mistake_in_one_derived_fact_is_one_error(tmp_path):
    # It dropped the whole of facts.yaml: every rule reading any derived fact then said "unknown field", 21 errors
    # for one typo, some with wrong guesses ("did you mean 'collaboration.countries'?").
    rules = broken_copy(tmp_path, Broken(FACTS, replace("    type: bool\n", "    type: boolean\n"), None, []))
    errors = [f.problem for f in check_rulebase(rules).findings if f.severity == "error"]
    assert len(errors) == 1, [str(p) for p in errors]
    (error,) = errors
    assert Path(error.path).name == "facts.yaml" and (error.line, error.field) == (6, "derived.0.type")
    assert "Input should be 'bool' or 'enum'" in error.message and error.fix == "write one of the values named"


def test_a_misshapen_question_is_found_by_the_check_not_by_the_first_user(tmp_path):
    # `rules check` read only each question's id and field: a misspelt type or key passed it, and `advisor ask`
    # then refused to start. The check now reports what `ask` would, with fixes.
    edit = lambda text: replace("    type: single\n", "    type: singel\n")(  # noqa: E731
        replace("    prompt: What is your current position?", "    promt: What is your current position?")(text))
    rules = broken_copy(tmp_path, Broken(QUESTIONS, edit, None, []))
    found = sorted((f.problem.line, f.problem.field, f.problem.message, f.problem.fix)
                   for f in check_rulebase(rules).findings if f.check.name == "questions-file")
    assert [(field, fix) for _, field, _, fix in found] == [
        ("questions[1].prompt", "add it"), ("questions[1].type", "write one of the values named"),
        ("questions[1].promt", "did you mean 'prompt'?")]
    assert found[1][2].startswith("Input should be 'single', 'multiple'")


def test_a_choice_that_is_no_value_of_its_field_is_found_by_the_check(tmp_path):
    rules = broken_copy(tmp_path, Broken(QUESTIONS, replace("value: postdoc,", "value: post_doc,"), None, []))
    found = {(f.problem.field, f.problem.message, f.problem.fix)
             for f in check_rulebase(rules).findings if f.check.name == "questions-file"}
    assert found == {("questions[1].choices[2].value", "'post_doc' is not a value of career_stage",
                      "did you mean 'postdoc'?"),
                     ("questions[1].choices", "no choice for postdoc", "offer every value of the field")}


def test_the_docs_list_every_check_with_its_severity():
    # The table said R604 was a warning after it became an error: it is kept in step with the catalog.
    text = (Path(__file__).parent.parent / "docs" / "rulebase-tools.md").read_text(encoding="utf-8")
    rows = {m[0]: m[1:] for m in re.findall(r"^\| (R\d{3}) \| `([a-z-]+)` \| (\w+) \|", text, re.M)}
    assert rows == {c.number: (c.name, c.severity) for c in CATALOG.values()}


@pytest.mark.parametrize("make, words", [
    (lambda path: path.symlink_to(path.parent / "nowhere.yaml"), "No such file"),
    (lambda path: path.mkdir(), "is a folder")])
def test_a_rule_file_that_is_a_broken_link_or_a_folder_is_unreadable(tmp_path, run_cli, make, words):
    rules = broken_copy(tmp_path, Broken(IRP, replace("", ""), None, []))
    make(rules / "recommendations" / "zz.yaml")
    (finding,) = [f for f in check_rulebase(rules).findings if f.severity == "error"]
    assert (finding.check.name, Path(finding.problem.path).name) == ("unreadable", "zz.yaml")
    assert words in finding.problem.message
    code, out, err = run_cli("rules", "test", rules)  # it crashed on the file's fingerprint, before reading it
    assert code == 1 and "zz.yaml: " in out + err and "Traceback" not in out + err


def test_one_of_nothing_is_refused_by_the_loader_too(tmp_path, run_cli):
    # `one_of: []` passed the check, then `evaluate` and `rules test` crashed writing it out for the engine.
    rules = broken_copy(tmp_path, CRASHED["one_of: []"][1])
    with pytest.raises(RulebaseError, match="'one_of' takes at least one value"):
        load_rulebase(rules)
    code, out, err = run_cli("rules", "test", rules)
    assert code == 1 and "'one_of' takes at least one value" in out + err


def test_a_failing_check_is_one_finding_and_the_others_still_come(tmp_path, run_cli, monkeypatch):
    def broken_check(context):
        yield from ()
        raise KeyError("surprise")

    monkeypatch.setattr(CATALOG["file-name"], "function", broken_check)
    rules = broken_copy(tmp_path, BROKEN["unknown-field"])
    code, out, err = run_cli("rules", "check", rules)
    assert code == 1 and not err
    assert "error R000 internal-error: internal error in check R204 file-name: KeyError: 'surprise'" in out
    assert "please report it" in out and "unknown field 'cnrs_coordinater'" in out


def test_a_reader_problem_of_a_code_the_catalog_lacks_is_unreadable(tmp_path, monkeypatch):
    # `Finding(p, CATALOG[p.code])` raised KeyError on a code the YAML reader gives and the catalog does not list.
    from advisor.errors import Problem
    from advisor.toolkit import checks

    problem = Problem("rules/x.yaml", "a key that is a list", 3, 1, code="some-new-reader-code")
    monkeypatch.setattr(checks, "inspect_rulebase", lambda directory: (None, [problem]))
    (finding,) = check_rulebase(tmp_path).findings
    assert finding.check.name == "unreadable" and finding.problem.message == "a key that is a list"
