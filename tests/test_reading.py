"""The one reading path of every input file: bounded, regular files only, and every failure an input error
with its file, line and fix (never a traceback); numbers read alike by `evaluate` and `batch`."""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.batch.reading import read_file, read_line
from advisor.errors import InputError
from advisor.io.documents import (
    MAX_DEPTH,
    parse_json,
    parse_plain_yaml,
    parse_yaml,
    read_bytes,
    read_text,
)
from advisor.io.private import read_jsonl
from advisor.io.profiles import load_profiles
from advisor.rulebase.loader import inspect_rulebase

from .conftest import ROOT

BASE = "schema_version: 1\nname: Ada\ncareer_stage: postdoc\n"
LONG = "9" * 5000  # more digits than Python reads (4,300)

# Each crashed every command reading profiles with a traceback (ValueError, KeyError, AttributeError,
# TypeError): file name, its text, the line of the error and words of its message.
BROKEN = {
    "int.yaml": (BASE + "phd_year: !!int x\n", 4, "'x' is tagged !!int but is not a whole number"),
    "bool.yaml": (BASE + "permanent_position: !!bool x\n", 4, "'x' is tagged !!bool but is not true or false"),
    "float.yaml": (BASE + "phd_year: !!float x\n", 4, "'x' is tagged !!float"),
    "date.yaml": (BASE + "as_of: !!timestamp x\n", 4, "the tag !!timestamp is not allowed here"),
    "complex.yaml": (BASE + "? [a, b]\n: 1\n", 4, "a key must be a word or a text"),
    "flowkey.yaml": (BASE + "goals: {[a]: 1}\n", 4, "a key must be a word or a text"),
    "long.yaml": (BASE + f"phd_year: {LONG}\n", 4, "holds a number of 5,000 digits"),
    "long.json": ('{"schema_version": 1,\n "phd_year": ' + LONG + "}\n", 2, "holds a number of 5,000 digits"),
}


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text)
    return path


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_a_bad_value_is_an_input_error_with_its_line(tmp_path, name):
    text, line, words = BROKEN[name]
    path = _write(tmp_path, name, text)
    for reader in (load_profiles, read_file):
        with pytest.raises(InputError) as caught:
            reader(str(path))
        (problem,) = caught.value.problems
        assert problem.line == line and words in problem.message and problem.fix, str(caught.value)


def test_evaluate_reports_each_bad_file_and_evaluates_the_good_one(run_cli, tmp_path):
    good = _write(tmp_path, "good.yaml", BASE)
    bad = [_write(tmp_path, name, text) for name, (text, _, _) in sorted(BROKEN.items())]
    code, out, err = run_cli("evaluate", good, *bad, "--format", "json", "--engine", "python")
    assert code == 1 and '"name": "Ada"' in out and "Traceback" not in err
    for name, (_, line, words) in BROKEN.items():
        assert f"{name}:{line}" in err and words in err


def test_batch_goes_on_after_a_bad_file_or_line(run_cli, tmp_path):
    # One such file stopped the whole batch with a traceback and no report for the good files.
    folder = tmp_path / "staff"
    folder.mkdir()
    _write(folder, "good.yaml", BASE)
    for name, (text, _, _) in BROKEN.items():
        _write(folder, name, text)
    _write(folder, "cohort.jsonl", json.dumps({"name": "Bo", "career_stage": "postdoc"}) + "\n"
           + '{"name": "Cy", "phd_year": ' + LONG + "}\n")
    code, out, err = run_cli("batch", folder, "--format", "jsonl", "--jobs", "1", "--engine", "python")
    assert code == 1 and "Traceback" not in err, err
    assert sorted(json.loads(line)["profile"]["name"] for line in out.splitlines()) == ["Ada", "Bo"]
    for name, (_, line, words) in BROKEN.items():
        assert f"{name}:{line}" in err and words in err
    assert "cohort.jsonl:2: holds a number of 5,000 digits" in err


