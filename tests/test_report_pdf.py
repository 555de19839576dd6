"""`advisor report --output NAME.pdf`: a real PDF printed by headless Chromium, and the clean refusals around it.

The tests that print need Chromium from the system's packages (`.ci/run` installs Debian's
`chromium` when it is missing): without it they are skipped on a developer's machine, and fail
in CI (CI=true), as in test_report_browser.py. The refusals, a missing browser and a browser that
hangs or fails (fake ones, shell scripts) need no browser.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
import time
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

import advisor.render.pdf
from advisor.cli.main import main
from advisor.io.environment import Environment

from .browser import chromium
from .conftest import ROOT
from .test_plain_words import leaks

LAURA = ROOT / "profiles" / "laura-3-network-coordinator.yaml"
A4 = (595, 842)  # points

if chromium() is None and os.environ.get("CI") == "true":
    raise RuntimeError("chromium is missing in CI: .ci/run installs it (apt-get install -y chromium)")
needs_chromium = pytest.mark.skipif(chromium() is None, reason="chromium is not installed (apt-get install chromium)")


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """The folder the printer's temporary files go to (checked empty afterwards)."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def fake_browser(tmp_path: Path, monkeypatch, script: str) -> Path:
    """ADVISOR_CHROMIUM set to a shell script standing in for Chromium."""
    path = tmp_path / "fake-chromium"
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(0o755)
    monkeypatch.setenv("ADVISOR_CHROMIUM", str(path))
    return path


