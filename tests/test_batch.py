"""`advisor batch`: folders, JSON Lines, bad input, formats, atomic output, jobs, anonymized reports."""

from __future__ import annotations

import csv
import datetime as dt
import errno
import io
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote_to_bytes

import pytest
import yaml

from advisor.batch import running
from advisor.batch.formats import safe_cell
from advisor.batch.job import BatchRun
from advisor.batch.reading import read_file
from advisor.batch.worker import Settings
from advisor.batch.writers import Span, copy_span
from advisor.contract.profile import Profile, impossible_on
from advisor.contract.result import ExplainedResult, Result
from advisor.errors import display_path
from advisor.io.environment import Environment
from advisor.io.profiles import load_profiles
from advisor.rulebase.loader import load_rulebase
from advisor.toolkit.synthetic import synthetic_profiles

from .conftest import ROOT

PROFILES = ROOT / "profiles"


def _jsonl(path: Path, count: int, seed: int = 1) -> Path:
    path.write_text("".join(json.dumps(d) + "\n" for d in synthetic_profiles(count, seed=seed)))
    return path


def _csv_rows(text: str) -> list[dict[str, str]]:
    """The rows of a CSV report, which starts with a byte order mark (for spreadsheets)."""
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def _mixed_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "staff"
    (folder / "team-a").mkdir(parents=True)
    (folder / "team-a" / "good.yaml").write_text("name: Ada\ncareer_stage: postdoc\nphd_year: 2020\n")
    (folder / "team-a" / "syntax.yaml").write_text("name: Bob\ncareer_stage: [postdoc\n")
    (folder / "typo.yaml").write_text("name: Cy\ncareer_stage: postdoc\ncarrer: x\n")
    (folder / "good.json").write_text(json.dumps({"name": "Dee", "career_stage": "professor"}))
    (folder / "list.yaml").write_text("- name: Eve\n  career_stage: phd_student\n- name: Fay\n  career_stage: wizard\n")
    (folder / "notes.txt").write_text("not a profile")
    return folder


def test_mixed_folder_reports_every_bad_file_and_evaluates_the_others(run_cli, tmp_path):
    folder = _mixed_folder(tmp_path)
    code, out, err = run_cli("batch", folder, "--format", "jsonl", "--jobs", "1")
    assert code == 1
    names = [json.loads(line)["profile"]["name"] for line in out.splitlines()]
    assert sorted(names) == ["Ada", "Dee"]
    assert "syntax.yaml:3" in err and "YAML syntax error" in err
    assert "typo.yaml:3:1: unknown field 'carrer'" in err
    assert "list.yaml:4" in err and "'wizard' is not an allowed value" in err
    assert "2 profiles evaluated from 5 files" in err and "3 inputs could not be used" in err
    assert "1 other file skipped" in err


def test_jsonl_with_one_bad_line_names_the_line(run_cli, tmp_path):
    path = tmp_path / "cohort.jsonl"
    lines = [json.dumps(d) for d in synthetic_profiles(5, seed=3)]
    lines[2] = '{"name": "broken", "career_stage": "postdoc",'
    lines[3] = json.dumps({"name": "typo", "phd_yaer": 2001})
    lines.append('{"name": "twice", "career_stage": "postdoc", "career_stage": "professor"}')
    path.write_text("\n".join(lines) + "\n\n")
    code, out, err = run_cli("batch", path, "--format", "jsonl", "--jobs", "1")
    assert code == 1
    sources = [json.loads(line)["profile"]["source"] for line in out.splitlines()]
    assert [s.rsplit(":", 1)[1] for s in sources] == ["1", "2", "5"]
    assert "cohort.jsonl:3: JSON syntax error" in err
    assert "cohort.jsonl:4: unknown field 'phd_yaer'" in err and "did you mean 'phd_year'?" in err
    assert "cohort.jsonl:6: key 'career_stage' appears twice" in err  # never silently the last one


def test_hostile_nesting_is_a_problem_not_a_crash(run_cli, tmp_path):
    deep = "[" * 100_000 + "]" * 100_000  # more than Python's JSON parser can recurse into
    lines = tmp_path / "cohort.jsonl"
    lines.write_text(deep + "\n" + json.dumps(next(synthetic_profiles(1, seed=3))) + "\n")
    (tmp_path / "deep.json").write_text(deep)
    code, out, err = run_cli("batch", lines, tmp_path / "deep.json", "--format", "jsonl", "--jobs", "1")
    assert code == 1 and len(out.splitlines()) == 1  # the good line was still evaluated
    assert "cohort.jsonl:1: nested too deeply to read" in err and "deep.json: nested too deeply to read" in err
    code, _, err = run_cli("evaluate", tmp_path / "deep.json")
    assert code == 1 and "nested too deeply to read" in err and "Traceback" not in err


def test_results_are_the_result_contract_and_match_evaluate(run_cli, tmp_path, advisor):
    code, out, err = run_cli("batch", PROFILES, "--format", "json", "--jobs", "1", "--counterfactuals")
    assert code == 0, err
    results = [Result.model_validate(r) for r in json.loads(out)]
    assert len(results) == len(list(PROFILES.glob("*.yaml")))
    code, out, err = run_cli("batch", PROFILES, "--format", "json", "--jobs", "1", "--counterfactuals", "--full")
    assert code == 0, err
    explained = [ExplainedResult.model_validate(r) for r in json.loads(out)]
    for result, full in zip(results, explained):
        (loaded,) = load_profiles(result.profile.source)
        expected = advisor.evaluate(loaded.profile, loaded.source)
        assert result == expected.model_copy(update={"trace": []})
        assert full == advisor.explain(expected)


