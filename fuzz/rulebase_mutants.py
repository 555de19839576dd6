"""Seeded mutations of a rulebase folder, each one ordinary authoring mistake, and what the tools make of them.

A mutant is a copy of a rulebase with one change: a key renamed, a field or
value misspelt, a value of another type, a file emptied, broken or deleted,
nesting swapped, a required key deleted, an item or a rule file duplicated...
`try_mutant` runs `advisor rules check` on it (in-process) and sorts it:

- `findings`: the check reports an error (the mistake is caught);
- `same-advice`: no error, and the example profiles get the same verdicts;
- `caught-by-tests`: no error, the advice changed, and `advisor rules test` fails;
- `missed`: no error, the advice changed, and the rule tests still pass;
- `crash`: a traceback, an internal-error finding, or a rulebase the check
  passed that the loader then refuses.

Used by tests/test_rules_mutation.py (a few hundred mutants) and by
fuzz/fuzz_rulebase.py (the long campaign).
"""

from __future__ import annotations

import copy
import json
import random
import shutil
import string
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import yaml

from advisor.advice.advisor import Advisor
from advisor.engines.python import PythonEngine
from advisor.errors import InputError
from advisor.io.documents import load_yaml_file
from advisor.io.profiles import load_profiles
from advisor.rulebase.loader import Rulebase, load_rulebase

Run = Callable[..., tuple[int, str, str]]  # `advisor ARGS...` in-process: (exit status, stdout, stderr)
ODD_VALUES = [None, True, False, 0, -1, 1800, 10**20, "", "text", "yes", [], {}, [1, 2], {"a": 1}, [[]], 1.5,
              "2024-02-30", "{0}", "{name!r}"]
SYNTAX_BREAKERS = ["[", "{", "}", ": :", "\t", "- ", "&a ", "*a", '"', "'", "!!int x ", "? [a, b]\n", "%", "@", "`",
                   "key: value: other", "!!python/object:os.system x"]


@dataclass
class Outcome:
    kind: str  # findings, same-advice, caught-by-tests, missed, crash
    mutation: str
    detail: str = ""


# -- mutations of the data (the file is read, changed and written back as YAML) --

def _nodes(data: Any, at: tuple = ()) -> list[tuple[tuple, Any]]:
    found = []
    if isinstance(data, dict):
        for key, value in data.items():
            found += [(at + (key,), value)] + _nodes(value, at + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += [(at + (i,), value)] + _nodes(value, at + (i,))
    return found


def _parent(data: Any, at: tuple) -> Any:
    for part in at[:-1]:
        data = data[part]
    return data


def _misspelt(text: str, rng: random.Random) -> str:
    if not text:
        return "x"
    i = rng.randrange(len(text))
    how = rng.choice(["drop", "double", "swap", "replace", "case"])
    if how == "drop" and len(text) > 1:
        return text[:i] + text[i + 1:]
    if how == "swap" and i + 1 < len(text):
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]
    if how == "replace":
        return text[:i] + rng.choice(string.ascii_lowercase + "._-") + text[i + 1:]
    if how == "case":
        return text.upper() if text != text.upper() else text.lower()
    return text[:i] + text[i] + text[i:]


def rename_key(data, rng):
    keys = [(at, v) for at, v in _nodes(data) if isinstance(at[-1], str)]
    at, value = rng.choice(keys)
    parent = _parent(data, at)
    new = _misspelt(at[-1], rng)
    items = [(new if k == at[-1] else k, v) for k, v in parent.items() if k != new or k == at[-1]]
    parent.clear()
    parent.update(items)
    return f"renamed key {'.'.join(map(str, at))} to {new}"


def delete_key(data, rng):
    at, _ = rng.choice([(at, v) for at, v in _nodes(data) if isinstance(at[-1], str)])
    del _parent(data, at)[at[-1]]
    return f"deleted {'.'.join(map(str, at))}"


