"""`advisor serve` in a real headless Chromium, used by an adviser with the mouse and the keyboard: a session
started in the terminal found by its researcher's name and opened, a hostile note added, a what-if tried, kept as
a scenario and made the answers, two instruments compared, the report downloaded as a PDF (whole, and without
the personal fields), an earlier revision restored (which the terminal then shows), and the session, what-if and
compare pages laid out on a phone and a desktop, with nothing reported in the console.

The server runs as `advisor serve --port 0` in a subprocess, on a sessions folder of the test's own, which
`advisor session` commands share. The screenshots go to $ADVISOR_TEST_ARTEFACTS when it is set (to keep and
look at), else to a temporary folder. Chromium is needed: skipped without it, except in CI.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from .browser import (
    CONTROL,
    DESKTOP,
    PHONE,
    WEB_PAGE_CHECKS,
    Layout,
    Tab,
    artefacts_folder,
    broken_words,
    errors,
    faults,
    needs_chromium,
    running,
)
from .conftest import ROOT
from .web import Server, serving

needs_chromium()

LAURA = ROOT / "profiles" / "laura-3-network-coordinator.yaml"  # "Laura G. (network coordinator, 2005)"
SEARCHED = "Coordinator"  # a part of the researcher's name, not of the session's
NOTE = "<img src=x onerror=alert(1)>"
COUNTRIES = 'input[type=text][name="collaborations[0].countries"]'  # the what-if's field changed: 2 -> 1
SCENARIO = "bilateral"
COMPARED = ("cnrs.irn", "cnrs.irp")  # the instruments ticked
LAID_OUT = ("session", "whatif", "compare")
# a table's caption is read at once, never scrolled to: it ends inside the window
CAPTIONS_CUT = """Array.from(document.querySelectorAll('caption'))
  .filter(c => c.getBoundingClientRect().right > document.documentElement.clientWidth + 1).map(c => c.textContent)"""
CHECKS = {**WEB_PAGE_CHECKS, "table cells cut inside a word": broken_words("caption, th, td"),
          "captions past the window's edge": CAPTIONS_CUT}


@dataclass
class Visit:
    """What an adviser met, from the sessions list to the restored answers."""

    listed: list[str] = field(default_factory=list)  # the sessions in the list, then those the search found
    found: list[str] = field(default_factory=list)
    opened: str = ""  # the session page's heading
    notes: list[str] = field(default_factory=list)  # the notes shown, as text
    note_elements: int = -1  # elements inside the notes list's items (an <img> if the note were HTML)
    whatif: str = ""  # the what-if result's heading
    verdicts: list[list[str]] = field(default_factory=list)  # [instrument, now, what if] rows
    saved: str = ""  # what the what-if page said once the scenario was kept
    scenarios: list[str] = field(default_factory=list)  # the session page's scenarios
    compared: str = ""  # the compare table's caption
    columns: list[str] = field(default_factory=list)
    aspects: list[str] = field(default_factory=list)
    pdf: Path | None = None
    anonymous_pdf: Path | None = None
    applied: str = ""
    restored: str = ""
    shown_in_terminal: dict = field(default_factory=dict)  # the answers `advisor session show` prints
    history_in_terminal: str = ""  # what `advisor session history` prints
    layouts: dict[tuple[str, str], Layout] = field(default_factory=dict)
    messages: list[dict] = field(default_factory=list)
    dialogs: list[dict] = field(default_factory=list)  # alert() and the like, had a script run


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`advisor serve` running on a sessions folder of its own; stopped afterwards."""
    with serving(tmp_path_factory.mktemp("serve")) as running_server:
        yield running_server


def follow(tab: Tab, selector: str, text: str | None = None) -> None:
    """Click the element (a link, a button) and wait until the page it leads to has loaded."""
    tab.loads(lambda: tab.click(selector, text))


def write(tab: Tab, selector: str, text: str) -> None:
    """Click in a text field, select what it holds (Ctrl-A), and type `text` over it."""
    tab.click(selector)
    tab.press("a", CONTROL)
    tab.press("Backspace")
    tab.type(text)