@pytest.mark.parametrize("value, expected", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+cmd", "'+cmd"), ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\r=1", "'\r=1"), ("plain", "plain"),
    ("-12", "-12"), ("+3.5", "+3.5"), (-7, -7), (2.5, 2.5), (True, "true"), (None, ""),
])
def test_csv_cells_cannot_run_formulas_and_numbers_stay_numbers(value, expected):
    assert safe_cell(value) == expected


def test_csv_output_neutralises_formulas_end_to_end(run_cli, tmp_path):
    (tmp_path / "evil.yaml").write_text("name: '=cmd|\" /C calc\"!A0'\ncareer_stage: postdoc\ncollaborations: []\n")
    code, out, err = run_cli("batch", tmp_path / "evil.yaml", "--format", "csv", "--jobs", "1")
    assert code == 0, err
    rows = _csv_rows(out)
    assert len(rows) == len(load_rulebase().rules) and all(r["name"] == "'=cmd|\" /C calc\"!A0" for r in rows)
    assert {r["partnerships"] for r in rows} == {"0"}


def test_interrupted_run_leaves_no_partial_file_and_keeps_the_old_report(run_cli, tmp_path, monkeypatch):
    report = tmp_path / "report.csv"
    report.write_text("the previous report\n")
    seen = []

    def interrupt(summary, fact):
        seen.append(fact)
        if len(seen) == 3:
            raise KeyboardInterrupt

    monkeypatch.setattr("advisor.batch.summary.Summary.add", interrupt)
    spool = tmp_path / "tmp"
    spool.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool))  # where the workers leave their outputs
    code, out, err = run_cli("batch", PROFILES, "--output", report, "--jobs", "2")
    assert code == 130
    assert "no report written" in err
    assert report.read_text() == "the previous report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.csv", "tmp"]
    assert not list(spool.iterdir())  # nothing of the workers' outputs is left behind


def test_one_and_two_jobs_give_identical_output(run_cli, tmp_path, monkeypatch):
    monkeypatch.setattr(running, "CHUNK", 7)  # many chunks, so order across workers is really tested
    data = _jsonl(tmp_path / "many.jsonl", 400, seed=8)
    outputs = []
    for jobs in ("1", "2"):
        target = tmp_path / f"out{jobs}.jsonl"
        code, _, err = run_cli("batch", data, _mixed_folder(tmp_path) if jobs == "1" else tmp_path / "staff",
                               "--output", target, "--jobs", jobs, "--as-of", "2024-05-01")
        assert code == 1, err  # the mixed folder's bad files
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1]
    advisable = sum(not impossible_on(Profile.model_validate(json.loads(line)), dt.date(2024, 5, 1))
                    for line in data.read_text().splitlines())
    assert outputs[0].count(b"\n") == advisable + 2  # a PhD after the date of the advice is refused


def _without_timing(text: str, fmt: str) -> str:
    """A report without what differs between runs and destinations: the speed; in Markdown, the chart's link
    (only beside a file) and blank lines; in a table, the summary after it (laid out for the terminal's width)."""
    text = text.replace("\r\n", "\n")  # CSV's line ends, as standard output is captured
    if fmt == "table":
        return text.split("Verdicts per recommendation")[0]
    if fmt == "markdown":
        return "\n".join(line for line in text.splitlines()
                         if line.strip() and "profiles/s" not in line and not line.startswith("!["))
    return text


@pytest.mark.parametrize("fmt", ["json", "csv", "markdown", "table"])
def test_every_format_is_the_same_with_two_jobs_in_a_file_or_on_standard_output(run_cli, tmp_path, monkeypatch,
                                                                                fmt):
    monkeypatch.setattr(running, "CHUNK", 5)
    spool = tmp_path / "tmp"
    spool.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool))
    data = _jsonl(tmp_path / "many.jsonl", 60, seed=9)
    reports = []
    for jobs, target in (("1", tmp_path / f"one.{fmt}"), ("2", tmp_path / f"two.{fmt}"), ("2", None)):
        code, out, err = run_cli("batch", data, "--format", fmt, "--jobs", jobs, "--as-of", "2025-01-01",
                                 *(("--output", target) if target else ()))
        assert code == 0, err
        reports.append(_without_timing(target.read_bytes().decode() if target else out, fmt))
    assert reports[0] == reports[1] == reports[2]
    assert reports[0].count("Researcher") >= 60
    assert not list(spool.iterdir())  # the workers' outputs were copied and removed


def _spooled(tmp_path: Path, data: bytes) -> int:
    spool = tmp_path / "spool.out"
    spool.write_bytes(data)
    return os.open(spool, os.O_RDONLY)


def test_a_workers_output_is_copied_to_a_file_a_pipe_or_memory(tmp_path):
    fd = _spooled(tmp_path, b"[abcdef]")
    with (tmp_path / "report").open("wb") as report:
        report.write(b"<")
        copy_span(Span(fd, 1, 6), report)  # in the kernel
        report.write(b">")
    assert (tmp_path / "report").read_bytes() == b"<abcdef>"
    read, write = os.pipe()
    with open(write, "wb") as pipe:
        copy_span(Span(fd, 2, 3), pipe)  # not a regular file: sendfile
    with open(read, "rb") as pipe:
        assert pipe.read() == b"bcd"
    memory = io.BytesIO()
    copy_span(Span(fd, 3, 4), memory)  # no file descriptor at all: through Python
    assert memory.getvalue() == b"cdef"
    os.close(fd)


def test_a_full_disk_while_copying_is_an_error_not_a_fallback(tmp_path, monkeypatch):
    def full(*args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "copy_file_range", full)
    fd = _spooled(tmp_path, b"abc")
    with (tmp_path / "report").open("wb") as report, pytest.raises(OSError) as raised:
        copy_span(Span(fd, 0, 3), report)
    assert raised.value.errno == errno.ENOSPC
    os.close(fd)


