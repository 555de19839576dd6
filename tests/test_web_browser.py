"""`advisor serve` in a real headless Chromium, used with the keyboard only: the questionnaire answered to the
advice (with Back, "I don't know", a reload and a closed tab on the way), the PDF downloaded, every form field
labelled and every focus drawn, the pages laid out on a phone and a desktop, and nothing reported in the console.

The server runs as `advisor serve --port 0` in a subprocess, on a sessions folder of the test's own. The
screenshots go to $ADVISOR_TEST_ARTEFACTS when it is set (to keep and look at), else to a temporary folder.
Chromium is needed as in test_report_browser.py: skipped without it, except in CI.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from pypdf import PdfReader

from .browser import (
    CONTROL,
    DESKTOP,
    PHONE,
    UNLABELLED,
    WEB_PAGE_CHECKS,
    Layout,
    Tab,
    artefacts_folder,
    errors,
    faults,
    needs_chromium,
    running,
)
from .web import serving

needs_chromium()

# The answer given to each question (by its id; a partner's questions are asked as `partner_type[0]`...):
# a choice's label, the labels ticked, or the text typed; `another` is "describe another partner?". A question
# not listed here gets its first choice, no tick, or the smallest number it takes.
ANSWERS = {
    "name": "Ada Lovelace", "career_stage": "Senior researcher (DR)", "permanent_position": "Yes",
    "in_cnrs_unit": "Yes", "employer": "The CNRS", "phd_year": "2004", "country": "France",
    "goals": ["Start a collaboration with a foreign team", "Build a network of several teams or countries"],
    "willing_to_coordinate": "Yes", "willing_to_relocate": "No", "partners": "Yes", "partner_country": "Japan",
    "partner_type": "A university", "partner_stage": "We have joint results", "joint_publications": "6",
    "years_active": "4", "partner_countries": "1", "partner_labs": "3", "another": "No, that is all",
}
NOT_KNOWN = "willing_to_serve_on_committees"  # answered "I don't know"
BACK_TO = "career_stage"  # the question gone back to once, from the next one
RELOADED_AT = 5  # the question page reloaded, then its tab closed and the questionnaire resumed from home
LAID_OUT = ("question", "review", "advice")  # the pages laid out and photographed at each width
MOST_TABS = 60  # presses of Tab to reach a button, at most


@dataclass
class Journey:
    """What a researcher met, going from the home page to the PDF with the keyboard."""

    asked: list[str] = field(default_factory=list)  # the step of each question page shown, in order
    given: dict[str, str] = field(default_factory=dict)  # step -> the answer given, as the review shows it
    unlabelled: dict[str, list[str]] = field(default_factory=dict)  # page -> its fields without a label
    unseen_focus: list[str] = field(default_factory=list)  # focused elements drawn without a focus style
    back: dict = field(default_factory=dict)
    not_known: str = ""
    resumed: dict = field(default_factory=dict)
    review: list[list[str]] = field(default_factory=list)  # [question, answer] rows
    advice_headings: list[str] = field(default_factory=list)
    pdf: Path | None = None
    layouts: dict[tuple[str, str], Layout] = field(default_factory=dict)
    messages: list[dict] = field(default_factory=list)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`advisor serve` running on a sessions folder of its own; stopped afterwards."""
    with serving(tmp_path_factory.mktemp("serve")) as running_server:
        yield running_server


@pytest.fixture(scope="module")
def artefacts(tmp_path_factory) -> Path:
    return artefacts_folder(tmp_path_factory)


