"""Inputs no one wrote by hand: every outcome is advice or a reported problem, never a crash.

(1) A profile with fields set to odd values of every type is either evaluated or refused with an
InputError; (2) wherever the fast YAML reader (yaml-rs) gives valid profiles from randomly damaged
YAML text, the strict loader gives the same; (3) property-based tests (hypothesis): profile and
answers files of every shape (wrong types, huge numbers, tags, odd keys, unicode, deep nesting) give
a result or an input error naming the file and line, never a traceback, from the loader and from
`evaluate`, `batch`, `ask --answers` and a session whose profile was edited by hand.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.batch.reading import read_line
from advisor.contract.profile import Collaboration, Profile
from advisor.errors import InputError
from advisor.io.documents import parse_plain_yaml, parse_yaml
from advisor.io.profiles import _all_valid, load_profiles, profiles_from_document
from advisor.toolkit.synthetic import synthetic_profiles

from .conftest import CommandLine

ODD_VALUES = [None, True, False, 0, -1, 2**70, 1.5, 1e308, "", "x" * 300, "NO", "yes", [], {}, [None], {"a": 1},
              "2024-02-30", "2024-01-01", "9999-12-31", "é", "\u202e", "\x1b[2J", "postdoc", ["postdoc"], [1, 2],
              "FR", "fr", "F", 1900, 2101]
DAMAGE = list(":-[]{}#&*!|>'\"%@`,? \n\t") + ["yes", "NO", "0x1F", "0o17", "1e3", "~", "null", "2024-01-01", "---",
                                              "...", "\\u001b", "é"]


def _damaged_profile(rng: random.Random, data: dict) -> dict:
    data = json.loads(json.dumps(data))
    for _ in range(rng.randint(1, 3)):
        target = data
        partners = data.get("collaborations")
        if isinstance(partners, list) and partners and isinstance(partners[0], dict) and rng.random() < 0.4:
            target = partners[0]
        target[rng.choice([*target, "extra", "as_of", "goals", "collaborations"])] = rng.choice(ODD_VALUES)
    return data


def test_odd_values_give_advice_or_a_reported_problem(python_advisor):
    rng = random.Random(1)
    base = list(synthetic_profiles(50, seed=9))
    evaluated = refused = 0
    for _ in range(600):
        data = _damaged_profile(rng, rng.choice(base))
        try:
            for loaded in read_line("f.jsonl", 1, json.dumps(data)):
                python_advisor.evaluate(loaded.profile, "f.jsonl:1")
                evaluated += 1
        except InputError:
            refused += 1
    assert evaluated > 20 and refused > 100  # both outcomes were exercised


def test_the_fast_reader_gives_the_profiles_of_the_strict_one(tmp_path):
    # batch and evaluate read files through one function, which uses yaml-rs where it reads like the strict
    # loader: wherever it answers with valid profiles, the strict loader must find the same ones.
    rng = random.Random(2)
    base = [yaml.safe_dump(d, sort_keys=False) for d in synthetic_profiles(30, seed=4)]
    fast_used = 0
    for _ in range(3000):
        text = rng.choice(base)
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(text))
            text = text[:at] + rng.choice(DAMAGE) + text[at + rng.randint(0, 3):]
        data = parse_plain_yaml(text)
        fast = _all_valid(data, "p.yaml") if data is not None else None
        if fast is None:
            continue
        fast_used += 1
        strict = profiles_from_document(parse_yaml(text, "p.yaml"), text)
        assert [p.profile for p in fast] == [p.profile for p in strict], text
    assert fast_used > 20


FIELDS = [*Profile.model_fields, *Collaboration.model_fields]
BIG, DEEP = "BIGNUMBERHERE", "DEEPNESTINGHERE"  # replaced in the text: no serialiser writes them
LEAVES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=10**18, max_value=10**120),
    st.floats(), st.text(max_size=12), st.dates().map(str), st.sampled_from(ODD_VALUES[-12:]),
    st.sampled_from([BIG, DEEP, "postdoc", "FR", "Italie", "1e3", "0x1F", "0o17", "yes", "NO"]),
)
KEYS = st.one_of(st.sampled_from(FIELDS), st.text(max_size=8))
VALUES = st.recursive(LEAVES, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3),
                      max_leaves=10)
PROFILES = st.one_of(st.dictionaries(KEYS, VALUES, max_size=8), st.lists(st.dictionaries(KEYS, VALUES, max_size=4),
                                                                          max_size=3), VALUES)
# Lines a person (or a hostile file) adds by hand: explicit tags, complex keys, anchors, YAML 1.1 and 1.2
# spellings of numbers, merges, nesting.
RAW_LINES = ["phd_year: !!int x", "permanent_position: !!bool x", "as_of: !!timestamp x", "phd_year: !!float x",
             "name: !!null x", "name: !!binary aGk=", "goals: !!set {a}", "name: !!python/name:os.system",
             "name: !local x", "? [a, b]\n: 1", "? {a: 1}\n: 1", "{[a]: 1}", "x: &a 1\ny: *a",
             "<<: {name: x}", "phd_year: 0o3737", "phd_year: 0x7DF", "phd_year: 2.015e3", "phd_year: .inf",
             "phd_year: 1_999", "phd_year: 2015.0", "phd_year: +2015", "name: =", "as_of: 2024-02-30",
             "phd_year: " + "9" * 5000, "goals: " + "[" * 60 + "]" * 60, "name: \"\\x1b[2J\"", "---", "..."]


def _text(data, form: str, raw: list[str]) -> str:
    """A document as a file's text: YAML (and added raw lines), JSON or one JSON Lines line."""
    if form == "yaml":
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "".join(line + "\n" for line in raw)
    else:
        text = json.dumps(data, ensure_ascii=False) + "\n"
    for quoted in (f'"{BIG}"', BIG):
        text = text.replace(quoted, "9" * 5000)
    for quoted in (f'"{DEEP}"', DEEP):
        text = text.replace(quoted, "[" * 60 + "]" * 60)
    return text