def texts(tab: Tab, selector: str) -> list[str]:
    """The text a person reads in each element matching the CSS `selector`."""
    return tab.value(f"Array.from(document.querySelectorAll({json.dumps(selector)}), e => e.innerText.trim())")


def show_whatif(tab: Tab, url: str) -> None:
    """The what-if page opened and the partnership made bilateral (one foreign country), then shown."""
    tab.go(url)
    write(tab, COUNTRIES, "1")
    follow(tab, "button", "Show what changes")


@pytest.fixture(scope="module")
def visit(server: Server, tmp_path_factory) -> Visit:
    """The adviser's way through a session, in one headless Chromium."""
    seen = Visit()
    screenshots = artefacts_folder(tmp_path_factory)
    server.advisor("session", "new", "laura", "--profile", str(LAURA))
    server.advisor("session", "new", "marc-2024")
    with running(tmp_path_factory.mktemp("downloads")) as browser:
        tab = browser.tab()
        tab.go(server.url + "sessions")
        seen.listed = texts(tab, "table.sessions tbody th")
        write(tab, "#q", SEARCHED)
        tab.loads(lambda: tab.press("Enter"))
        seen.found = texts(tab, "table.sessions tbody th")
        follow(tab, "table.sessions a", "laura")
        seen.opened = tab.value("document.querySelector('h1').innerText")
        session_url = tab.value("location.href")

        write(tab, "#note-text", NOTE)
        follow(tab, "button", "Add the note")
        seen.notes = tab.value("Array.from(document.querySelectorAll('ul.notes li'), li => li.lastChild.data)")
        seen.note_elements = tab.value("document.querySelectorAll('ul.notes li *:not(span, br)').length")

        follow(tab, "nav a", "What if…")
        whatif_url = tab.value("location.href")
        write(tab, COUNTRIES, "1")
        follow(tab, "button", "Show what changes")
        seen.whatif = tab.value("document.querySelector('#result-title').innerText")
        seen.verdicts = tab.value("Array.from(document.querySelectorAll('table.whatif tbody tr'), r => [r.cells[0]"
                                  ".innerText, r.cells[1].lastChild.textContent, r.cells[2].innerText.replace("
                                  "'What if: ', '')])")
        lay_out(tab, "whatif", seen, screenshots, lambda: show_whatif(tab, whatif_url))
        write(tab, "#scenario", SCENARIO)
        follow(tab, "button", "Keep as a scenario")
        seen.saved = tab.value("document.querySelector('.notice').innerText")
        follow(tab, "a", "Back to the session")
        seen.scenarios = texts(tab, "ul.scenarios > li")

        follow(tab, "nav a", "Compare instruments")
        for instrument in COMPARED:
            tab.click(f"input[name=ids][value='{instrument}']")
        follow(tab, "button", "Compare")
        seen.compared = tab.value("document.querySelector('table.compare caption').innerText")
        seen.columns = texts(tab, "table.compare thead th")
        seen.aspects = texts(tab, "table.compare tbody th")
        lay_out(tab, "compare", seen, screenshots)

        tab.go(session_url)
        seen.pdf = browser.download(lambda: tab.click("nav a", "The report (PDF)"))
        follow(tab, "nav a", "The advice")
        tab.click("summary", "The report, with options")
        tab.click("#opt-personal")
        seen.anonymous_pdf = browser.download(lambda: tab.click("button", "Download the report"))

        show_whatif(tab, whatif_url)
        follow(tab, "button", "Make these the session's answers…")
        follow(tab, "button", "Yes, make them the answers")
        seen.applied = tab.value("document.querySelector('.notice').innerText")
        follow(tab, ".notice a", "The session")
        follow(tab, "ol.history a", "The answers of revision 1, to restore them")
        follow(tab, "button", "Restore the answers of revision 1")
        seen.restored = tab.value("document.querySelector('.notice').innerText")
        lay_out(tab, "session", seen, screenshots)
        seen.messages = tab.messages()
        seen.dialogs = [e for e in tab.client.events if e.get("method") == "Page.javascriptDialogOpening"]
    shown = server.advisor("session", "show", "laura")
    seen.shown_in_terminal = yaml.safe_load(shown.split("\nAnswers\n", 1)[1].split("\n\nNotes", 1)[0])
    seen.history_in_terminal = " ".join(server.advisor("session", "history", "laura").split())
    return seen


