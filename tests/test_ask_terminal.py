"""End to end: the installed `advisor ask` in a real pseudo-terminal (pexpect).

A new user answers, goes back once, quits half-way with Ctrl-C, resumes with
every earlier answer intact, and reads advice with reasons.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from advisor.profiles_io import load_profiles

pexpect = pytest.importorskip("pexpect")

DOWN, SPACE, ENTER, BACK, CTRL_C = "\x1b[B", " ", "\r", "\x02", "\x03"
PROMPT_READY = r"back\)"  # the end of every prompt's instruction: the prompt is drawn and reads keys


def _advisor() -> str:
    installed = Path(sys.executable).with_name("advisor")
    found = str(installed) if installed.exists() else shutil.which("advisor")
    assert found, "the `advisor` command is not installed (pip install .)"
    return found


def _spawn(args: list[str], cwd: Path):
    env = dict(os.environ, PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm", COLUMNS="120", LINES="40")
    child = pexpect.spawn(_advisor(), args, cwd=str(cwd), env=env, encoding="utf-8", timeout=30,
                          dimensions=(40, 120))
    child.logfile_read = open(cwd / f"terminal-{len(list(cwd.glob('terminal-*')))}.log", "w")  # noqa: SIM115
    return child


def _at(child, number: int, text: str) -> None:
    child.expect(f"Question {number} of about")
    child.expect(text)
    child.expect(PROMPT_READY)


def test_answer_go_back_quit_resume_and_get_advice(tmp_path):
    child = _spawn(["ask", "--as-of", "2024-06-01"], tmp_path)
    child.expect("saved in")
    _at(child, 1, "What name")
    child.send("Ada" + ENTER)
    _at(child, 2, "current position")
    child.send(DOWN + ENTER)  # PhD student
    _at(child, 3, "What do you want to achieve")
    child.send(BACK)  # go back once
    _at(child, 2, "current position")
    child.send(DOWN + ENTER)  # from PhD student (the earlier answer) down to Postdoctoral researcher
    _at(child, 3, "What do you want to achieve")
    child.send(SPACE + ENTER)  # start a collaboration
    _at(child, 4, "")
    child.send(CTRL_C)  # quit half-way
    child.expect("advisor ask --resume answers.yaml")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130

    (saved,) = load_profiles(tmp_path / "answers.yaml")  # a valid profile, every answer in it
    assert (saved.profile.name, saved.profile.career_stage, saved.profile.goals) == \
        ("Ada", "postdoc", ["start_collaboration"])
    assert saved.profile.questionnaire["asked"] == ["name", "career_stage", "goals"]

    child = _spawn(["ask", "--resume", "answers.yaml"], tmp_path)
    child.expect("3 answers kept")
    number = 4
    while child.expect([r"Question (\d+) of about", "Review your answers"]) == 0:
        assert int(child.match.group(1)) == number  # numbering goes on from the earlier session
        child.expect(PROMPT_READY)
        child.send(ENTER)  # the highlighted choice, or "I don't know" for typed answers
        number += 1
        assert number < 40, "the questionnaire does not end"
    child.expect(PROMPT_READY)
    child.send(ENTER)  # all correct
    child.expect("Advice for Ada")
    child.expect("Why:")
    child.expect(r"Save your profile")
    child.send("n")
    child.expect("Save the advice")
    child.send("y")
    child.expect("Advice file")
    child.send(ENTER)  # advice.txt
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    advice = (tmp_path / "advice.txt").read_text()
    assert "Advice for Ada" in advice and "Sources:" in advice
    (final,) = load_profiles(tmp_path / "answers.yaml")
    assert (final.profile.name, final.profile.career_stage) == ("Ada", "postdoc")
    assert final.profile.questionnaire["asked"][:3] == ["name", "career_stage", "goals"]
    assert final.profile.questionnaire["finished"] is True
