"""End to end: the installed `advisor ask` in a real pseudo-terminal (pexpect), on the bundled rulebase.

A new user answers, goes back once and changes an answer, quits half-way with
Ctrl-C, resumes with every earlier answer intact, and reads advice with
reasons. Which question comes next depends on every rule, and rule authors
edit the bundled rules: so the test reads which question is on the screen
(by its prompt) and answers it, by question id, from a table of answers.
The exact order of questions is tested by the scripted flows
(tests/flows/*.yaml) on a frozen copy of the rulebase.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from advisor.io.profiles import dump_profile, load_profiles
from advisor.questionnaire.questions import Question, QuestionSet, load_questions
from advisor.questionnaire.state import UNKNOWN

pexpect = pytest.importorskip("pexpect")

UP, DOWN, SPACE, ENTER, BACK, CTRL_C, CTRL_U = "\x1b[A", "\x1b[B", " ", "\r", "\x02", "\x03", "\x15"
PROMPT_READY = r"back\)"  # the end of every prompt's instruction: the prompt is drawn and reads keys
HEADER = r"Question (\d+) of about \d+([^\r\n]*)\r?\n"
ANOTHER = "another"  # the group's "describe another partner?"

# What this researcher answers, by question id (values of the profile contract, not labels).
# A question missing from the table (one added to the questionnaire later) is answered "I don't know".
ANSWERS: dict[str, Any] = {
    "name": "Ada", "career_stage": "postdoc", "permanent_position": False, "in_cnrs_unit": True,
    "employer": "university", "phd_year": 2019, "country": "FR",
    "goals": ["start_collaboration", "mobility_abroad"], "willing_to_coordinate": True,
    "willing_to_relocate": False, "willing_to_serve_on_committees": False, "partners": True,
    "partner_country": "IT", "partner_type": "university", "partner_stage": "contacts", "joint_publications": 2,
    "years_active": 1, "partner_countries": 1, "partner_labs": 2, ANOTHER: False,
}
BACK_AFTER = 3  # answer this many questions (the last one "I don't know"), then go back to it and correct it
STOP_AFTER = 5  # answers in the first run, then Ctrl-C


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


class Person:
    """Reads which question is on the screen and answers it from ANSWERS; remembers what it answered."""

    def __init__(self, questions: QuestionSet):
        self.questions = questions
        self.prompts = [(questions.group, True)] + [(q, False) for q in questions.questions]
        self.given: dict[str, Any] = {}  # step key -> the answer given (a value or UNKNOWN)
        self.partners = 0

    def next_screen(self, child) -> tuple[int, str, Question, bool] | None:
        """(question number, step key, question, is "another partner?") on the screen, or None at the review."""
        if child.expect([HEADER, "Review your answers"]) == 1:
            child.expect(PROMPT_READY)
            return None
        number, where = int(child.match.group(1)), child.match.group(2)
        texts = [re.escape(q.spec.add_another if another else q.spec.prompt) for q, another in self.prompts]
        question, another = self.prompts[child.expect(texts)]
        child.expect(PROMPT_READY)
        if another:
            return number, f"{question.id}.another[{self.partners - 1}]", question, True
        partner = re.search(r"partner (\d+)", where)
        assert question.per_partner == bool(partner), f"'{question.id}' shown with header {where!r}"
        key = f"{question.id}[{int(partner.group(1)) - 1}]" if partner else question.id
        return number, key, question, False

    def answer(self, child, key: str, question: Question, another: bool, value: Any = None) -> Any:
        """Answer with `value` (default: the table's); the prompt's default is what was answered before."""
        if value is None:
            value = ANSWERS[ANOTHER] if another else ANSWERS.get(question.id, UNKNOWN)
        default = self.given.get(key)
        if another:
            child.send(_moves([True, False], False if default is None else default, value) + ENTER)
        elif question.type in ("single", "yes_no", "group"):
            values = [v for v, _ in question.choices()] + [UNKNOWN]  # "I don't know" follows the choices
            assert value in values, f"{value!r} is not a choice of '{question.id}'"
            child.send(_moves(values, default, value) + ENTER)
        elif question.type == "multiple":
            values = [v for v, _ in question.choices()] + [UNKNOWN]
            wanted = {UNKNOWN} if value is UNKNOWN else set(value)
            ticked = {UNKNOWN} if default is UNKNOWN else set(default or [])
            keys, at = "", 0
            for index, choice in enumerate(values):
                if (choice in wanted) != (choice in ticked):
                    keys += DOWN * (index - at) + SPACE
                    at = index
            child.send(keys + ENTER)
        else:  # typed: clear the earlier answer, type the new one (nothing: "I don't know")
            child.send(CTRL_U + ("" if value is UNKNOWN else str(value)) + ENTER)
        if question.type == "group" and not another and value is True:
            self.partners = max(self.partners, 1)
        if another and value is True:
            self.partners += 1
        self.given[key] = value
        return value


def _moves(values: list, default: Any, target: Any) -> str:
    """The arrow keys from the highlighted choice (the earlier answer, else the first) to `target`."""
    start = values.index(default) if default in values else 0
    moves = values.index(target) - start
    return DOWN * moves if moves > 0 else UP * -moves


def _saved(data: dict[str, Any], key: str, question: Question) -> Any:
    """The answer to a step as the answers file holds it (UNKNOWN when listed as "I don't know")."""
    match = re.fullmatch(r"\w+\[(\d+)\]", key)
    path = f"collaborations[{match.group(1)}].{question.attribute}" if match else question.field
    if path in data.get("questionnaire", {}).get("unknown", []):
        return UNKNOWN
    if question.type == "group":
        return bool(data.get("collaborations"))
    value = data.get(question.field) if not match else data["collaborations"][int(match.group(1))].get(
        question.attribute)
    return sorted(value) if isinstance(value, list) else value


def test_answer_go_back_quit_resume_and_get_advice(rulebase, tmp_path):
    person = Person(load_questions(rulebase))
    child = _spawn(["ask", "--as-of", "2024-06-01"], tmp_path)
    child.expect("saved in")
    asked: list[str] = []
    went_back = False
    while len(asked) < STOP_AFTER:
        screen = person.next_screen(child)
        assert screen is not None, f"the questionnaire ended after {asked}: too short to stop half-way"
        number, key, question, another = screen
        assert number == len(asked) + 1
        if len(asked) == BACK_AFTER and not went_back:  # go back once, from whatever question this is
            went_back = True
            child.send(BACK)
            number, key, question, another = person.next_screen(child)
            assert (number, key) == (BACK_AFTER, asked[-1]), "Ctrl-B did not reopen the previous question"
            person.answer(child, key, question, another, ANSWERS.get(question.id, UNKNOWN))  # correct it
            continue
        first_try = UNKNOWN if len(asked) == BACK_AFTER - 1 and not another else None
        person.answer(child, key, question, another, first_try)
        asked.append(key)
    assert person.next_screen(child) is not None
    child.send(CTRL_C)  # quit half-way
    child.expect("advisor ask --resume answers.yaml")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130

    (saved,) = load_profiles(tmp_path / "answers.yaml")  # a valid profile, every answer in it
    data = dump_profile(saved.profile)
    assert data["questionnaire"]["asked"] == asked
    by_id = person.questions.by_id
    expected = {key: _sorted(person.given[key]) for key in asked if ".another" not in key}
    assert {key: _saved(data, key, by_id[key.split("[")[0]]) for key in expected} == expected
    assert expected[asked[BACK_AFTER - 1]] == _sorted(ANSWERS.get(asked[BACK_AFTER - 1].split("[")[0], UNKNOWN))

    child = _spawn(["ask", "--resume", "answers.yaml"], tmp_path)
    child.expect(f"{len(asked)} answers kept")
    while (screen := person.next_screen(child)) is not None:
        number, key, question, another = screen
        assert number == len(asked) + 1  # numbering goes on from the earlier session
        person.answer(child, key, question, another)
        asked.append(key)
        assert len(asked) < 60, "the questionnaire does not end"
    child.send(ENTER)  # the review: all correct
    child.expect(r"Advice for \S*Ada")
    child.expect("In short")  # the short answer first
    child.expect(r"Recommended for you \(\d+\)")
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
    assert "Advice for Ada" in advice and "Why" in advice and "Sources" in advice
    for written in ("answers.yaml", "advice.txt"):  # personal data: readable by the owner only
        assert (tmp_path / written).stat().st_mode & 0o777 == 0o600, written
    (final,) = load_profiles(tmp_path / "answers.yaml")
    data = dump_profile(final.profile)
    assert data["questionnaire"]["asked"] == asked and data["questionnaire"]["finished"] is True
    assert {key: _saved(data, key, by_id[key.split("[")[0]]) for key in expected} == expected  # still intact


def _sorted(value: Any) -> Any:
    return sorted(value) if isinstance(value, list) else value


def test_sigterm_stops_like_ctrl_c(rulebase, tmp_path):
    # `kill` (or a closing session's SIGTERM) killed the questionnaire at once: no word on where the answers
    # were, and the prompt's terminal modes (hidden cursor, bracketed paste) were left on.
    import signal  # noqa: PLC0415

    person = Person(load_questions(rulebase))
    child = _spawn(["ask", "--as-of", "2024-06-01"], tmp_path)
    child.expect("saved in")
    screen = person.next_screen(child)
    person.answer(child, *screen[1:])
    assert person.next_screen(child) is not None  # the second question waits for keys
    os.kill(child.pid, signal.SIGTERM)
    child.expect(re.escape("\x1b[?25h"))  # the prompt gave the cursor back...
    child.expect("Every answer so far is saved in answers.yaml")  # ...then said how to go on
    child.expect("advisor ask --resume answers.yaml")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 143 and "Traceback" not in child.before
    (saved,) = load_profiles(tmp_path / "answers.yaml")
    assert dump_profile(saved.profile)["questionnaire"]["asked"] == [screen[1]]