class Person:
    """Uses a tab with the keyboard only, checking on each page what a keyboard user and a screen reader need."""

    def __init__(self, tab: Tab, journey: Journey):
        self.tab, self.journey = tab, journey

    def page(self) -> str:
        """The page shown: a question's step, or its title; the first time, its unlabelled fields noted, and
        whether the field it puts the focus on shows it."""
        step = self.tab.value("(document.querySelector('input[name=step]') || {}).value || document.title")
        if step not in self.journey.unlabelled:
            self.journey.unlabelled[step] = self.tab.value(UNLABELLED)
            focused = self.tab.focused()
            if self.tab.value("document.querySelector('[autofocus]') !== null") and not focused["shows"]:
                self.journey.unseen_focus.append(f"{step}: {focused}")
        return step

    def tab_to(self, wanted) -> dict:
        """Press Tab until `wanted(focused element)`; every stop on the way must show its focus."""
        for _ in range(MOST_TABS):
            self.tab.press("Tab")
            focused = self.tab.focused()
            if not focused["shows"]:
                self.journey.unseen_focus.append(f"{self.page()}: {focused}")
            if wanted(focused):
                return focused
        raise AssertionError(f"{self.page()}: Tab never reached the element wanted; last {focused}")

    def button(self, text: str) -> None:
        """Tab to the button or link saying `text` and press Enter: the next page loads."""
        self.tab_to(lambda f: f["tag"] in ("button", "a") and f["text"] == text)
        self.tab.loads(lambda: self.tab.press("Enter"))

    def choose(self, label: str) -> None:
        """In a group of radio buttons (one has the focus), move with the arrows to `label` and select it."""
        focused = self.tab.focused()
        assert focused["type"] == "radio", f"{self.page()}: a choice should have the focus, not {focused}"
        labels = self.tab.value("Array.from(document.querySelectorAll('input[type=radio]'), r => r.labels[0]"
                                ".textContent.trim())")
        moves = labels.index(label) - labels.index(focused["label"])
        for _ in range(abs(moves)):
            self.tab.press("ArrowDown" if moves > 0 else "ArrowUp")
        if not self.tab.focused()["checked"]:
            self.tab.press(" ")
        now = self.tab.focused()
        assert now["label"] == label and now["checked"], f"{self.page()}: {label} should be chosen, not {now}"

    def tick(self, labels: list[str]) -> None:
        """Tab through the tick boxes, pressing Space on those whose state is not the one wanted."""
        boxes = self.tab.value("document.querySelectorAll('input[type=checkbox]').length")
        for number in range(boxes):
            box = self.tab_to(lambda f: f["type"] == "checkbox")
            if box["checked"] != (box["label"] in labels):
                self.tab.press(" ")
            assert self.tab.focused()["checked"] == (box["label"] in labels), number

    def write(self, text: str) -> None:
        """Replace what the focused text field holds (Ctrl-A, Backspace) with `text`, typed."""
        assert self.tab.focused()["tag"] == "input", f"{self.page()}: the field should have the focus"
        self.tab.press("a", CONTROL)
        self.tab.press("Backspace")
        self.tab.type(text)

    def answer(self, step: str) -> str | list[str]:
        """Give the planned answer to the question shown and go to the next; the answer given, as shown."""
        question = "another" if step.startswith("partners") and step != "partners" else step.split("[")[0]
        planned = ANSWERS.get(question)
        kind = self.tab.value("document.querySelector('[name=answer]').type")
        if kind == "radio":
            labels = self.tab.value("Array.from(document.querySelectorAll('input[type=radio]'), "
                                    "r => r.labels[0].textContent.trim())")
            given = planned if planned in labels else labels[0]
            self.choose(given)
        elif kind == "checkbox":
            given = planned or []
            self.tick(given)
        else:
            smallest = self.tab.value("document.querySelector('[name=answer]').min") or "1"
            given = planned or smallest
            self.write(given)
        self.button("Next")
        return given


def answered(tab: Tab) -> str:
    """What the question's field holds now: the radio checked, the boxes ticked, or the text."""
    return tab.value("""(() => { const fields = Array.from(document.querySelectorAll('[name=answer]'));
      if (fields[0].type === 'radio' || fields[0].type === 'checkbox')
        return fields.filter(f => f.checked).map(f => f.labels[0].textContent.trim()).join(', ');
      return fields[0].value; })()""")