def lay_out(tab: Tab, page: str, seen: Visit, folder: Path, load=None) -> None:
    for viewport in (DESKTOP, PHONE):
        seen.layouts[page, viewport.name] = tab.lay_out(viewport, folder / f"web-adviser-{page}-{viewport.name}.png",
                                                        CHECKS, load)


def pdf_text(path: Path) -> str:
    assert path.read_bytes().startswith(b"%PDF-"), path
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


def test_a_session_from_the_terminal_is_found_by_its_researchers_name(visit):
    assert visit.listed == ["laura", "marc-2024"]
    assert visit.found == ["laura"]
    assert visit.opened == "Session laura: Laura G. (network coordinator, 2005)"


def test_a_hostile_note_shows_as_text(visit):
    assert visit.notes == [NOTE]
    assert visit.note_elements == 0


def test_whatif_shows_the_verdicts_that_change_side_by_side(visit):
    assert visit.whatif == "What if: foreign countries in the partnership (partnership 1): 1"
    assert visit.verdicts == [["International Associated Laboratory (LIA)", "not eligible", "also open"]]


def test_the_whatif_kept_as_a_scenario_is_on_the_session_page(visit):
    assert visit.saved == f"Scenario {SCENARIO} kept in the session."
    assert len(visit.scenarios) == 1 and visit.scenarios[0].startswith(f"{SCENARIO} (")
    assert "foreign countries in the partnership (partnership 1): 1" in visit.scenarios[0]
    assert "International Associated Laboratory (LIA): not eligible → also open" in visit.scenarios[0]


def test_two_instruments_compared_side_by_side(visit):
    titles = ["International Research Network (IRN)", "International Research Project (IRP)"]
    assert visit.compared == f"{', '.join(titles)}, side by side"
    assert visit.columns == titles
    assert {"Status for you", "What is missing", "First step"} <= set(visit.aspects)


def test_the_pdf_report_holds_the_scenario_and_the_note(visit):
    text = pdf_text(visit.pdf)
    assert visit.pdf.name == "laura-report.pdf"
    assert "Laura G." in text and SCENARIO in text and NOTE in text


def test_the_pdf_without_personal_fields_names_no_one(visit):
    text = pdf_text(visit.anonymous_pdf)
    assert visit.anonymous_pdf.name == "laura-report-2.pdf"  # a second download of the same name is kept apart
    assert "laura" not in text.lower()
    assert SCENARIO in text and NOTE in text  # only the personal fields are left out


def test_an_earlier_revision_restored_is_what_the_terminal_shows(visit):
    assert visit.applied.startswith("The what-if answers are now the answers of laura")
    assert visit.restored.startswith("The answers of revision 1 are the answers again")
    assert "whatif collaborations[0].countries=1" in visit.history_in_terminal
    assert "restore revision 1" in visit.history_in_terminal
    assert visit.shown_in_terminal["collaborations"][0]["countries"] == 2
    started = yaml.safe_load(LAURA.read_text())
    assert visit.shown_in_terminal == {**started, "as_of": started["as_of"].isoformat()}


@pytest.mark.parametrize("page", LAID_OUT)
@pytest.mark.parametrize("viewport", (DESKTOP, PHONE), ids=lambda v: v.name)
def test_no_element_is_wider_than_the_page(visit, page, viewport):
    layout = visit.layouts[page, viewport.name]
    assert layout.screenshot.read_bytes()[:4] == b"\x89PNG"
    assert faults(layout) == [], f"the {page} page at {viewport.width} px (see {layout.screenshot})"


def test_no_console_error_no_security_report_and_no_dialog(visit):
    assert errors(visit.messages) == []
    assert visit.dialogs == []


def test_the_server_logs_no_name_and_no_failure(server, visit):
    said = server.log.read_text()
    assert "Laura G." not in said and "onerror" not in said and "Traceback" not in said, said