def test_markdown_report_has_summary_near_misses_and_a_linked_chart(run_cli, tmp_path):
    report = tmp_path / "report.md"
    code, _, err = run_cli("batch", PROFILES, "--output", report, "--jobs", "1")
    assert code == 0, err
    text = report.read_text()
    for heading in ("# Batch advice report", "## Verdicts per recommendation", "## Most common reasons for not "
                    "eligible", "## Near misses", "## Profiles"):
        assert heading in text
    assert "![Verdicts per recommendation](report.svg)" in text
    svg = ET.parse(tmp_path / "report.svg").getroot()
    assert svg.tag.endswith("svg")
    assert sum(line.startswith("| profiles/") for line in text.splitlines()) == 9


def test_anonymize_uses_stable_pseudonyms_and_drops_personal_fields(run_cli, tmp_path):
    runs = []
    for _ in range(2):
        code, out, err = run_cli("batch", PROFILES / "laura-1-erasmus-phd.yaml", "--format", "csv", "--anonymize",
                                 "--jobs", "1")
        assert code == 0, err
        runs.append(out)
    assert runs[0] == runs[1]
    rows = _csv_rows(runs[0])
    assert "Laura G. (PhD student" not in runs[0] and "laura-1" not in runs[0]
    assert rows[0]["name"].startswith("P-") and rows[0]["source"].startswith("P-")
    assert "gender" not in rows[0] and "nationality" not in rows[0] and "career_stage" in rows[0]


def test_globs_and_missing_paths(run_cli, tmp_path):
    folder = _mixed_folder(tmp_path)
    code, out, err = run_cli("batch", str(folder / "**" / "good.*"), tmp_path / "nowhere", "--format", "jsonl",
                             "--jobs", "1")
    assert code == 1
    assert len(out.splitlines()) == 2
    assert "nowhere: does not exist" in err


def _names(out: str) -> list[str]:
    return [json.loads(line)["profile"]["name"] for line in out.splitlines()]


@pytest.mark.parametrize("first_inner", [False, True])
def test_a_path_named_twice_is_read_once(run_cli, tmp_path, first_inner):
    # `advisor batch staff/ staff/team-a/` read team-a twice: duplicate results and every count of the summary
    # inflated. Each file is now read once, in the order of its first mention, and the summary says so.
    folder = _mixed_folder(tmp_path)
    inner, whole = folder / "team-a", folder
    arguments = (inner, whole) if first_inner else (whole, inner)
    code, out, err = run_cli("batch", *arguments, "--format", "jsonl", "--jobs", "1")
    assert _names(out) == (["Ada", "Dee"] if first_inner else ["Dee", "Ada"])
    assert err.count("syntax.yaml:3") == 1
    assert "2 profiles evaluated from 5 files" in err and "1 path named more than once, read once" in err


def test_a_file_named_again_directly_or_through_a_link_is_read_once(run_cli, tmp_path):
    folder = _mixed_folder(tmp_path)
    good = folder / "team-a" / "good.yaml"
    (tmp_path / "link.yaml").symlink_to(good)
    code, out, err = run_cli("batch", good, tmp_path / "link.yaml", folder / "team-a", good, "--format", "jsonl",
                             "--jobs", "1")
    assert _names(out) == ["Ada"]
    assert "1 profile evaluated from 2 files" in err and "3 paths named more than once, read once" in err


def test_a_patterns_own_overlaps_are_not_called_repeated(run_cli, tmp_path):
    folder = _mixed_folder(tmp_path)  # `**` matches the folders and each file inside them
    code, out, err = run_cli("batch", str(folder / "**"), "--format", "jsonl", "--jobs", "1")
    assert sorted(_names(out)) == ["Ada", "Dee"]
    assert "2 profiles evaluated from 5 files" in err and "named more than once" not in err
    code, out, err = run_cli("batch", folder / "good.json", str(folder / "*.json"), "--format", "jsonl", "--jobs", "1")
    assert _names(out) == ["Dee"] and "1 path named more than once" in err


def _staff_with_ada(tmp_path: Path) -> Path:
    folder = tmp_path / "staff"
    folder.mkdir()
    (folder / "ada.yaml").write_text("name: Ada\ncareer_stage: postdoc\n")
    return folder


def test_a_named_pipe_in_a_folder_is_reported_not_read(run_cli, tmp_path):
    # Reading a named pipe waits for a writer: one in an evaluated folder (or matched by a pattern) hung the run.
    folder = _staff_with_ada(tmp_path)
    fifo = folder / "pipe.yaml"
    os.mkfifo(fifo)
    stop = threading.Event()

    def release():  # ends every read of the pipe that begins: if this regresses, the test fails instead of hanging
        while not stop.is_set():
            open(fifo, "wb").close()

    releasing = threading.Thread(target=release, daemon=True)
    releasing.start()
    try:
        for argument in (folder, folder / "*.yaml"):
            code, out, err = run_cli("batch", argument, "--format", "jsonl", "--jobs", "1")
            assert code == 1 and _names(out) == ["Ada"], err
            assert "pipe.yaml: is not a regular file (a named pipe, a socket or a device): not read" in err
    finally:
        stop.set()
        os.close(os.open(fifo, os.O_RDONLY | os.O_NONBLOCK))  # lets a last open for writing return
        releasing.join(5)


def test_a_named_pipe_given_by_name_is_read(run_cli, tmp_path):
    fifo = tmp_path / "stream.jsonl"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_text('{"name": "Ada", "career_stage": "postdoc"}\n'))
    writer.start()
    code, out, err = run_cli("batch", fifo, "--format", "jsonl", "--jobs", "1")
    writer.join(5)
    assert code == 0 and _names(out) == ["Ada"], err


