"""A long, seeded campaign of damaged inputs through the commands people run: every run ends in advice or a
clean error, never a traceback, a crash exit or a hang.

    python fuzz/inputs.py [--profiles 2000] [--answers 500] [--sessions 300] [--rounds 50] [--seed 1]

Input kinds:
- profiles: the example profiles as YAML, JSON and JSON Lines text, damaged in their values (odd types, huge
  numbers, tags, unicode, deep nesting) and in their text (characters inserted or cut), through
  `advisor evaluate` and `advisor batch`;
- answers: questionnaire answers files through `advisor ask --answers FILE --no-input`;
- sessions: a session whose files (profile, history, notes, evaluations, scenarios) were damaged by hand,
  through `session list`, `session show`, `session history` and `report --session`;
- concurrent session sets: rounds of three `advisor session set` processes at once on different answers,
  each round checked for a lost answer (counted with the crashes).

It prints, per input kind, how many runs it tried, how many gave advice, how many a clean error, and
the crashes (with the input that caused each, kept in the output folder).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from advisor.cli.main import main  # noqa: E402
from advisor.io.environment import Environment  # noqa: E402

EXAMPLES = sorted((ROOT / "profiles").glob("*.yaml"))
HUGE = "HUGE-NUMBER"  # written as 5,000 digits in the file (the tool must not need them as text)
ODD = [None, True, False, 0, -1, 2**70, HUGE, 1.5, 1e308, float("nan"), "", "x" * 5000, "NO", "yes", [], {},
       [None], {"a": 1}, "2024-02-30", "9999-12-31", "é", "\u202e", "\x1b[2J", "\x00", "postdoc", ["postdoc"],
       "Italy", "XX", "Frence", 1900, 2101, "2024-01-01"]
TEXT_DAMAGE = list(":-[]{}#&*!|>'\"%@`,? \n\t") + ["!!int x", "!!bool x", "!!timestamp x", "!!python/object:os.system",
                                                 "? [a, b]", "&a [*a]", "0x1F", "0o17", "1e3", "~", "---", "...",
                                                 "9" * 5000, "\\u001b", "é", "\ufeff"]
TIMEOUT = 20  # seconds a single run may take before it counts as a hang
CLEAN = {0: "advice", 1: "clean error", 2: "clean error"}


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang()


def run(args: list[str], stdin: str = "") -> tuple[str, str]:
    """One command in-process: its outcome (advice, clean error, crash, hang) and what it wrote to stderr."""
    env = Environment.in_memory(stdin)
    signal.alarm(TIMEOUT)
    try:
        code = main([str(a) for a in args], env)
    except SystemExit as exit_:
        code = exit_.code
    except Hang:
        return "hang", ""
    except BaseException as error:  # noqa: BLE001 - a crash is what the campaign counts
        return "crash", f"{type(error).__name__}: {error}"[:500]
    finally:
        signal.alarm(0)
    out, err = env.written()
    if "Traceback" in err or code not in CLEAN:
        return "crash", f"exit {code}: {err[-500:]}"
    return CLEAN[code], err


def damaged_value(rng: random.Random, data: dict) -> dict:
    data = json.loads(json.dumps(data, default=str))
    for _ in range(rng.randint(1, 4)):
        target = data
        partners = data.get("collaborations")
        if isinstance(partners, list) and partners and isinstance(partners[0], dict) and rng.random() < 0.4:
            target = rng.choice(partners)
        value = rng.choice(ODD)
        for _ in range(rng.choice([0, 0, 0, 60])):  # sometimes deeply nested
            value = [value]
        target[rng.choice([*target, "extra", "as_of", "goals", "collaborations"])] = value
    return data


def damaged_text(rng: random.Random, text: str) -> str:
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(text) + 1)
        if rng.random() < 0.3 and text:
            text = text[:at] + text[at + rng.randint(1, 20):]
        else:
            text = text[:at] + rng.choice(TEXT_DAMAGE) + text[at:]
    return text


def dump(data, rng: random.Random) -> tuple[str, str]:
    """A profile as one of the file kinds people use, a huge number as its digits."""
    kind = rng.choice(["yaml", "json", "jsonl"])
    if kind == "yaml":
        suffix, text = ".yaml", yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    elif kind == "json":
        suffix, text = ".json", json.dumps(data, ensure_ascii=False, default=str)
    else:
        suffix, text = ".jsonl", "\n".join(json.dumps(d, ensure_ascii=False, default=str) for d in (data, data)) + "\n"
    return suffix, text.replace(f'"{HUGE}"', "9" * 5000).replace(HUGE, "9" * 5000)


def profiles(rng: random.Random, count: int, folder: Path, tally: Counter, crashes: list) -> None:
    bases = [yaml.safe_load(p.read_text()) for p in EXAMPLES]
    for i in range(count):
        base = rng.choice(bases)
        data = damaged_value(rng, base) if rng.random() < 0.6 else base
        suffix, text = dump(data, rng)
        if rng.random() < 0.5:
            text = damaged_text(rng, text)
        path = folder / f"profile-{i}{suffix}"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        command = ["batch", path, "--format", "jsonl"] if suffix == ".jsonl" or rng.random() < 0.3 \
            else ["evaluate", path, "--format", rng.choice(["text", "json"])]
        outcome, said = run(command)
        tally[outcome] += 1
        if outcome in ("crash", "hang"):
            crashes.append((str(path), command[0], said))
        else:
            path.unlink()


def answers(rng: random.Random, count: int, folder: Path, tally: Counter, crashes: list) -> None:
    bases = [yaml.safe_load(p.read_text()) for p in EXAMPLES]
    for i in range(count):
        data = damaged_value(rng, rng.choice(bases))
        data["questionnaire"] = rng.choice([None, {}, {"asked": ["career_stage", 3]}, {"unknown": "x"}, [1],
                                            {"rulebase": 5, "asked": None}])
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False).replace(HUGE, "9" * 5000)
        if rng.random() < 0.4:
            text = damaged_text(rng, text)
        path = folder / f"answers-{i}.yaml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        outcome, said = run(["ask", "--answers", path, "--no-input"])
        tally[outcome] += 1
        if outcome in ("crash", "hang"):
            crashes.append((str(path), "ask", said))
        else:
            path.unlink()


SESSION_FILES = ("history.jsonl", "notes.jsonl", "evaluations.jsonl", "scenarios.jsonl", "exports.jsonl",
                 "profile.yaml", "session.json")


def sessions(rng: random.Random, count: int, folder: Path, tally: Counter, crashes: list) -> None:
    store = folder / "sessions"
    with _environ(ADVISOR_SESSIONS=str(store)):
        started = run(["session", "new", "seed", "--profile", EXAMPLES[0]])
        assert started[0] == "advice", started
        run(["session", "note", "seed", "a note"])
        run(["session", "set", "seed", "phd_year=2001"])
        run(["session", "whatif", "seed", "--set", "collaborations[0].countries=1", "--save", "s"])
        seed = store / "seed"
        for i in range(count):
            copy = store / f"s{i}"
            shutil.copytree(seed, copy)
            files = [copy / name for name in SESSION_FILES if (copy / name).exists()]
            damaged = rng.choice(files)
            text = damaged.read_text()
            if rng.random() < 0.5 and damaged.suffix == ".jsonl":
                text += rng.choice(["{}\n", "[]\n", "null\n", '{"text": 5}\n', "not json\n", '{"at": []}\n',
                                    json.dumps({"revision": 10**400}) + "\n", "\ufeff{}\n"])
            else:
                text = damaged_text(rng, text)
            damaged.write_text(text, encoding="utf-8", errors="surrogatepass")
            for command in (["session", "list"], ["session", "show", copy.name], ["session", "history", copy.name],
                            ["report", "--session", copy.name]):
                outcome, said = run(command)
                tally[outcome] += 1
                if outcome in ("crash", "hang"):
                    crashes.append((f"{damaged} ({command[1]})", " ".join(command[:2]), said))
            if not any(c[0].startswith(str(copy)) for c in crashes):
                shutil.rmtree(copy)


CONCURRENT = (("phd_year", "2001", 2001), ("willing_to_relocate", "true", True), ("discipline", "chemistry", "chemistry"))


def concurrent(rng: random.Random, count: int, folder: Path, tally: Counter, crashes: list) -> None:
    """Rounds of three `advisor session set` processes at once, on different answers: none may be lost."""
    store = folder / "concurrent"
    environment = {**os.environ, "ADVISOR_SESSIONS": str(store)}
    advisor = [sys.executable, "-m", "advisor"]
    later = ROOT / "profiles" / "laura-5-extension-to-us.yaml"  # advice for 2022: every PhD year tried is before
    subprocess.run([*advisor, "session", "new", "race", "--profile", later], env=environment, capture_output=True,
                   check=True)
    for i in range(count):
        subprocess.run([*advisor, "session", "set", "race", "phd_year=1999", "willing_to_relocate=false",
                        "discipline=physics"], env=environment, capture_output=True, check=True)
        setters = [subprocess.Popen([*advisor, "session", "set", "race", f"{field}={typed}"], env=environment,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                   for field, typed, _ in rng.sample(CONCURRENT, len(CONCURRENT))]
        codes = [(setter.wait(timeout=TIMEOUT), setter.stderr.read()) for setter in setters]
        kept = yaml.safe_load((store / "race" / "profile.yaml").read_text())
        lost = [field for field, _, value in CONCURRENT if kept.get(field) != value]
        failed = [err for code, err in codes if code != 0]
        outcome = "crash" if failed or lost else "advice"
        tally[outcome] += 1
        if outcome == "crash":
            crashes.append((f"round {i}", "session set", f"lost {lost}; {failed[:1]}"))


@contextlib.contextmanager
def _environ(**values):
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)


def campaign(counts: dict[str, int], seed: int, folder: Path) -> dict[str, tuple[Counter, list]]:
    signal.signal(signal.SIGALRM, _alarm)
    found = {}
    for kind, runner in (("profiles", profiles), ("answers", answers), ("sessions", sessions),
                         ("concurrent session sets", concurrent)):
        tally, crashes = Counter(), []
        runner(random.Random(seed), counts[kind], folder, tally, crashes)
        found[kind] = (tally, crashes)
    return found


def cli() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--profiles", type=int, default=2000)
    parser.add_argument("--answers", type=int, default=500)
    parser.add_argument("--sessions", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=50, help="rounds of three concurrent `session set`")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="folder for the inputs that crashed (default: a temporary one)")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="advisor-fuzz-"))
    folder.mkdir(parents=True, exist_ok=True)
    os.environ["XDG_STATE_HOME"] = str(folder / "state")  # the crash logs stay with the inputs that caused them
    found = campaign({"profiles": args.profiles, "answers": args.answers, "sessions": args.sessions,
                      "concurrent session sets": args.rounds}, args.seed, folder)
    print("| input kind | runs | advice | clean errors | crashes | hangs |\n|---|---|---|---|---|---|")
    for kind, (tally, _) in found.items():
        print(f"| {kind} | {sum(tally.values())} | {tally['advice']} | {tally['clean error']} | {tally['crash']} "
              f"| {tally['hang']} |")
    failures = [c for _, crashes in found.values() for c in crashes]
    for where, command, said in failures[:40]:
        print(f"\n{command}: {where}\n  {said}")
    print(f"\ninputs kept in {folder}" if failures else "")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(cli())