@pytest.mark.parametrize("name", ["int.yaml", "date.yaml", "complex.yaml", "long.yaml"])
def test_ask_and_sessions_report_the_same_errors(run_cli, sessions, tmp_path, name):
    text, line, words = BROKEN[name]
    path = _write(tmp_path, name, text)
    code, _, err = run_cli("ask", "--no-input", "--answers", path)
    assert code == 1 and f"{name}:{line}" in err and words in err
    code, _, err = run_cli("session", "new", "s", "--profile", path)
    assert code == 1 and f"{name}:{line}" in err and words in err
    assert run_cli("session", "new", "edited", "--profile", _write(tmp_path, "ok.yaml", BASE))[0] == 0
    profile = sessions / "edited" / "profile.yaml"
    profile.write_text(profile.read_text() + text.removeprefix(BASE))  # edited by hand
    code, _, err = run_cli("session", "show", "edited")
    assert code == 1 and "profile.yaml:" in err and words in err and "Traceback" not in err


@pytest.mark.parametrize("value", ["0o2", "0x3", "1e1", "1E+1", "0b11", ".inf", "1.", "+0x3"])
def test_batch_and_evaluate_read_numbers_alike(tmp_path, value):
    # yaml-rs (batch's fast reader) read these as numbers where `advisor evaluate` refused the file.
    path = _write(tmp_path, "p.yaml", BASE + f"collaborations: [{{labs: {value}}}]\n")
    outcomes = []
    for reader in (load_profiles, read_file):
        try:
            outcomes.append([p.profile for p in reader(str(path))])
        except InputError as error:
            outcomes.append(str(error))
    assert outcomes[0] == outcomes[1]
    assert value in outcomes[0] and "write a whole number" in outcomes[0]


def test_decimal_numbers_are_numbers(tmp_path):
    partners = "collaborations: [{labs: +3, countries: 2.0, years_active: 007}]\n"
    path = _write(tmp_path, "p.yaml", BASE + "phd_year: 2015\n" + partners)
    for reader in (load_profiles, read_file):
        (loaded,) = reader(str(path))
        partner = loaded.profile.collaborations[0]
        assert loaded.profile.phd_year == 2015 and (partner.labs, partner.countries, partner.years_active) == (3, 2, 7)


SCALARS = st.one_of(
    st.from_regex(r"\A[-+]?(0[xXoObB]?)?[0-9a-fA-F_]{0,4}([.][0-9_]{0,3})?([eE][-+]?[0-9]{1,2})?\Z"),
    st.sampled_from([".inf", "-.Inf", ".NaN", "~", "null", "true", "False", "yes", "NO", "2024-01-01", "12:30",
                     "1_000", "0.", ".5", "-0", "00", "+1", "=", "<<", "9" * 120]),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=8),
)


@settings(max_examples=300, deadline=None)
@given(key=st.sampled_from(["a", "labs", "1", "<<"]), value=SCALARS)
def test_the_fast_reader_reads_plain_values_as_the_strict_one(key, value):
    # Wherever the fast reader answers, its data is the strict loader's: so `batch` and `evaluate` agree.
    text = f"{key}: {value}\nlist: [{value}, x]\n"
    fast = parse_plain_yaml(text)
    if fast is None:
        return
    assert fast == parse_yaml(text).data


@pytest.mark.parametrize("levels, refused", [(MAX_DEPTH, False), (MAX_DEPTH + 1, True), (500, True)])
def test_json_nested_more_than_the_limit_is_refused(tmp_path, levels, refused):
    # JSON of 51 to 990 levels was accepted although YAML and the documentation refuse more than 50.
    nested = "[" * (levels - 1) + "]" * (levels - 1)  # inside the profile's mapping: one level more
    text = '{"schema_version": 1,\n"goals": ' + nested + "}"
    outcomes = {}
    for name, read in (("json", lambda: parse_json(text, "p.json")), ("yaml", lambda: parse_yaml(text, "p.yaml")),
                       ("line", lambda: parse_json(text.replace("\n", ""), "p.jsonl", 7))):
        try:
            read()
            outcomes[name] = None
        except InputError as error:
            (problem,) = error.problems
            outcomes[name] = problem.line, problem.message
    if not refused:
        assert outcomes == {"json": None, "yaml": None, "line": None}
    else:
        assert outcomes["json"] == (2, f"nested more than {MAX_DEPTH} levels deep")
        assert outcomes["line"] == (7, f"nested more than {MAX_DEPTH} levels deep")
        assert outcomes["yaml"][0] == 2 and "nested more than" in outcomes["yaml"][1]


