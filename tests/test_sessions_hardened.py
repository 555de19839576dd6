"""Sessions under stress: commands at the same time, damaged records, read-only folders, full disks, and
records of every shape. Nothing a user typed is lost, and nothing ends in a traceback."""

from __future__ import annotations

import errno
import json
import multiprocessing
import os
import threading
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.cli.main import main
from advisor.errors import InputError
from advisor.io.environment import Environment
from advisor.sessions.store import SessionStore

# -- two commands at the same time --------------------------------------------------------------------

FIELDS = ("phd_year", "name", "permanent_position")


def _value(field: str, round_: int) -> str:
    return {"phd_year": str(1980 + round_), "name": f"R{round_}", "permanent_position": "true" if round_ % 2 else
            "false"}[field]


def _set_in_a_process(root: str, field: str, value: str, start) -> None:
    start.wait()  # every process of the round sets its answer at the same moment
    os._exit(main(["session", "set", "ada", f"{field}={value}", "--sessions-dir", root], Environment.in_memory()))


def test_sets_at_the_same_time_keep_every_answer(tmp_path):
    root = tmp_path / "sessions"
    SessionStore(root).create("ada")
    fork = multiprocessing.get_context("fork")
    for round_ in range(12):
        start = fork.Barrier(len(FIELDS))
        workers = [fork.Process(target=_set_in_a_process, args=(str(root), field, _value(field, round_), start))
                   for field in FIELDS]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(60)
        assert [w.exitcode for w in workers] == [0] * len(FIELDS)
        kept = yaml.safe_load((root / "ada" / "profile.yaml").read_text())
        assert {f: str(kept.get(f)).lower() for f in FIELDS} == {f: _value(f, round_).lower() for f in FIELDS}, round_
    revisions = [json.loads(line)["revision"] for line in (root / "ada" / "history.jsonl").read_text().splitlines()]
    assert revisions == list(range(1, len(revisions) + 1))  # one number per change, none given twice


def test_a_set_during_another_set_is_kept(run_cli, sessions, monkeypatch):
    """In one process: while the first `set` computes its change, a second one on another field runs."""
    import advisor.cli.session.set as set_command

    run_cli("session", "new", "ada")
    apply = set_command.apply
    other: list[threading.Thread] = []

    def apply_while_another_sets(profile, changes):
        if not other:
            other.append(threading.Thread(target=run_cli, args=("session", "set", "ada", "name=Ada L.")))
            other[0].start()
            other[0].join(1)  # it waits for the lock the first one holds (before the fix, it finished here)
        return apply(profile, changes)

    monkeypatch.setattr(set_command, "apply", apply_while_another_sets)
    assert run_cli("session", "set", "ada", "phd_year=2001")[0] == 0
    other[0].join(30)
    kept = yaml.safe_load((sessions / "ada" / "profile.yaml").read_text())
    assert kept["phd_year"] == 2001 and kept["name"] == "Ada L."


# -- damaged records ----------------------------------------------------------------------------------------

DAMAGE = {
    "an empty record": ("history.jsonl", b"{}"),
    "a note without text": ("notes.jsonl", b'{"at": "2024-01-01T10:00:00+01:00"}'),
    "a line that is not JSON": ("evaluations.jsonl", b'{"at": "2024-01-01", "verdicts": {'),
    "a wrong type": ("history.jsonl", b'{"at": "x", "revision": "2", "profile": {}}'),
    "a list": ("notes.jsonl", b'["at", "text"]'),
    "bytes that are not UTF-8": ("exports.jsonl", b'{"at": "\xff\xfe", "path": "r.html"}'),
    "a number of 5,000 digits": ("evaluations.jsonl", b'{"at": "x", "revision": ' + b"9" * 5000 + b"}"),
    "verdicts of the wrong type": ("evaluations.jsonl", b'{"at": "x", "as_of": "2024-01-01", "verdicts": [1]}'),
}


