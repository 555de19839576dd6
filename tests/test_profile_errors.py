"""One invalid fixture per kind of input error: a clear message, file:line, exit code 1."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.errors import InputError
from advisor.io.documents import MAX_FILE_BYTES
from advisor.io.profiles import load_profiles

from .conftest import FIXTURES, ROOT

INVALID = FIXTURES / "invalid"

# fixture -> (line, words the message must contain)
EXPECTED = {
    "unknown_field.yaml": (2, ["unknown field 'carreer_stage'", "did you mean 'career_stage'?"]),
    "bad_enum.yaml": (1, ["career_stage", "'post_doc' is not an allowed value", "did you mean 'postdoc'?",
                          "allowed: master_student"]),
    "wrong_type.yaml": (2, ["phd_year", "'last year'", "whole number"]),
    "bad_bool.yaml": (1, ["permanent_position", "'maybe'", "true or false"]),
    "syntax_error.yaml": (3, ["YAML syntax error"]),
    "duplicate_key.yaml": (3, ["key 'career_stage' appears twice (first on line 1)"]),
    "alias_bomb.yaml": (1, ["anchors and aliases"]),
    "empty.yaml": (1, ["is empty"]),
    "empty_list.yaml": (1, ["is an empty list: it holds no profile"]),
    "control_character.yaml": (1, ["name", "contains the control character U+001B", "plain text on one line"]),
    "not_a_mapping.yaml": (1, ["must be a mapping of field: value"]),
    "bad_country.yaml": (1, ["nationality", "'XX': is not a country code",
                             "write the country's name in English or French, or its code"]),
    "country_typo.yaml": (4, ["collaborations[0].partner_country", "'Itlay': is not a country we know",
                              "did you mean Italy (IT)?"]),
    "bad_schema_version.yaml": (1, ["schema_version", "version 2 is not supported", "use schema_version: 1"]),
    "collaboration_typo.yaml": (4, ["collaborations[0].stage", "'jointresults' is not an allowed value",
                                    "did you mean 'joint_results'?"]),
    "negative_number.yaml": (2, ["collaborations[0].joint_publications", "greater than or equal to 0"]),
    "bad_goal.yaml": (1, ["goals[1]", "'buildnetwork'", "did you mean 'build_network'?"]),
    "bad_date.yaml": (1, ["as_of", "YYYY-MM-DD"]),
    "partnership_older_than_career.yaml": (5, ["collaborations[0].years_active", "30 years of collaboration would "
                                               "start more than 10 years before the PhD (2015)"]),
    "phd_after_advice.yaml": (3, ["phd_year", "2030 is after the date of the advice (2025-06-01)", "correct the year"]),
    "syntax_error.json": (2, ["JSON syntax error"]),
    "bad_enum.json": (2, ["goals[0]", "'consolidat'", "did you mean 'consolidate'?"]),
    "duplicate_key.json": (5, ["key 'career_stage' appears twice (first on line 3)", "keep only one of them"]),
    "wrong_extension.txt": (None, ["unknown extension '.txt'", "use .yaml, .yml or .json"]),
    "not_utf8.yaml": (None, ["is not UTF-8 text"]),
    "list_one_bad.yaml": (4, ["[1].career_stage", "'astronaut' is not an allowed value"]),
}


def test_every_fixture_has_an_expectation():
    assert sorted(p.name for p in INVALID.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_invalid_profile_message(name):
    line, words = EXPECTED[name]
    with pytest.raises(InputError) as caught:
        load_profiles(INVALID / name)
    message = str(caught.value)
    assert name in message
    if line is not None:
        assert f"{name}:{line}:" in message, message
    for word in words:
        assert word in message, message


@pytest.mark.parametrize("name", ["unknown_field.yaml", "syntax_error.json", "alias_bomb.yaml"])
def test_cli_reports_invalid_input_with_exit_code_1(run_cli, name):
    code, out, err = run_cli("evaluate", INVALID / name)
    assert code == 1
    assert out.strip() == ""
    assert err.startswith("error: ") and name in err


def test_huge_file_is_refused_before_reading(tmp_path):
    big = tmp_path / "huge.yaml"
    big.write_text("name: x\n" + "# padding\n" * (MAX_FILE_BYTES // 10 + 1))
    with pytest.raises(InputError, match="the limit is"):
        load_profiles(big)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_device_is_refused_unread(tmp_path):
    endless = tmp_path / "endless.yaml"
    endless.symlink_to("/dev/zero")  # a device says it holds 0 bytes, and never ends
    with pytest.raises(InputError, match="endless.yaml: is not a regular file .* not read"):
        load_profiles(endless)


def test_deeply_nested_file_is_refused(tmp_path):
    deep = tmp_path / "deep.yaml"
    deep.write_text("name: " + "[" * 200 + "]" * 200 + "\n")
    with pytest.raises(InputError, match="nested"):
        load_profiles(deep)


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="cannot be read"):
        load_profiles(tmp_path / "nope.yaml")


def test_good_profiles_still_evaluated_beside_a_bad_one(run_cli, tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text("name: Good\nas_of: 2024-01-01\ncareer_stage: postdoc\n")
    code, out, err = run_cli("evaluate", good, INVALID / "bad_enum.yaml", "--format", "json")
    assert code == 1
    assert '"name": "Good"' in out
    assert "bad_enum.yaml:1:" in err


def test_no_error_message_carries_a_terminal_code(tmp_path):
    evil = tmp_path / "evil.yaml"
    evil.write_text('career_stage: "post\\e[2Jdoc"\n"car\\e]0;title\\a": 1\n')
    with pytest.raises(InputError) as caught:
        load_profiles(evil)
    printed = str(caught.value)
    assert "\x1b" not in printed and "\x07" not in printed
    assert "\\x1b[2J" in printed  # shown as an escape, so the user sees what is in the file


def test_countries_are_read_by_name_or_code_and_kept_as_codes(tmp_path):
    named = tmp_path / "named.yaml"
    named.write_text("country: Allemagne\nnationality: côte d'ivoire\ncollaborations:\n  - partner_country: usa\n")
    (loaded,) = load_profiles(named)
    assert (loaded.profile.country, loaded.profile.nationality) == ("DE", "CI")
    assert loaded.profile.collaborations[0].partner_country == "US"
    accented = tmp_path / "accented.yaml"
    accented.write_text('country: "ÉÉ"\nnationality: 12\n')
    with pytest.raises(InputError) as caught:
        load_profiles(accented)
    assert sorted((p.line, p.field) for p in caught.value.problems) == [(1, "country"), (2, "nationality")]
    message = str(caught.value)
    assert "is not a country code" in message and "12: is not a country: write the country's name" in message


def test_a_date_outside_what_advice_can_be_for_is_refused(tmp_path, run_cli):
    far = tmp_path / "far.yaml"
    far.write_text("as_of: 9999-12-31\ncareer_stage: postdoc\n")  # the counterfactual 'wait a year' would overflow
    with pytest.raises(InputError, match="less than or equal to 2199-12-31"):
        load_profiles(far)
    code, _, err = run_cli("evaluate", ROOT / "profiles" / "laura-3-network-coordinator.yaml", "--as-of", "9999-01-01")
    assert code == 2 and "outside the dates advice can be for" in err


@pytest.mark.parametrize("text, line, column, fix", [
    ("name: Ada: the first\n", 1, 10, 'put the text in quotes: a ": " inside it'),
    ("name: Ada\n\tcareer_stage: postdoc\n", 2, 1, "indent with spaces, not tabs"),
    ("career_stage: postdoc\nname:\n\t- Ada\n", 3, 1, "indent with spaces, not tabs"),
    ("name: @ada\n", 1, 7, 'put the text in quotes: YAML keeps "@"'),
    ("name: `Ada`\n", 1, 7, 'put the text in quotes: YAML keeps "`"'),
    ("goals: [mobility_abroad\n", 2, 1, "check indentation and quoting around this line"),
])
def test_syntax_slips_get_a_fix_in_the_editors_terms(tmp_path, text, line, column, fix):
    path = tmp_path / "p.yaml"
    path.write_text(text)
    with pytest.raises(InputError) as caught:
        load_profiles(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.column, problem.code) == (line, column, "yaml-syntax")
    assert problem.fix.startswith(fix), problem.fix


def test_a_phd_after_the_date_given_on_the_command_line_is_refused_for_that_profile_only(run_cli, tmp_path):
    late = tmp_path / "late.yaml"
    late.write_text("career_stage: postdoc\nphd_year: 2020\n")
    code, out, err = run_cli("evaluate", late, ROOT / "profiles" / "laura-1-erasmus-phd.yaml", "--as-of", "2015-01-01")
    assert code == 1 and "late.yaml: phd_year: the PhD year 2020 is after the date of the advice (2015-01-01)" in err
    assert "Laura" in out  # the other profile is still advised
    code, out, err = run_cli("batch", tmp_path, "--as-of", "2015-01-01")
    assert "late.yaml: phd_year: the PhD year 2020 is after the date of the advice" in err and "Traceback" not in err


def test_a_partnership_older_than_the_career_on_the_date_given_is_refused(run_cli, tmp_path):
    old = tmp_path / "old.yaml"
    old.write_text("phd_year: 2015\ncollaborations:\n  - {partner_country: IT, years_active: 30}\n")
    code, _, err = run_cli("evaluate", old, "--as-of", "2024-01-01")
    assert code == 1 and "old.yaml: collaborations[0].years_active: 30 years of collaboration" in err
    assert run_cli("evaluate", ROOT / "profiles" / "laura-5-extension-to-us.yaml")[0] == 0  # 24 years since 1998
