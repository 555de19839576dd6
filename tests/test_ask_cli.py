"""`advisor ask` without a terminal: it never waits, uses the answers given and says what is missing.

Tests that name the answers still missing run on the frozen copy of the rulebase (`--rules`), which
does not change when rule authors edit the bundled rules.
"""

from __future__ import annotations

import subprocess
import sys

from advisor.io.profiles import load_profiles

from .conftest import FROZEN_RULES, ROOT

LAURA = ROOT / "profiles" / "laura-3-network-coordinator.yaml"


def test_without_a_terminal_it_lists_what_is_missing_and_advises_on_the_rest(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli("ask", "--as-of", "2024-06-01", "--rules", FROZEN_RULES)
    assert code == 0
    assert "no question is asked" in err
    assert "  - career_stage: What is your current position? (master_student | phd_student" in err
    assert "  - name:" not in err  # the name is optional: it does not change the advice
    assert "Needs more answers" in out and "Needs your answer on: career stage" in out
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_pre_filled_answers_leave_only_what_is_missing(run_cli, tmp_path):
    profile = tmp_path / "p.yaml"
    profile.write_text(LAURA.read_text().replace("in_cnrs_unit: true\n", ""))
    code, out, err = run_cli("ask", "--answers", profile, "--rules", FROZEN_RULES)
    assert code == 0
    assert "  - in_cnrs_unit: Do you work in a CNRS research unit" in err
    assert err.count("  - ") == 1
    assert "Advice for Laura G." in out and "Recommended for you" in out


def test_a_complete_profile_needs_nothing_more(run_cli):
    code, out, err = run_cli("ask", "--no-input", "--answers", LAURA, "--rules", FROZEN_RULES)
    assert code == 0 and "every answer that matters is given" in err
    assert "International Research Network (IRN)" in out


def test_resume_continues_from_an_answers_file(run_cli, tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text("schema_version: 1\nname: Ada\ncareer_stage: phd_student\n"
                       "questionnaire:\n  asked: [name, career_stage]\n")
    code, out, err = run_cli("ask", "--resume", answers)
    assert code == 0 and "Advice for Ada" in out
    assert "  - phd_year" not in err  # does not apply to a PhD student
    (loaded,) = load_profiles(answers)
    assert loaded.profile.questionnaire["asked"] == ["name", "career_stage"]  # left as it was


def test_bad_input_and_usage_errors(run_cli, tmp_path):
    code, _, err = run_cli("ask", "--resume", tmp_path / "nope.yaml")
    assert code == 1 and "nope.yaml: cannot be read" in err
    code, _, err = run_cli("ask", "--resume", LAURA)
    assert code == 1 and "advisor ask --answers" in err
    code, _, err = run_cli("ask", "--answers", ROOT / "tests" / "fixtures" / "invalid" / "bad_enum.yaml")
    assert code == 1 and "did you mean" in err
    existing = tmp_path / "mine.yaml"
    existing.write_text("name: keep me\n")
    code, _, err = run_cli("ask", "--save", existing)
    assert code == 1 and "is not overwritten" in err and existing.read_text() == "name: keep me\n"
    code, _, err = run_cli("ask", "--resume", existing, "--save", tmp_path / "x.yaml")
    assert code == 2
    assert run_cli("ask", "--resume", existing, "--answers", LAURA)[0] == 2


def test_the_installed_command_does_not_hang_on_piped_input(tmp_path):
    done = subprocess.run([sys.executable, "-m", "advisor", "ask", "--answers", str(LAURA)], input="yes\n\n\n",
                          capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert done.returncode == 0
    assert "Advice for Laura G." in done.stdout and "no question is asked" not in done.stderr