def misspell_value(data, rng):
    at, value = rng.choice([(at, v) for at, v in _nodes(data) if isinstance(v, str)])
    _parent(data, at)[at[-1]] = new = _misspelt(value, rng)
    return f"misspelt {'.'.join(map(str, at))}: {value!r} -> {new!r}"


def change_type(data, rng):
    at, value = rng.choice(_nodes(data))
    _parent(data, at)[at[-1]] = new = copy.deepcopy(rng.choice(ODD_VALUES))
    return f"replaced {'.'.join(map(str, at))} by {new!r}"


def change_number(data, rng):
    at, value = rng.choice([(at, v) for at, v in _nodes(data) if isinstance(v, int) and not isinstance(v, bool)])
    _parent(data, at)[at[-1]] = new = rng.choice([-1, 0, value - 1, value + 1, value * 100, -value, 10**6])
    return f"changed {'.'.join(map(str, at))}: {value} -> {new}"


def swap_nesting(data, rng):
    at, value = rng.choice(_nodes(data))
    if isinstance(value, list) and len(value) == 1 and rng.random() < 0.5:
        new = value[0]
    elif isinstance(value, dict) and len(value) == 1 and rng.random() < 0.5:
        new = next(iter(value.values()))
    else:
        new = rng.choice([[value], {"all": [value]}, {"any": [value]}, {"not": value}, {str(at[-1]): value}])
    _parent(data, at)[at[-1]] = new
    return f"re-nested {'.'.join(map(str, at))}"


def duplicate_item(data, rng):
    at, value = rng.choice([(at, v) for at, v in _nodes(data) if isinstance(v, list) and v])
    value.insert(rng.randrange(len(value) + 1), copy.deepcopy(rng.choice(value)))
    return f"duplicated an item of {'.'.join(map(str, at))}"


def empty_container(data, rng):
    at, value = rng.choice([(at, v) for at, v in _nodes(data) if isinstance(v, (list, dict))])
    _parent(data, at)[at[-1]] = type(value)()
    return f"emptied {'.'.join(map(str, at))}"


def swap_values(data, rng):
    mappings = [(at, v) for at, v in _nodes(data) if isinstance(v, dict) and len(v) > 1]
    at, value = rng.choice(mappings)
    a, b = rng.sample(list(value), 2)
    value[a], value[b] = value[b], value[a]
    return f"swapped {a} and {b} under {'.'.join(map(str, at))}"


DATA_MUTATIONS = [rename_key, delete_key, misspell_value, change_type, change_number, swap_nesting, duplicate_item,
                  empty_container, swap_values]


# -- mutations of the file itself --

def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


def break_line(path: Path, rng):
    lines = _lines(path)
    i, breaker = rng.randrange(len(lines)), rng.choice(SYNTAX_BREAKERS)
    column = rng.randrange(len(lines[i]) + 1)
    lines[i] = lines[i][:column] + breaker + lines[i][column:]
    path.write_text("".join(lines), encoding="utf-8")
    return f"inserted {breaker!r} on line {i + 1}"


def shift_line(path: Path, rng):
    lines = _lines(path)
    i = rng.randrange(len(lines))
    how = rng.choice(["delete", "duplicate", "indent", "dedent"])
    if how == "delete":
        del lines[i]
    elif how == "duplicate":
        lines.insert(i, lines[i])
    elif how == "indent":
        lines[i] = "  " + lines[i]
    else:
        lines[i] = lines[i][2:] if lines[i].startswith("  ") else lines[i]
    path.write_text("".join(lines), encoding="utf-8")
    return f"{how}d line {i + 1}"


def truncate(path: Path, rng):
    text = path.read_bytes()
    cut = rng.randrange(len(text) + 1)
    path.write_bytes(text[:cut] + rng.choice([b"", b"\xff\xfe", b"\x00", b"\xe9t\xe9"]))
    return f"cut after byte {cut}"