@pytest.mark.parametrize("kind", DAMAGE)
def test_a_damaged_record_is_reported_and_skipped(run_cli, sessions, kind):
    name, line = DAMAGE[kind]
    run_cli("session", "new", "ada", "--profile", Path(__file__).parent.parent / "profiles" /
            "laura-3-network-coordinator.yaml")
    run_cli("session", "new", "bob")
    run_cli("session", "note", "ada", "kept before")
    path = sessions / "ada" / name
    with path.open("ab") as handle:
        handle.write(line + b"\n")
    run_cli("session", "note", "ada", "kept after")

    code, out, err = run_cli("session", "list")
    assert code == 0 and "ada" in out and "bob" in out and "damaged:" not in out  # both listed, in full
    for command in (("session", "show", "ada", "--all"), ("session", "history", "ada"),
                    ("report", "--session", "ada", "--engine", "python")):
        code, out, err = run_cli(*command)
        assert code == 0, (command, err)
        assert "kept before" in out or command[1] == "history"
        assert "Traceback" not in err
    code, out, err = run_cli("session", "show", "ada")
    assert "Notes (2)" in out and "kept after" in out
    assert err.count(f"sessions/ada/{name}:") == 1  # told once, however often the file is read
    assert "it is skipped" in err and "repair or remove" in err


def test_the_next_revision_follows_the_last_one_even_after_a_damaged_line(run_cli, sessions):
    run_cli("session", "new", "ada")
    history = sessions / "ada" / "history.jsonl"
    history.write_text(history.read_text() + "not json\n")
    run_cli("session", "set", "ada", "phd_year=2001")
    assert run_cli("session", "history", "ada", "--revision", "2")[0] == 0
    assert [json.loads(line)["revision"] for line in history.read_text().splitlines() if line.startswith("{")] \
        == [1, 2]


# -- a folder that cannot be written --------------------------------------------------------------------------------

WRITING = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


@pytest.fixture
def read_only(monkeypatch):
    """Make the folders given read-only, as a read-only disk is: opening a file in them to write, or changing
    their entries, fails (root ignores permissions, so the system calls are refused here)."""
    folders: list[Path] = []

    def inside(path) -> bool:
        return any(Path(path).resolve().is_relative_to(f) for f in folders)

    def refuse(path):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))

    real_open, real_replace, real_mkdir = os.open, os.replace, os.mkdir

    def open_(path, flags, *args, **kwargs):
        if flags & WRITING and inside(path):
            refuse(path)
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", open_)
    monkeypatch.setattr(os, "replace", lambda a, b: refuse(a) if inside(a) or inside(b) else real_replace(a, b))
    monkeypatch.setattr(os, "mkdir", lambda p, *a, **k: refuse(p) if inside(p) else real_mkdir(p, *a, **k))
    return lambda folder: folders.append(folder.resolve())


def test_a_read_only_session_can_be_read_and_reported(run_cli, sessions, read_only, tmp_path):
    run_cli("session", "new", "ada")
    run_cli("session", "note", "ada", "wants to move")
    before = {p.name: p.read_bytes() for p in (sessions / "ada").iterdir()}
    read_only(sessions / "ada")
    for command in (("report", "--session", "ada", "--engine", "python"),
                    ("report", "--session", "ada", "--engine", "python", "--output", tmp_path / "r.md"),
                    ("session", "evaluate", "ada", "--engine", "python")):
        code, out, err = run_cli(*command)
        assert code == 0, (command, err)
        assert "cannot be written (Read-only file system)" in err and "is not recorded in the session" in err
    assert "wants to move" in (tmp_path / "r.md").read_text()
    for command in (("session", "show", "ada"), ("session", "history", "ada"), ("session", "list")):
        assert run_cli(*command)[0] == 0
    for command in (("session", "set", "ada", "phd_year=2001"), ("session", "note", "ada", "more"),
                    ("session", "restore", "ada", "1")):
        code, _, err = run_cli(*command)
        assert code == 1 and "sessions/ada: cannot be written: Read-only file system" in err
        assert "fix: the disk is read-only" in err and "--sessions-dir" in err
    assert {p.name: p.read_bytes() for p in (sessions / "ada").iterdir()} == before


