"""Seeded random damage to valid profiles: every outcome is advice or a reported problem, never a crash.

Two properties, on inputs no one wrote by hand: (1) a profile with fields set to odd values of
every type is either evaluated or refused with an InputError; (2) the batch's fast YAML reader
and the strict reader of `advisor evaluate` agree on randomly damaged YAML text (the same
profiles, or both an error).
"""

from __future__ import annotations

import json
import random

import yaml

from advisor.batch.reading import read_file, read_line
from advisor.errors import InputError
from advisor.io.profiles import load_profiles
from advisor.toolkit.synthetic import synthetic_profiles

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


def test_fast_and_strict_readers_agree_on_damaged_yaml(tmp_path):
    rng = random.Random(2)
    base = [yaml.safe_dump(d, sort_keys=False) for d in synthetic_profiles(30, seed=4)]
    path = tmp_path / "p.yaml"
    agreed_on_profiles = 0
    for _ in range(600):
        text = rng.choice(base)
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(text))
            text = text[:at] + rng.choice(DAMAGE) + text[at + rng.randint(0, 3):]
        path.write_text(text)
        outcomes = []
        for reader in (load_profiles, read_file):
            try:
                outcomes.append([loaded.profile.model_dump() for loaded in reader(str(path))])
            except InputError:
                outcomes.append("error")
        assert outcomes[0] == outcomes[1], text
        agreed_on_profiles += outcomes[0] != "error"
    assert agreed_on_profiles > 5  # and not only on errors