def replace_file(path: Path, rng):
    how = rng.choice(["empty", "delete", "folder", "dangling link", "scalar", "list", "null"])
    path.unlink()
    if how == "folder":
        path.mkdir()
    elif how == "dangling link":
        path.symlink_to(path.parent / "nowhere.yaml")
    elif how != "delete":
        path.write_text({"empty": "", "scalar": "hello\n", "list": "- a\n- b\n", "null": "~\n"}[how])
    return f"{how} instead of the file"


def copy_file(path: Path, rng):
    name = rng.choice([path.stem + ".copy.yaml", path.stem + ".yml", path.stem + ".json", "ZZ.yaml"])
    shutil.copyfile(path, path.parent / name)
    return f"copied to {name}"


FILE_MUTATIONS = [break_line, shift_line, truncate, replace_file, copy_file]


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def mutate(rules: Path, rng: random.Random) -> str:
    """Apply one mutation to the rulebase folder `rules`; say what it did (file: change)."""
    files = sorted(p for p in rules.rglob("*.yaml") if p.is_file())
    path = rng.choice(files)
    name = path.relative_to(rules).as_posix()
    if rng.random() < 0.7:
        data = load_yaml_file(path).data
        mutation = rng.choice(DATA_MUTATIONS)
        try:
            said = mutation(data, rng)
        except (IndexError, ValueError):  # nothing of that kind in this file (no number, no list...)
            return mutate(rules, rng)
        path.write_text(_dump(data), encoding="utf-8")
        return f"{name}: {said}"
    return f"{name}: {rng.choice(FILE_MUTATIONS)(path, rng)}"


# -- what the tools make of a mutant --

def example_verdicts(rulebase: Rulebase, profiles: Path) -> dict[str, dict[str, str]]:
    """Each example profile's verdict per recommendation (the plain-Python evaluation, texts included)."""
    advisor = Advisor(rulebase, PythonEngine(rulebase), counterfactuals=False, trace=False)
    verdicts = {}
    for path in sorted(profiles.glob("*.yaml")):
        for loaded in load_profiles(path):
            result = advisor.explain(advisor.evaluate(loaded.profile, loaded.source))
            verdicts[path.name] = {r.id: r.verdict for r in result.results}
    return verdicts


def try_mutant(rules: Path, mutation: str, run: Run, baseline: dict, profiles: Path) -> Outcome:
    """Run `advisor rules check` on a mutant and sort it (see the module docstring)."""
    try:
        code, out, err = run("rules", "check", rules, "--format", "json")
    except Exception:  # noqa: BLE001 - what the fuzzing is for
        return Outcome("crash", mutation, traceback.format_exc(limit=-3))
    if code not in (0, 1) or "Traceback" in out + err:
        return Outcome("crash", mutation, f"exit {code}: {(err or out)[-800:]}")
    findings = json.loads(out)["findings"]
    internal = [f for f in findings if f["name"] == "internal-error"]
    if internal:
        return Outcome("crash", mutation, internal[0]["message"])
    if code == 1:
        return Outcome("findings", mutation)
    try:
        verdicts = example_verdicts(load_rulebase(rules), profiles)
    except InputError as error:
        return Outcome("crash", mutation, f"rules check passed, then: {error}")
    except Exception:  # noqa: BLE001
        return Outcome("crash", mutation, "rules check passed, then: " + traceback.format_exc(limit=-3))
    if verdicts == baseline:
        return Outcome("same-advice", mutation)
    changed = sorted(f"{name} {rule}: {verdict} -> {verdicts[name].get(rule)}" for name, rules_ in baseline.items()
                     for rule, verdict in rules_.items() if verdicts.get(name, {}).get(rule) != verdict)
    code, out, err = run("rules", "test", rules, "--engine", "python", "--quiet")
    if code == 1:
        return Outcome("caught-by-tests", mutation, changed[0] if changed else "")
    return Outcome("missed" if code == 0 else "crash", mutation, "; ".join(changed[:3]) + (err or "")[-400:])