def test_a_read_only_sessions_folder_refuses_new_cleanly(run_cli, sessions, read_only):
    run_cli("session", "new", "ada")
    read_only(sessions)
    code, _, err = run_cli("session", "new", "bob")
    assert code == 1 and "sessions: cannot be written" in err and "fix:" in err
    assert sorted(p.name for p in sessions.iterdir()) == [".lock", "ada"]


# -- a full disk ----------------------------------------------------------------------------------------

@pytest.fixture
def full_disk(monkeypatch):
    """Every write to a file fails as on a full disk (the data reaches the disk at `fsync`, which fails too)."""
    def full(*args):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def fill() -> None:
        monkeypatch.setattr(os, "write", full)
        monkeypatch.setattr(os, "fsync", full)

    return fill


def _files(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` but the (empty) locks, with its content."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != ".lock"}


def test_a_full_disk_changes_nothing_and_says_where_the_answers_are(run_cli, sessions, full_disk):
    run_cli("session", "new", "ada")
    run_cli("session", "set", "ada", "phd_year=2001")
    run_cli("session", "note", "ada", "first")
    before = _files(sessions)
    full_disk()
    code, _, err = run_cli("session", "set", "ada", "phd_year=2002")
    assert code == 1 and "sessions/ada: cannot be written: No space left on device; this change was not saved" in err
    assert "free space on that disk" in err and "the answers saved before are kept in" in err
    code, _, err = run_cli("session", "note", "ada", "call back on Monday")
    assert code == 1 and "the note was: call back on Monday" in err  # what was typed is not lost
    code, _, err = run_cli("session", "new", "bob")
    assert code == 1 and "No space left on device" in err
    code, _, err = run_cli("session", "whatif", "ada", "phd_year=2003", "--save", "later", "--engine", "python")
    assert code == 1 and "No space left on device" in err
    assert _files(sessions) == before  # no staging folder, no temporary file, no half record
    assert "Traceback" not in err


def test_a_profile_that_cannot_be_written_takes_its_history_line_back(sessions, monkeypatch):
    import advisor.sessions.store as store

    session = SessionStore(sessions).create("ada")
    before = _files(sessions)

    def full(path, content):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(store, "write_private", full)
    with pytest.raises(InputError):
        session.update_profile(lambda p: p.model_copy(update={"phd_year": 2001}), by="set")
    assert _files(sessions) == before


def test_ask_on_a_full_disk_says_so_before_the_first_question(run_cli, tmp_path, full_disk, in_a_terminal):
    answers = tmp_path / "answers.yaml"
    full_disk()
    code, out, err = run_cli("ask", "--save", answers, "--engine", "python")
    assert code == 1 and "answers.yaml: cannot be written (No space left on device)" in err
    assert not answers.exists() and list(tmp_path.iterdir()) == []  # no lock, no temporary file left


def test_a_report_to_dev_full_is_a_clean_error_and_is_not_recorded(run_cli, sessions):
    run_cli("session", "new", "ada")
    code, _, err = run_cli("report", "--session", "ada", "--engine", "python", "--output", "/dev/full")
    assert code == 1 and "/dev/full: cannot be written: No space left on device" in err
    assert not (sessions / "ada" / "exports.jsonl").exists()


# -- records of every shape ---------------------------------------------------------------------------------

JSON = st.recursive(st.none() | st.booleans() | st.integers(min_value=-10**400, max_value=10**400)
                    | st.floats() | st.text(max_size=20),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                    max_leaves=8)
KEYS = ["at", "revision", "by", "changes", "profile", "text", "as_of", "rulebase", "engine", "verdicts", "path",
        "warnings", "format", "withheld", "field", "before", "after"]
RECORD = st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=5), JSON, max_size=8)
CHANGE = st.fixed_dictionaries({"field": JSON, "before": JSON, "after": JSON})
HISTORY = st.fixed_dictionaries({"at": st.text(max_size=30) | JSON, "revision": st.integers(-3, 10**30) | JSON,
                                 "profile": st.just({"schema_version": 1}) | JSON,
                                 "changes": st.lists(CHANGE | JSON, max_size=2)})
LINE = (RECORD.map(lambda r: json.dumps(r, ensure_ascii=False).encode("utf-8")) | HISTORY.map(
    lambda r: json.dumps(r).encode()) | st.binary(max_size=40) | JSON.map(lambda v: json.dumps(v).encode()))
SCENARIO = (st.fixed_dictionaries({"name": JSON, "at": JSON, "changes": JSON, "verdict_changes": st.lists(
    st.dictionaries(st.sampled_from(["id", "title", "before", "after", "why"]), JSON), max_size=2) | JSON})
            .map(lambda d: yaml.safe_dump(d, allow_unicode=True).encode()) | st.binary(max_size=60))
FILES = st.fixed_dictionaries({name: st.lists(LINE, max_size=4) for name in
                               ("history.jsonl", "notes.jsonl", "evaluations.jsonl", "exports.jsonl")})


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    root = tmp_path_factory.mktemp("shapes") / "sessions"
    SessionStore(root).create("ok")
    SessionStore(root).create("odd")
    return root


def _write(folder: Path, files: dict[str, list[bytes]], scenario: bytes) -> None:
    for name, lines in files.items():
        (folder / name).write_bytes(b"\n".join(lines))
    (folder / "scenarios").mkdir(exist_ok=True)
    (folder / "scenarios" / "tried.yaml").write_bytes(scenario)


def _clean(code: int, err: str) -> bool:
    return code == 0 or (code == 1 and "error: " in err and "fix: " in err)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(files=FILES, scenario=SCENARIO)
def test_records_of_every_shape_give_a_listing_or_a_clean_error(run_cli, store, files, scenario):
    _write(store / "odd", files, scenario)
    code, out, err = run_cli("session", "list", "--sessions-dir", store)
    assert code == 0 and "ok" in out and "odd" in out
    for command in (("session", "show", "odd", "--all"), ("session", "history", "odd"),
                    ("session", "note", "odd", "still works")):
        code, out, err = run_cli(*command, "--sessions-dir", store)
        assert _clean(code, err), (command, err)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(files=FILES, scenario=SCENARIO)
def test_a_report_from_records_of_every_shape_is_written_or_refused_cleanly(run_cli, store, files, scenario):
    _write(store / "odd", files, scenario)
    code, out, err = run_cli("report", "--session", "odd", "--sessions-dir", store, "--engine", "python",
                             "--format", "html")
    assert _clean(code, err), err


# -- a questionnaire and a `set` at the same time -------------------------------------------------------------

def test_a_set_made_while_the_questionnaire_runs_is_kept(run_cli, sessions, monkeypatch, in_a_terminal):
    from prompt_toolkit.input import create_pipe_input

    from advisor.questionnaire import interview

    from .askscript import ScriptedTerminal
    from .conftest import FROZEN_RULES

    run_cli("session", "new", "ada")

    class SetMeanwhile(ScriptedTerminal):
        def _expect(self, at: str) -> None:
            if at == "career_stage":  # the adviser changes an answer in another terminal
                assert run_cli("session", "set", "ada", "permanent_position=true")[0] == 0
            super()._expect(at)

    with create_pipe_input() as pipe:
        monkeypatch.setattr(interview, "TerminalUI", lambda console: SetMeanwhile(
            [{"at": "name", "type": "Ada"}, {"at": "career_stage", "choose": "PhD student"},
             {"at": "goals", "keys": ["ctrl-c"]}], pipe))
        code, _, err = run_cli("session", "ask", "ada", "--rules", FROZEN_RULES, "--engine", "python")
    kept = yaml.safe_load((sessions / "ada" / "profile.yaml").read_text())
    assert (kept["name"], kept["career_stage"], kept["permanent_position"]) == ("Ada", "phd_student", True), err