FILES = st.tuples(PROFILES, st.sampled_from(["yaml", "json", "jsonl"]), st.lists(st.sampled_from(RAW_LINES), max_size=2))


def _clean(outcome: tuple[int, str, str], name: str) -> None:
    """A command's outcome is a result (0) or input errors (1), each naming the file and a line."""
    code, _, err = outcome
    assert code in (0, 1) and "Traceback" not in err, err
    for line in err.splitlines():
        if line.startswith("error: ") and name in line:
            assert re.match(rf"error: .*{re.escape(name)}:\d+", line), err


@contextlib.contextmanager
def _written(case) -> Iterator[tuple[Path, str]]:
    """A generated file (`FILES`) written in a folder of its own, and its text."""
    data, form, raw = case
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"p.{form}"
        text = _text(data, form, raw)
        path.write_text(text)
        yield path, text


@settings(max_examples=200, deadline=None)
@given(FILES)
def test_any_profile_file_gives_profiles_or_errors_with_a_line(case):
    with _written(case) as (path, text):
        try:
            if path.suffix == ".jsonl":
                read_line(str(path), 1, text)
            else:
                load_profiles(path)
        except InputError as error:
            assert all(p.path == str(path) or p.path.endswith(path.name) for p in error.problems), error
            assert all(p.line is not None for p in error.problems), error


@settings(max_examples=25, deadline=None)
@given(FILES)
def test_evaluate_and_batch_give_advice_or_errors_never_a_traceback(case):
    with _written(case) as (path, _):
        if path.suffix != ".jsonl":
            _clean(CommandLine()("evaluate", path, "--engine", "python"), path.name)
        (path.parent / "good.yaml").write_text("name: Ada\ncareer_stage: postdoc\n")
        outcome = CommandLine()("batch", path.parent, "--format", "jsonl", "--jobs", "1", "--engine", "python")
        _clean(outcome, path.name)
        assert '"name":"Ada"' in outcome[1]


@settings(max_examples=25, deadline=None)
@given(st.dictionaries(KEYS, VALUES, max_size=4), VALUES, st.lists(st.sampled_from(RAW_LINES), max_size=1))
def test_answers_files_and_hand_edited_sessions_never_crash(answers, bookkeeping, raw):
    # An answers file is a profile with the questionnaire's bookkeeping: both of any shape.
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "answers.yaml"
        path.write_text(_text({"career_stage": "postdoc", **answers, "questionnaire": bookkeeping}, "yaml", raw))
        _clean(CommandLine()("ask", "--no-input", "--answers", path), path.name)
        _clean(CommandLine()("ask", "--no-input", "--resume", path), path.name)
        os.environ["ADVISOR_SESSIONS"] = str(Path(folder) / "sessions")
        try:
            assert CommandLine()("session", "new", "s")[0] == 0
            profile = Path(folder) / "sessions" / "s" / "profile.yaml"
            profile.write_text(path.read_text())
            for command in (("show", "s"), ("evaluate", "s")):
                _clean(CommandLine()("session", *command), "profile.yaml")
        finally:
            del os.environ["ADVISOR_SESSIONS"]