def test_a_link_that_loops_is_reported_and_the_rest_evaluated(run_cli, tmp_path):
    # Naming the file resolved the link and raised out of the whole run (RuntimeError: Symlink loop).
    folder = _staff_with_ada(tmp_path)
    (folder / "loop.yaml").symlink_to("loop.yaml")
    code, out, err = run_cli("batch", folder, "--format", "jsonl", "--jobs", "1")
    assert code == 1 and _names(out) == ["Ada"]
    assert "loop.yaml: cannot be read: Too many levels of symbolic links" in err


def test_a_file_name_that_is_not_utf8_shows_escaped_in_every_output(run_cli, tmp_path):
    # A name in Latin-1 (old archives, other systems) made the result's JSON fail: the run ended in a traceback.
    folder = _staff_with_ada(tmp_path)
    odd = folder / os.fsdecode(b"ren\xe9e.yaml")
    try:
        odd.write_text("name: Renee\ncareer_stage: postdoc\n")
    except (OSError, UnicodeError):
        pytest.skip("this file system takes UTF-8 names only")
    shown = "ren\\xe9e.yaml"  # as `ls -b` shows it
    code, out, err = run_cli("batch", folder, "--format", "jsonl", "--jobs", "1")
    assert code == 0, err
    assert [json.loads(line)["profile"]["source"].rpartition("/")[2] for line in out.splitlines()] == ["ada.yaml", shown]
    code, out, err = run_cli("batch", folder, "--format", "csv", "--jobs", "2")
    assert code == 0 and {row["source"].rpartition("/")[2] for row in _csv_rows(out)} == {"ada.yaml", shown}
    code, out, err = run_cli("evaluate", odd, "--format", "json")
    assert code == 0 and json.loads(out)["profile"]["source"].endswith(shown)


def test_a_folder_that_cannot_be_read_is_reported(run_cli, tmp_path, monkeypatch):
    # The walk passed over a folder it could not list (another user's, mode 0700): its profiles went missing from
    # the report without a word. (As root every folder can be read, so the refusal is simulated.)
    folder = _staff_with_ada(tmp_path)
    (folder / "secret").mkdir()
    (folder / "secret" / "bea.yaml").write_text("name: Bea\ncareer_stage: postdoc\n")
    listing = os.scandir

    def refusing(path="."):
        if Path(path).name == "secret":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return listing(path)

    monkeypatch.setattr(os, "scandir", refusing)
    code, out, err = run_cli("batch", folder, "--format", "jsonl", "--jobs", "1")
    assert code == 1 and _names(out) == ["Ada"]
    assert "secret: folder cannot be read: Permission denied" in err and "were not evaluated" in err


@pytest.mark.parametrize("name", ["my report (v2).md", os.fsdecode(b"rapport \xe9quipe.md")])
def test_the_chart_link_finds_the_chart_whatever_the_reports_name(run_cli, tmp_path, name):
    # `![...](my report (v2).svg)` is no Markdown link (a space ends it), and a name that is not UTF-8 made the
    # report fail to write: the link is percent-encoded, as links are, and leads to the chart's file.
    report = tmp_path / name
    try:
        report.touch()
    except (OSError, UnicodeError):
        pytest.skip("this file system takes UTF-8 names only")
    code, _, err = run_cli("batch", PROFILES, "--output", report, "--jobs", "1")
    assert code == 0, err
    link = re.search(r"!\[Verdicts per recommendation\]\(([^()\s]+)\)", report.read_text(errors="replace")).group(1)
    assert (tmp_path / os.fsdecode(unquote_to_bytes(link))).read_text().startswith("<svg")


def test_fast_reading_equals_the_strict_loader(tmp_path):
    docs = [*PROFILES.glob("*.yaml")]
    for i, data in enumerate(synthetic_profiles(200, seed=12)):
        docs.append(tmp_path / f"p{i}.yaml")
        docs[-1].write_text(yaml.safe_dump(data, sort_keys=False))
    traps = {"no.yaml": "nationality: NO\ncountry: no\nphd_year: 02001\nname: 1e3\n", "octal.yaml": "phd_year: 0123\n",
             "alias.yaml": "name: &n Ann\ndiscipline: *n\n", "twice.yaml": "name: a\nname: b\n",
             "two.yaml": "---\nname: a\n---\nname: b\n"}
    for name, text in traps.items():
        docs.append(tmp_path / name)
        docs[-1].write_text(text)
    for path in docs:
        try:
            expected = [(p.profile, p.source) for p in load_profiles(path)]
        except Exception as error:  # noqa: BLE001
            with pytest.raises(type(error)) as raised:
                read_file(display_path(path))
            assert str(raised.value) == str(error)
            continue
        assert [(p.profile, p.source) for p in read_file(display_path(path))] == expected, path
    (profile,) = read_file(display_path(tmp_path / "no.yaml"))
    assert (profile.profile.nationality, profile.profile.country, profile.profile.name, profile.profile.phd_year) \
        == ("NO", "NO", "1e3", 2001)


def test_twenty_thousand_profiles_in_one_run(run_cli, tmp_path):
    data = _jsonl(tmp_path / "institute.jsonl", 20_000, seed=20)
    target = tmp_path / "institute.csv"
    code, _, err = run_cli("batch", data, "--output", target, "--jobs", "2")
    assert code == 0, err
    assert "20,000 profiles evaluated" in err
    with target.open() as stream:
        assert sum(1 for _ in csv.reader(stream)) == 1 + 20_000 * len(load_rulebase().rules)