@pytest.fixture(scope="module")
def journey(server, artefacts, tmp_path_factory) -> Journey:
    """From the home page to the PDF with the keyboard, in one headless Chromium."""
    found = Journey()
    with running(tmp_path_factory.mktemp("downloads")) as browser:
        tab = browser.tab()
        person = Person(tab, found)
        tab.go(server.url)
        person.page()
        person.button("Start the questionnaire")
        previous: tuple[str, str] | None = None
        while (step := person.page()) != "review":
            found.asked.append(step)
            if not found.back and previous and previous[0] == BACK_TO:
                person.button("Back")
                found.back = {"from": step, "to": person.page(), "default": answered(tab), "given": previous,
                              "focused": tab.focused()["label"]}
                person.button("Next")  # keeps the answer, the default
                found.back["then"] = person.page()
                continue
            if len(found.asked) == RELOADED_AT:
                tab.reload()
                found.resumed["reloaded"] = person.page()
                found.messages += tab.messages()
                browser.close(tab)
                tab = person.tab = browser.tab()
                tab.go(server.url)
                person.button("Continue your questionnaire")
                found.resumed.update(closed=step, opened=person.page())
            if step == NOT_KNOWN:
                found.not_known = step
                person.button("I don't know")
                previous = None
                continue
            if step == "career_stage":
                lay_out(tab, "question", found, artefacts)
            previous = (step, person.answer(step))
            found.given[step] = ", ".join(previous[1]) if isinstance(previous[1], list) else previous[1]
        found.asked.append("review")
        found.review = tab.value("Array.from(document.querySelectorAll('table.review tbody tr'), "
                                 "r => [r.cells[0].textContent.trim(), r.cells[1].textContent.trim()])")
        lay_out(tab, "review", found, artefacts)
        focused = tab.focused()
        assert focused["text"] == "All correct: show my advice", f"the review's button should have the focus: {focused}"
        tab.loads(lambda: tab.press("Enter"))
        person.page()
        found.advice_headings = tab.value("Array.from(document.querySelectorAll('.report h1, .report h2'), "
                                          "h => h.textContent.trim())")
        lay_out(tab, "advice", found, artefacts)
        person.tab_to(lambda f: f["text"] == "the report (PDF)")
        found.pdf = browser.download(lambda: tab.press("Enter"))
        found.messages += tab.messages()
    return found


def lay_out(tab: Tab, page: str, journey: Journey, folder: Path) -> None:
    for viewport in (DESKTOP, PHONE):
        journey.layouts[page, viewport.name] = tab.lay_out(viewport, folder / f"web-{page}-{viewport.name}.png",
                                                           WEB_PAGE_CHECKS)


def test_the_questionnaire_is_answered_to_the_advice_with_the_keyboard(journey):
    assert journey.asked[:2] == ["name", "career_stage"] and journey.asked[-1] == "review"
    assert len(journey.asked) > RELOADED_AT + 2
    shown = [answer for _, answer in journey.review]
    assert [(step, answer) for step, answer in journey.given.items()
            if answer not in shown and not step.startswith("partners")] == []  # each answer typed or chosen
    assert journey.advice_headings[:2] == ["International cooperation: advice for Ada Lovelace", "In short"]


def test_back_shows_the_answer_given_as_the_default(journey):
    back = journey.back
    assert back["to"] == BACK_TO == back["given"][0]
    assert back["default"] == back["focused"] == back["given"][1]  # chosen, and the focus is on it
    assert back["then"] == back["from"]  # Next keeps it and goes on


def test_i_dont_know_is_an_answer_shown_in_the_review(journey):
    assert journey.not_known == NOT_KNOWN, f"{NOT_KNOWN} was not asked: choose another question for “I don't know”"
    assert [answer for _, answer in journey.review].count("I don't know") == 1, journey.review


def test_a_reload_and_a_closed_tab_resume_at_the_same_question(journey):
    asked_then = journey.asked[RELOADED_AT - 1]
    assert journey.resumed == {"reloaded": asked_then, "closed": asked_then, "opened": asked_then}


def test_every_form_field_has_a_label(journey):
    assert len(journey.unlabelled) > 5
    assert {page: fields for page, fields in journey.unlabelled.items() if fields} == {}


def test_the_keyboard_focus_is_always_drawn(journey):
    assert journey.unseen_focus == []


def test_the_pdf_downloaded_is_the_advice(journey):
    data = journey.pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(journey.pdf).pages).split())
    assert text.startswith(journey.advice_headings[0])
    assert "In short" in text


@pytest.mark.parametrize("page", LAID_OUT)
@pytest.mark.parametrize("viewport", (DESKTOP, PHONE), ids=lambda v: v.name)
def test_no_element_is_wider_than_the_page(journey, page, viewport):
    layout = journey.layouts[page, viewport.name]
    assert layout.screenshot.read_bytes()[:4] == b"\x89PNG"
    assert faults(layout) == [], f"the {page} page at {viewport.width} px (see {layout.screenshot})"


def test_no_console_error_or_security_report(journey):
    assert errors(journey.messages) == []


def test_the_server_logs_no_answer_and_no_failure(server, journey):
    said = server.log.read_text()
    assert "Ada Lovelace" not in said and "Japan" not in said and "Traceback" not in said, said
