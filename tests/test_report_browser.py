"""The HTML report opened in a real headless Chromium: its content, its picture, and no console errors.

Chromium comes from the system's packages (`.ci/run` installs Debian's
`chromium` when it is missing). Without it the tests are skipped on a
developer's machine, and fail in CI (CI=true).
"""

from __future__ import annotations

import yaml

from .browser import needs_chromium, visit
from .conftest import ROOT

LAURA = ROOT / "profiles" / "laura-3-network-coordinator.yaml"
HOSTILE_NAME = '<script>console.error("name")</script><img src=x onerror="console.error(1)">'

needs_chromium()

CHECKS = {
    "who": "document.getElementById('who').textContent",
    "ladder_width": "document.getElementById('ladder').getBBox().width",
    "rungs": "document.querySelectorAll('#ladder g.rung').length",
    "here": "document.querySelector('#ladder g.rung-here text').textContent",
    "scripts": "document.scripts.length",
    "images": "document.images.length",
    "notes": "Array.from(document.querySelectorAll('#notes .note')).map(n => n.textContent)",
    "headings": "Array.from(document.querySelectorAll('h2')).map(h => h.textContent)",
}


def test_report_opens_cleanly_with_its_content(run_cli, sessions, tmp_path):
    run_cli("session", "new", "laura", "--profile", LAURA)
    run_cli("session", "note", "laura", "Prefers to stay in Grenoble")
    output = tmp_path / "laura.html"
    assert run_cli("report", "--session", "laura", "--output", output)[0] == 0
    page = visit(output, CHECKS)
    assert page.errors() == [], page.errors()
    assert page.values["who"] == "Laura G. (network coordinator, 2005)"
    assert page.values["rungs"] == 6 and page.values["ladder_width"] > 300  # the picture is drawn
    assert page.values["here"] == "Project"
    assert page.values["headings"][:3] == ["In short", "The situation", "The recommended path"]
    assert "Not available, and why" in page.values["headings"]
    assert page.values["notes"] == ["Prefers to stay in Grenoble"]
    assert "International Research Group (GDRI" in page.dom


def test_hostile_name_and_note_are_shown_as_text(run_cli, sessions, tmp_path):
    data = yaml.safe_load(LAURA.read_text())
    data["name"] = HOSTILE_NAME
    profile = tmp_path / "hostile.yaml"
    profile.write_text(yaml.safe_dump(data))
    run_cli("session", "new", "hostile", "--profile", profile)
    run_cli("session", "note", "hostile", "<script>console.error('note')</script>")
    output = tmp_path / "hostile.html"
    assert run_cli("report", "--session", "hostile", "--output", output)[0] == 0
    page = visit(output, CHECKS)
    assert page.errors() == [], page.errors()
    assert page.values["who"] == HOSTILE_NAME  # shown exactly as typed, as text
    assert page.values["scripts"] == 0 and page.values["images"] == 0
    assert page.values["notes"] == ["<script>console.error('note')</script>"]


def test_the_detector_sees_console_errors(tmp_path):
    """The check above can fail: a page that does log an error is caught."""
    bad = tmp_path / "bad.html"
    bad.write_text("<!DOCTYPE html><p>x</p><script>console.error('boom')</script>")
    assert [m["text"] for m in visit(bad).errors()] == ["boom"]