def _errors_of_a_batch(tmp_path, terminal: bool) -> str:
    """What a batch of 300 profiles into a file writes on standard error, a terminal or not."""
    source = _jsonl(tmp_path / "many.jsonl", 300)
    settings = Settings(format="jsonl", engine="python")
    env = Environment.in_memory()
    env.stderr_isatty = terminal
    run = BatchRun([str(source)], settings, load_rulebase(), tmp_path / "out.jsonl", 1, False, env)
    assert run.execute() == 0
    return env.written()[1]


def test_a_progress_bar_on_a_terminal(tmp_path):
    shown = _errors_of_a_batch(tmp_path, terminal=True)
    assert "evaluating" in shown and "profiles" in shown  # the bar was drawn (and erased: it is transient)
    assert "300 profiles evaluated" in shown


def test_nothing_extra_when_not_on_a_terminal(tmp_path):
    log = _errors_of_a_batch(tmp_path, terminal=False)
    assert "evaluating" not in log and "300 profiles evaluated" in log


def test_lines_holding_no_profile_are_reported_at_their_own_line(run_cli, tmp_path):
    path = tmp_path / "cohort.jsonl"
    good = json.dumps(next(synthetic_profiles(1, seed=3)))
    path.write_text("\n".join([good, "null", good, "[]", "{}"]) + "\n")
    code, out, err = run_cli("batch", path, "--format", "jsonl", "--jobs", "1")
    assert code == 1 and len(out.splitlines()) == 3  # "{}" is a profile with nothing answered yet
    assert "cohort.jsonl:2: is empty" in err and "cohort.jsonl:4: is an empty list" in err


def test_one_near_miss_reads_in_the_singular():
    from advisor.batch.formats import Fact
    from advisor.batch.summary import Summary, render_markdown

    summary = Summary(frozenset({("a", 0)}), {"a": "A"}, {"a": ("you hold a doctorate",)})
    summary.add(Fact("x.yaml", (("a", "not_eligible", (0,)),)))
    assert "1 profile is one condition away" in render_markdown(summary, None)
    summary.add(Fact("y.yaml", (("a", "not_eligible", (0,)),)))
    assert "2 profiles are one condition away" in render_markdown(summary, None)
    assert "you hold a doctorate" in render_markdown(summary, None)


def test_file_names_never_act_on_the_terminal(run_cli, tmp_path):
    folder = tmp_path / "staff"
    folder.mkdir()
    (folder / "eve\x1b[2J.yaml").write_text("name: Eve\ncareer_stage: postdoc\n")
    for fmt in ("table", "markdown"):
        code, out, err = run_cli("batch", folder, "--format", fmt, "--jobs", "1")
        assert code == 0, err
        assert "\x1b" not in out + err and "eve\\x1b" in out  # shown as an escape


def test_a_pattern_reads_each_file_once_even_through_a_link_back_up(run_cli, tmp_path):
    folder = tmp_path / "staff"
    (folder / "team").mkdir(parents=True)
    (folder / "team" / "ada.yaml").write_text("name: Ada\ncareer_stage: postdoc\n")
    (folder / "bob.yaml").write_text("name: Bob\ncareer_stage: professor\n")
    (folder / "team" / "up").symlink_to(folder, target_is_directory=True)  # a loop: ** would follow it
    for pattern in ("**", "**/*.yaml"):
        code, out, err = run_cli("batch", str(folder / pattern), "--format", "jsonl", "--jobs", "1")
        assert code == 0, err
        names = sorted(json.loads(line)["profile"]["name"] for line in out.splitlines())
        assert names == ["Ada", "Bob"], pattern


def test_a_temporary_folder_that_takes_no_file_is_a_clear_error_and_no_report(run_cli, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "mkdtemp", lambda prefix: "/proc/advisor-batch-no-room")  # no file can go there
    report = tmp_path / "report.jsonl"
    code, out, err = run_cli("batch", PROFILES, "--output", report, "--jobs", "2")
    assert code == 1
    assert "the workers could not write their output in /proc/advisor-batch-no-room" in err
    assert "set TMPDIR" in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no report, no partial file


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_full_disk_under_the_report_is_a_clear_error_and_no_half_report(run_cli, tmp_path, monkeypatch, jobs):
    def full(layout, text):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("advisor.batch.writers.Layout.add", full)
    report = tmp_path / "report.jsonl"
    code, out, err = run_cli("batch", PROFILES, "--output", report, "--jobs", jobs)
    assert code == 1
    assert f"{report}: cannot be written: No space left on device" in err and "fix: free space there" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no partial file beside it


def test_a_closed_pipe_stops_quietly(run_cli, monkeypatch):
    def closed(layout, text):
        raise BrokenPipeError(errno.EPIPE, "Broken pipe")

    monkeypatch.setattr("advisor.batch.writers.Layout.add", closed)
    code, out, err = run_cli("batch", PROFILES, "--format", "jsonl", "--jobs", "1")
    assert code == 141 and err == ""  # 128 + SIGPIPE, as other tools end


def test_where_the_kernel_cannot_copy_python_does(tmp_path, monkeypatch):
    def refuse(*args):
        raise OSError(errno.ENOTSOCK, "Socket operation on non-socket")  # macOS's sendfile to a file

    monkeypatch.setattr(os, "copy_file_range", refuse)
    monkeypatch.setattr(os, "sendfile", refuse)
    fd = _spooled(tmp_path, b"[abcdef]")
    with (tmp_path / "report").open("wb") as report:
        copy_span(Span(fd, 1, 6), report)
    assert (tmp_path / "report").read_bytes() == b"abcdef"
    os.close(fd)