def alive(pid: int) -> bool:
    """Whether process `pid` runs (a zombie, ended but not yet reaped, does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


@needs_chromium
def test_the_pdf_holds_the_report(run_cli, tmp_path, private_tmp):
    output = tmp_path / "laura.pdf"
    code, out, err = run_cli("report", LAURA, "--output", output)
    assert (code, out) == (0, ""), err
    assert err.strip() == f"Report written to {output} (PDF)."
    assert stat.S_IMODE(output.stat().st_mode) == 0o600
    reader = PdfReader(output)
    assert len(reader.pages) >= 1
    assert tuple(round(float(x)) for x in reader.pages[0].mediabox[2:]) == A4
    text = words(" ".join(page.extract_text() for page in reader.pages))
    assert yaml.safe_load(LAURA.read_text())["name"] in text
    evaluated = json.loads(run_cli("evaluate", LAURA, "--format", "json", "--full")[1])
    titles = [words(r["title"]) for r in evaluated["results"] if r["verdict"] == "recommended"]
    assert titles and all(title in text for title in titles)
    assert list(private_tmp.iterdir()) == []  # the printer's folder is gone


@needs_chromium
@pytest.mark.parametrize("profile", sorted((ROOT / "profiles").glob("*.yaml")), ids=lambda p: p.stem)
def test_the_pdf_of_each_example_career_is_short_and_plain(run_cli, tmp_path, rulebase, profile):
    """The short report fits four A4 pages and says everything in plain words; --details keeps every text."""
    short, full = tmp_path / "short.pdf", tmp_path / "full.pdf"
    assert run_cli("report", profile, "--output", short)[0] == 0
    assert run_cli("report", profile, "--output", full, "--details")[0] == 0
    pages = PdfReader(short).pages
    text = words(" ".join(page.extract_text() for page in pages))
    assert len(pages) <= 4, f"{profile.stem}: {len(pages)} pages"
    assert "In short" in text and "What to do next" in text and leaks(text, rulebase) == []
    full_pages = PdfReader(full).pages
    assert len(full_pages) > len(pages) and "Sources" in " ".join(p.extract_text() for p in full_pages)


@needs_chromium
def test_a_page_that_names_its_paper_keeps_it(tmp_path):
    pdf = tmp_path / "a5.pdf"
    pdf.write_bytes(advisor.render.pdf.html_to_pdf(
        "<!DOCTYPE html><html><head><style>@page { size: A5 }</style></head><body>A5</body></html>"))
    assert tuple(round(float(x)) for x in PdfReader(pdf).pages[0].mediabox[2:]) == (420, 595)


@needs_chromium
def test_format_pdf_to_a_pipe_and_the_session_notes_it(run_cli, sessions, tmp_path):
    env = Environment.in_memory()  # standard output is not a terminal: `> laura.pdf`
    assert main(["report", str(LAURA), "--format", "pdf"], env) == 0
    assert env.stdout.buffer.getvalue().startswith(b"%PDF-")
    run_cli("session", "new", "laura", "--profile", LAURA)
    assert run_cli("report", "--session", "laura", "--format", "pdf", "--output", tmp_path / "laura")[0] == 0
    exports = [json.loads(line) for line in (sessions / "laura" / "exports.jsonl").read_text().splitlines()]
    assert [e["format"] for e in exports] == ["pdf"]
    assert (tmp_path / "laura").read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize("name, implied", [("r.md", "markdown"), ("r.markdown", "markdown"), ("r.HTM", "html"),
                                           ("r.txt", "markdown"), ("r", "markdown")])
def test_the_format_follows_the_output_name(run_cli, tmp_path, name, implied):
    assert run_cli("report", LAURA, "--output", tmp_path / name)[0] == 0
    text = (tmp_path / name).read_text()
    assert text.startswith("<!DOCTYPE html>") == (implied == "html")


@pytest.mark.parametrize("asked, name, fixed", [("html", "r.pdf", "r.html"), ("pdf", "r.md", "r.pdf"),
                                                ("markdown", "r.HTML", "r.md"), ("pdf", "r.htm", "r.pdf")])
def test_an_output_name_that_contradicts_the_format_is_refused(run_cli, tmp_path, asked, name, fixed):
    code, out, err = run_cli("report", LAURA, "--format", asked, "--output", tmp_path / name)
    assert code == 2 and out == ""
    assert f"fix: write --output {tmp_path / fixed}, or leave out --format" in err
    assert list(tmp_path.iterdir()) == []


def test_a_pdf_is_not_written_to_a_terminal(run_cli, in_a_terminal):
    code, out, err = run_cli("report", LAURA, "--format", "pdf")
    assert (code, out) == (2, "")
    assert "a PDF cannot be shown in the terminal" in err and "--output NAME.pdf" in err


@pytest.mark.parametrize("where", ["variable", "path"])
def test_without_a_browser_the_error_says_what_to_install(run_cli, tmp_path, monkeypatch, private_tmp, where):
    if where == "variable":
        monkeypatch.setenv("ADVISOR_CHROMIUM", str(tmp_path / "no-such-browser"))
    else:
        monkeypatch.delenv("ADVISOR_CHROMIUM", raising=False)
        monkeypatch.setenv("PATH", str(private_tmp))  # an empty folder: no browser on PATH
    output = tmp_path / "laura.pdf"
    code, out, err = run_cli("report", LAURA, "--output", output)
    assert (code, out) == (1, "")
    assert err.startswith(f"error: {output}: ")
    assert "apt-get install chromium" in err and "--output NAME.html" in err
    assert ("no-such-browser, which is not a program" if where == "variable" else "was not found") in err
    assert "Traceback" not in err
    assert not output.exists() and list(private_tmp.iterdir()) == []


def test_a_browser_that_hangs_is_stopped(run_cli, tmp_path, monkeypatch, private_tmp):
    pids = tmp_path / "pids"
    fake_browser(tmp_path, monkeypatch, f"sleep 60 &\necho $$ $! > {pids}\nwait\n")
    monkeypatch.setattr(advisor.render.pdf, "TIMEOUT", 1.0)
    output = tmp_path / "laura.pdf"
    started = time.monotonic()
    code, out, err = run_cli("report", LAURA, "--output", output)
    assert (code, out) == (1, "")
    assert "did not finish printing within 1 second and was stopped" in err and "apt-get install chromium" in err
    assert time.monotonic() - started < 30
    time.sleep(0.2)  # for the orphaned helper to be reaped
    assert [pid for pid in map(int, pids.read_text().split()) if alive(pid)] == []  # the browser and its helper
    assert not output.exists() and list(private_tmp.iterdir()) == []


def test_a_browser_that_writes_no_pdf_is_reported_with_what_it_said(run_cli, tmp_path, monkeypatch, private_tmp):
    fake_browser(tmp_path, monkeypatch, "echo 'cannot open display' >&2\nexit 3\n")
    output = tmp_path / "laura.pdf"
    output.write_text("the previous report")
    code, out, err = run_cli("report", LAURA, "--output", output)
    assert (code, out) == (1, "")
    assert "wrote no PDF (exit status 3); it said: cannot open display" in err
    assert output.read_text() == "the previous report"  # left as it was
    assert list(private_tmp.iterdir()) == []