def test_a_named_pipe_is_refused_without_waiting(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    outcome = []
    reading = threading.Thread(target=lambda: outcome.append(_error_of(read_text, fifo)), daemon=True)
    reading.start()
    reading.join(10)
    if reading.is_alive():  # a regression waits for a writer: release it, and fail
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("reading a named pipe waited for a writer")
    assert "pipe.yaml: is not a regular file (a named pipe, a socket or a device): not read" in outcome[0]


def _error_of(read, path) -> str:
    try:
        read(path)
    except InputError as error:
        return str(error)
    return ""


def test_a_file_over_the_limit_is_refused_and_a_folder_named(tmp_path):
    path = _write(tmp_path, "big.yaml", "x" * 11)
    assert read_bytes(path, 11) == b"x" * 11
    assert "big.yaml: is 11 bytes; the limit is 10" in _error_of(lambda p: read_bytes(p, 10), path)
    assert "is a folder" in _error_of(read_bytes, tmp_path)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_rule_file_linked_to_an_endless_device_is_reported(tmp_path):
    # The rulebase's digest read the whole file: /dev/zero grew without bound (and ignored SIGTERM).
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    (rules / "recommendations" / "zero.yaml").symlink_to("/dev/zero")
    script = ("from advisor.rulebase.loader import inspect_rulebase; "
              f"_, problems = inspect_rulebase({str(rules)!r}); print([str(p) for p in problems if 'zero' in p.path])")
    limit = 1024 ** 3  # a regression runs out of memory here instead of exhausting the machine's

    def bounded():
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    done = subprocess.run([sys.executable, "-c", script], check=False, capture_output=True, text=True,
                          timeout=120, preexec_fn=bounded, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr[-500:]
    assert "zero.yaml: is not a regular file" in done.stdout


def test_the_rulebase_loads_as_before():
    rulebase, problems = inspect_rulebase()
    assert rulebase is not None and not [p for p in problems if p.code == "unreadable"]


def test_a_session_journal_line_with_a_long_number_is_reported_and_skipped(tmp_path):
    journal = _write(tmp_path, "notes.jsonl", '{"text": "a"}\n{"n": ' + LONG + "}\n")
    read = read_jsonl(journal)
    assert [record for _, record in read.records] == [{"text": "a"}]
    (damaged,) = read.damaged
    assert damaged.line == 2 and "number of 5,000 digits" in damaged.message and "skipped" in damaged.message


def test_a_json_lines_line_reads_like_a_file():
    with pytest.raises(InputError, match="key 'name' appears twice"):
        read_line("c.jsonl", 3, '{"name": "a", "name": "b"}')
    (loaded,) = read_line("c.jsonl", 3, json.dumps({"name": "Ada", "career_stage": "postdoc"}))
    assert loaded.source == "c.jsonl:3"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_json_lines_name_linked_to_a_device_is_reported_not_read(run_cli, tmp_path):
    # Its "line" never ended: the batch read /dev/zero for ever.
    (tmp_path / "endless.jsonl").symlink_to("/dev/zero")
    good = _write(tmp_path, "good.yaml", BASE)
    result = []
    running = threading.Thread(target=lambda: result.append(run_cli("batch", tmp_path / "endless.jsonl", good,
                                                                    "--format", "jsonl", "--jobs", "1")), daemon=True)
    running.start()
    running.join(60)
    assert result, "the batch kept reading /dev/zero"
    code, out, err = result[0]
    assert code == 1 and '"name":"Ada"' in out
    assert "endless.jsonl: is a device or a socket, not a file: not read" in err


@pytest.mark.parametrize("text", ["!!int x: 1\n", "!!float y: 2\n", "!!bool no: 3\n", "a: [?0, x]\n"])
def test_a_key_or_a_flow_item_reads_as_strictly_as_a_value(text, tmp_path):
    """Found by the long campaign (fuzz/inputs.py) and hypothesis: a tagged key crashed the strict loader, and
    `?0` in a list read as a mapping there but as text in the fast reader."""
    path = tmp_path / "p.yaml"
    path.write_text(text)
    try:
        loaded = parse_yaml(text, str(path)).data
    except InputError as error:
        assert error.problems[0].line == 1
        return
    assert parse_plain_yaml(text) in (None, loaded)