@pytest.mark.parametrize("jobs, sig, code, said", [
    ("2", signal.SIGINT, 130, "interrupted"),  # Ctrl-C: the terminal signals every process of the run
    ("2", signal.SIGTERM, 143, "terminated"),  # kill, or a job scheduler's time limit: the main process only
    ("1", signal.SIGTERM, 143, "terminated"),
])
def test_a_signal_mid_run_leaves_no_report_no_temporary_file_and_no_traceback(tmp_path, jobs, sig, code, said):
    data = _jsonl(tmp_path / "many.jsonl", 4000, seed=12)
    spool = tmp_path / "tmp"
    spool.mkdir()
    report = tmp_path / "out" / "report.jsonl"
    report.parent.mkdir()
    running_batch = subprocess.Popen(
        [sys.executable, "-m", "advisor", "batch", str(data), "--jobs", jobs, "--output", str(report)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        env={**os.environ, "TMPDIR": str(spool)},
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # a background shell ignores Ctrl-C
    deadline = time.monotonic() + 60
    while not any(p.stat().st_size for p in report.parent.iterdir()):  # the report has begun
        assert running_batch.poll() is None and time.monotonic() < deadline, running_batch.stderr.read()
        time.sleep(0.05)
    (os.killpg if sig == signal.SIGINT else os.kill)(running_batch.pid, sig)
    _, err = running_batch.communicate(timeout=60)
    assert running_batch.returncode == code, err
    assert err == f"{said}: no report written\n"  # and no worker's traceback
    assert not list(report.parent.iterdir()) and not list(spool.iterdir())


def test_workers_leave_stopping_to_the_main_process(monkeypatch):
    """Ctrl-C reaches every process of the run; a worker that took it would print a traceback mid-shutdown."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    monkeypatch.setattr(running.worker, "_end_with", lambda parent: None)  # this process is no worker: it stays
    try:
        running.worker.start(running.Settings(format="jsonl"), os.getppid())
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def test_files_found_in_folders_are_named_as_everywhere_else(tmp_path, monkeypatch):
    """Names are worked out once per folder (resolving each file cost more than reading it): the same names."""
    from advisor.batch.sources import Discovery, discover

    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "target.yaml").write_text("name: T\n")
    staff = tmp_path / "work" / "staff"
    (staff / "team").mkdir(parents=True)
    for name in ("a.yaml", "team/b.json", "team/c.yml"):
        (staff / name).write_text("name: A\n")
    (staff / "team" / "link.yaml").symlink_to(tmp_path / "elsewhere" / "target.yaml")
    (tmp_path / "work" / "alias").symlink_to(staff, target_is_directory=True)
    for cwd, argument in ((tmp_path / "work", "staff"), (tmp_path / "work", "./staff/"), (tmp_path / "work", "alias"),
                          (tmp_path / "work" / "staff", "."), (tmp_path / "elsewhere", str(staff)),
                          (ROOT, str(staff))):
        monkeypatch.chdir(cwd)
        items = list(discover([argument], Discovery()))
        paths = [Path(argument) / rel for rel in ("a.yaml", "team/b.json", "team/c.yml", "team/link.yaml")]
        assert [i.path for i in items] == [display_path(p) for p in paths], (cwd, argument)


def _read_fifo_while(fifo: Path, write) -> bytes:
    """What a reader of the named pipe `fifo` receives while `write()` runs (its result is returned first)."""
    import threading  # noqa: PLC0415

    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    outcome = write()
    reader.join(timeout=30)
    assert received, "nothing came through the named pipe: it was replaced by a file"
    return outcome, received[0]


@pytest.mark.parametrize("fmt, lines", [("jsonl", 9), ("markdown", None), ("table", None)])
def test_a_device_or_pipe_named_as_output_is_written_to_never_replaced(run_cli, tmp_path, fmt, lines):
    # `--output /dev/null` (or /dev/stdout, or a named pipe) used to be replaced by a plain file: as root,
    # /dev/null itself. A named pipe stands for them here (the same kind of path, and harmless if this regresses).
    fifo = tmp_path / "report.md"
    os.mkfifo(fifo)
    (code, _, err), received = _read_fifo_while(
        fifo, lambda: run_cli("batch", PROFILES, "--output", fifo, "--format", fmt, "--jobs", "1"))
    assert code == 0, err
    assert fifo.is_fifo() and sorted(p.name for p in tmp_path.iterdir()) == ["report.md"]  # no chart, no temp file
    text = received.decode()
    if lines:
        assert len(text.splitlines()) == lines and all(json.loads(line)["schema_version"] == 2
                                                       for line in text.splitlines())
    else:
        assert "Verdicts per recommendation" in text and "profiles/" in text  # the summary goes with the report
    assert ("chart is written beside a Markdown report written to a file" in err) == (fmt == "markdown")


def test_a_table_report_holds_its_summary(run_cli, tmp_path):
    report = tmp_path / "report.txt"
    code, out, err = run_cli("batch", PROFILES, "--output", report, "--jobs", "1")
    assert code == 0 and out == "", err
    text = report.read_text()
    assert text.index("laura-3-network-coordinator") < text.index("Verdicts per recommendation")


def test_a_report_command_writes_into_a_named_pipe(run_cli, tmp_path):
    fifo = tmp_path / "report.md"
    os.mkfifo(fifo)
    (code, _, err), received = _read_fifo_while(
        fifo, lambda: run_cli("report", PROFILES / "laura-3-network-coordinator.yaml", "--output", fifo))
    assert code == 0, err
    assert fifo.is_fifo() and received.decode().startswith("#")


def test_a_report_never_replaces_one_of_its_inputs(run_cli, tmp_path, monkeypatch):
    # `advisor batch cohort.jsonl -o cohort.jsonl` replaced the cohort with its report: the input data was lost.
    monkeypatch.chdir(tmp_path)
    cohort = _jsonl(tmp_path / "cohort.jsonl", 3)
    staff = tmp_path / "staff"
    staff.mkdir()
    (staff / "ada.yaml").write_text("name: Ada\ncareer_stage: postdoc\n")
    (tmp_path / "link.jsonl").symlink_to(cohort)
    kept = {path: path.read_bytes() for path in (cohort, staff / "ada.yaml")}
    for inputs, output, shown in ((["cohort.jsonl"], "cohort.jsonl", "cohort.jsonl"),
                                  (["cohort.jsonl"], "link.jsonl", "cohort.jsonl"),
                                  (["staff", "cohort.jsonl"], "staff/ada.yaml", "staff/ada.yaml"),
                                  (["*.jsonl"], "cohort.jsonl", "cohort.jsonl")):
        code, out, err = run_cli("batch", *inputs, "--output", output, "--jobs", "1")
        assert code == 2, (inputs, output, err)
        assert err.startswith(f"error: --output {output} is also an input ({shown})") and "fix:" in err
        assert {path: path.read_bytes() for path in kept} == kept
        assert sorted(p.name for p in tmp_path.iterdir()) == ["cohort.jsonl", "link.jsonl", "staff"]
    # A report written into the folder it evaluates is not read back during its run; the next run refuses to
    # read (and replace) it rather than take last run's report for profiles.
    code, _, err = run_cli("batch", "staff", "--output", "staff/report.json", "--jobs", "1")
    assert code == 0, err
    report = (staff / "report.json").read_bytes()
    assert len(json.loads(report)) == 1
    code, _, err = run_cli("batch", "staff", "--output", "staff/report.json", "--jobs", "2")
    assert code == 2 and "is also an input (staff/report.json)" in err
    assert (staff / "report.json").read_bytes() == report


def test_an_output_among_the_inputs_is_refused_before_anything_runs(run_cli, tmp_path, monkeypatch):
    # Found only when the walk reached it, a report sorted last in a big folder wasted the whole run.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "staff" / "team").mkdir(parents=True)
    (tmp_path / "staff" / "ada.yaml").write_text("name: Ada\ncareer_stage: postdoc\n")
    (tmp_path / "staff" / "team" / "zz-report.json").write_text("[]")
    (tmp_path / "staff" / "notes.txt").write_text("")
    _jsonl(tmp_path / "cohort.jsonl", 2)

    def never(*args, **kwargs):
        raise AssertionError("profiles were evaluated before the refusal")

    monkeypatch.setattr("advisor.batch.job.run", never)
    for inputs, output in ((["cohort.jsonl", "staff"], "staff/team/zz-report.json"),
                           (["staff", "cohort.jsonl"], "cohort.jsonl")):
        code, _, err = run_cli("batch", *inputs, "--output", output)
        assert code == 2 and f"is also an input ({output})" in err, err
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))  # where the bug `never` stands for is logged
    for output in ("staff/notes.txt", "staff/.hidden.json", "elsewhere.json"):  # not read: written as asked
        (tmp_path / output).write_text("old")
        code, _, err = run_cli("batch", "staff", "--output", output)
        assert code == 70 and "AssertionError in `advisor batch`" in err  # it got to the evaluation


def test_a_byte_order_mark_from_windows_tools_is_skipped(run_cli, tmp_path):
    folder = tmp_path / "bom"
    folder.mkdir()
    bom = b"\xef\xbb\xbf"
    (folder / "cohort.jsonl").write_bytes(bom + b'{"name": "Ada", "career_stage": "postdoc"}\r\n'
                                          b'{"name": "Bob", "career_stage": "postdoc"}\r\n')
    (folder / "cy.json").write_bytes(bom + b'{"name": "Cy", "career_stage": "postdoc"}')
    (folder / "dee.yaml").write_bytes(bom + b"name: Dee\r\ncareer_stage: postdoc\r\n")
    code, out, err = run_cli("batch", folder, "--format", "jsonl", "--jobs", "1")
    assert code == 0, err
    assert [json.loads(line)["profile"]["name"] for line in out.splitlines()] == ["Ada", "Bob", "Cy", "Dee"]
    code, out, err = run_cli("evaluate", folder / "cy.json", "--format", "json")
    assert code == 0 and json.loads(out)["profile"]["name"] == "Cy", err


def test_chunk_summaries_merged_in_order_equal_counting_profile_by_profile(advisor):
    # Workers count their chunk's profiles; the main process merges the chunks in input order.
    from rich.console import Console

    from advisor.batch.formats import TableFormat
    from advisor.batch.summary import (
        Summary,
        changeable_conditions,
        render_markdown,
        render_short,
        render_text,
    )
    from advisor.contract.profile import Profile

    table = TableFormat(type(advisor)(advisor.rulebase, advisor.engine, counterfactuals=False))
    facts = [table(Profile.model_validate(d), f"p{i}", None)[1] for i, d in enumerate(synthetic_profiles(300, seed=5))]
    one_by_one, merged = Summary.of(advisor.rulebase), Summary.of(advisor.rulebase)
    for fact in facts:
        one_by_one.add(fact)
    for start in range(0, len(facts), 32):
        chunk = Summary(changeable_conditions(advisor.rulebase))
        for fact in facts[start:start + 32]:
            chunk.add(fact)
        merged.merge(chunk)
    assert merged == one_by_one and merged.near_profiles > 0  # counts, and the first examples of each near miss

    def rendered(summary):
        console = io.StringIO()
        render_short(summary, Console(file=console, width=120), "")
        return render_markdown(summary, None) + render_text(summary) + console.getvalue()
    assert rendered(merged) == rendered(one_by_one)  # ties in the same order too


def test_json_lines_from_standard_input(tmp_path):
    lines = _jsonl(tmp_path / "cohort.jsonl", 3).read_text() + "{bad\n"
    done = subprocess.run([sys.executable, "-m", "advisor", "batch", "-", "--format", "jsonl", "--jobs", "2"],
                          input=lines, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1  # the bad line
    assert [json.loads(line)["profile"]["source"] for line in done.stdout.splitlines()] == [
        "<stdin>:1", "<stdin>:2", "<stdin>:3"]
    assert "error: <stdin>:4: JSON syntax error" in done.stderr


def test_an_overlong_line_is_reported_and_skipped_without_holding_it(run_cli, tmp_path, monkeypatch):
    from advisor.batch import sources

    monkeypatch.setattr(sources, "MAX_LINE_BYTES", 1000)
    good = json.dumps({"name": "Ada", "career_stage": "postdoc"})
    data = good + "\n" + "x" * 4500 + "\n" + good + "\n" + "y" * 2500  # the last line has no newline
    path = tmp_path / "cohort.jsonl"
    path.write_text(data)
    code, out, err = run_cli("batch", path, "--format", "jsonl", "--jobs", "1")
    assert code == 1 and len(out.splitlines()) == 2
    assert "cohort.jsonl:2: line is 4,501 bytes; the limit is 1,000" in err
    assert "cohort.jsonl:4: line is 2,500 bytes" in err

    class Recorded(io.BytesIO):
        limits: list[int] = []

        def readline(self, limit=-1):
            self.limits.append(limit)
            return super().readline(limit)

    found = list(sources._read_lines(Recorded(data.encode()), "cohort.jsonl"))
    assert [type(f).__name__ for f in found] == ["Item", "Problem", "Item", "Problem"]
    assert all(0 < limit <= 1001 for limit in Recorded.limits)  # never a whole line, however long


def test_a_report_that_cannot_be_created_is_a_clear_error(run_cli, tmp_path, monkeypatch):
    # A read-only folder, or one the user may not write in (root may write anywhere, so the refusal is simulated).
    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    code, out, err = run_cli("batch", PROFILES, "--output", tmp_path / "report.jsonl", "--jobs", "1")
    assert code == 1 and out == ""
    assert err.startswith(f"error: {tmp_path / 'report.jsonl'}: cannot be written: Permission denied")
    assert "fix: write in a folder you may write to (with --output)" in err
    assert "Traceback" not in err and not list(tmp_path.iterdir())


def test_a_csv_report_opens_in_a_spreadsheet_with_its_accents(run_cli, tmp_path):
    (tmp_path / "helene.yaml").write_text("name: Hélène Lévêque\ncareer_stage: postdoc\n", encoding="utf-8")
    report = tmp_path / "report.csv"
    code, _, err = run_cli("batch", tmp_path / "helene.yaml", "--output", report, "--jobs", "1")
    assert code == 0, err
    data = report.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfsource,name,")  # UTF-8 declared to spreadsheets
    with report.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == len(load_rulebase().rules) and {r["name"] for r in rows} == {"Hélène Lévêque"}


def test_csv_rows_say_what_the_results_say(run_cli, tmp_path):
    # CSV cells are remembered per assessment and written as text: each row must still match its result.
    data = tmp_path / "cohort.jsonl"
    lines = [json.dumps(d) for d in synthetic_profiles(300, seed=21)]
    lines += [json.dumps({**json.loads(line), "as_of": "2019-03-04"}) for line in lines[:50]
              if json.loads(line).get("phd_year", 0) <= 2019]  # labels not offered yet
    data.write_text("\n".join(lines) + "\n")
    code, out, err = run_cli("batch", data, "--format", "csv", "--jobs", "1")
    assert code == 0, err
    rows = _csv_rows(out)
    code, out, err = run_cli("batch", data, "--format", "jsonl", "--jobs", "1", "--full")
    results = [json.loads(line) for line in out.splitlines()]
    expected = [(r["profile"]["source"], a["id"], a["title"], a["verdict"], "; ".join(a["goals_served"]),
                 "; ".join(a["missing"]), " | ".join(a["reasons"]), len(a["failed_conditions"]))
                for r in results for a in r["results"]]
    assert [(row["source"], row["id"], row["title"], row["verdict"], row["goals_served"], row["missing"],
             row["reasons"], row["failed_conditions"].count(" (you: "))
            for row in rows] == expected


def test_a_file_of_many_profiles_is_written_as_each_is_made(tmp_path, monkeypatch):
    # A JSON list of 8,000 profiles (one HR export) held all their outputs in memory, 600 MB, until the file was done.
    from advisor.advice.advisor import Advisor
    from advisor.batch import worker
    from advisor.batch.sources import Item

    data = tmp_path / "staff.json"
    data.write_text(json.dumps(list(synthetic_profiles(40, seed=4))))
    made = []
    evaluate = Advisor.evaluate
    monkeypatch.setattr(Advisor, "evaluate", lambda self, *a, **k: made.append(1) or evaluate(self, *a, **k))
    settings = worker.Settings(format="jsonl")

    seen = []  # one job: how many profiles were evaluated when each output reached the report
    for outcome in running.run([Item(str(data))], settings, jobs=1):
        if isinstance(outcome, worker.Evaluated):
            seen.append(len(made))
    assert seen == list(range(1, 41))

    made.clear()
    monkeypatch.setattr(worker, "_worker", worker.Worker(settings))
    spooled = []  # several jobs: the same, into the worker's temporary file
    add = worker._Spool.add
    monkeypatch.setattr(worker._Spool, "add", lambda self, text: spooled.append(len(made)) or add(self, text))
    path, outcomes, counted = worker.process_into([Item(str(data))], str(tmp_path))
    assert spooled == list(range(1, 41)) and counted.profiles == 40
    assert all(isinstance(o.text, Span) for o in outcomes[0]) and Path(path).stat().st_size == sum(
        o.text.size for o in outcomes[0])
