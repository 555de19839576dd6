"""The questionnaire in the browser: one question per page, moved by forms, kept in a session.

The pages drive the same planner as `advisor ask`: a person answering from an example career is asked
exactly what the terminal asks, in the same order, and gets the same advice.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from advisor.cli.main import main
from advisor.contract.profile import Profile
from advisor.io.environment import Environment
from advisor.io.profiles import dump_profile, load_profiles
from advisor.questionnaire.replay import replay
from advisor.sessions.store import SessionStore
from advisor.web.app import create_app
from advisor.web.settings import Settings

PROFILES = sorted(Path(__file__).resolve().parent.parent.joinpath("profiles").glob("*.yaml"))
STEP = re.compile(r'name="step" value="([^"]+)"')
TOKEN = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return create_app(Settings(sessions_dir=tmp_path_factory.mktemp("web") / "sessions", rate=0))


@pytest.fixture
def client(app):
    return TestClient(app, base_url="http://127.0.0.1:8000")


def store_of(app) -> SessionStore:
    return app.state.core.store([])


def start(client) -> tuple[str, str]:
    """A new questionnaire: its address and the form token."""
    token = TOKEN.search(client.get("/").text)[1]
    response = client.post("/start", data={"csrf": token}, follow_redirects=False)
    assert response.status_code == 303
    return response.headers["location"], token


def step_of(page: str) -> str | None:
    found = STEP.search(page)
    return found[1] if found else None


def send(client, here: str, token: str, **fields) -> object:
    return client.post(here, data={"csrf": token, **fields}, follow_redirects=False)


def form_value(value) -> str | list[str]:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return [str(v) for v in value]
    return str(value)


def answer_from(profile: dict, key: str) -> dict:
    """The form a person with this profile sends for the step `key` (as the terminal replay answers)."""
    match = re.fullmatch(r"(?P<id>[a-z_]+)(?P<another>\.another)?(?:\[(?P<i>\d+)\])?", key)
    partners = profile.get("collaborations")
    if match["another"]:
        return {"answer": form_value(len(partners) > int(match["i"]) + 1)}
    if match["id"] == "partners":
        return {"action": "unknown"} if partners is None else {"answer": form_value(bool(partners))}
    return {}


def test_an_example_career_is_asked_what_the_terminal_asks_and_gets_the_same_advice(app, client):
    core = app.state.core
    questions = core.questions
    for path in PROFILES[:3] + PROFILES[-2:]:
        profile = dump_profile(load_profiles(path)[0].profile)
        _, interviewer = replay(core.planner(), profile)
        start_data = {key: profile[key] for key in ("schema_version", "as_of") if key in profile}
        name = f"career-{path.stem[:40]}"
        store_of(app).create(name, Profile.model_validate(start_data))
        here = f"/sessions/{name}/ask"
        token = TOKEN.search(client.get("/").text)[1]
        asked = []
        for _ in range(60):
            page = client.get(here).text
            key = step_of(page)
            if key == "review":
                break
            asked.append(key)
            form = answer_from(profile, key)
            if not form:
                question = questions.by_id[key.split("[")[0]]
                index = int(key.split("[")[1][:-1]) if "[" in key else None
                source = profile if index is None else profile["collaborations"][index]
                value = source.get(question.attribute)
                if value is None:
                    form = {"action": "unknown"}
                elif question.type == "country":
                    form = {"answer": value}
                else:
                    form = {"answer": form_value(value.isoformat() if hasattr(value, "isoformat") else value)}
            response = send(client, here, token, step=key, **form)
            assert response.status_code == 303, (key, form, response.text[:2000])
        assert asked == interviewer.asked, path.name
        response = send(client, here, token, step="review", action="done")
        assert response.headers["location"] == f"/sessions/{name}/advice"
        kept = store_of(app).open(name).profile()
        expected = core.advise(load_profiles(path)[0].profile, None).result
        got = core.advise(kept, None).result
        assert {r.id: r.verdict for r in got.results} == {r.id: r.verdict for r in expected.results}, path.name
        advice = client.get(f"/sessions/{name}/advice").text
        assert "In short" in advice and "Recommended for you" in advice or "No instrument" in advice


def test_back_reopens_the_last_answer_and_keeps_it_as_the_default(client):
    here, token = start(client)
    assert step_of(client.get(here).text) == "name"
    assert "There is nothing to go back" not in client.get(here).text
    send(client, here, token, step="name", answer="Ada Lovelace")
    second = step_of(client.get(here).text)
    assert second != "name"
    response = send(client, here, token, step=second, action="back")
    assert response.headers["location"] == here
    page = client.get(here).text
    assert step_of(page) == "name" and 'value="Ada Lovelace"' in page
    assert "Question 1 of about" in page


def test_back_on_the_first_question_says_so(client):
    here, token = start(client)
    response = send(client, here, token, step="name", action="back")
    page = client.get(response.headers["location"]).text
    assert "This is the first question: there is nothing to go back to." in page
    assert step_of(page) == "name"


def test_a_form_for_another_step_changes_nothing(app, client):
    here, token = start(client)
    name = here.split("/")[2]
    before = store_of(app).open(name).file("profile.yaml").read_text()
    response = send(client, here, token, step="career_stage", answer="postdoc")  # the page asks the name first
    assert response.status_code == 303 and response.headers["location"] == here
    assert store_of(app).open(name).file("profile.yaml").read_text() == before


def test_a_wrong_typed_answer_is_said_with_its_fix_and_kept_in_the_field(client):
    here, token = start(client)
    send(client, here, token, step="name", answer="Ada")
    for _ in range(20):  # go to the first typed number or country question
        page = client.get(here).text
        key = step_of(page)
        if 'list="countries"' in page or 'type="number"' in page:
            break
        send(client, here, token, step=key, action="unknown")
    typed = "Frence" if 'list="countries"' in page else "twenty"
    response = send(client, here, token, step=key, answer=typed)
    assert response.status_code == 422
    assert 'role="alert"' in response.text and f'value="{typed}"' in response.text
    assert ("did you mean France" in response.text) or ("write a whole number" in response.text)
    assert step_of(client.get(here).text) == key  # nothing was recorded


def test_a_country_is_understood_in_french_and_kept_as_its_code(app, client):
    here, token = start(client)
    name = here.split("/")[2]
    for _ in range(25):
        page = client.get(here).text
        key = step_of(page)
        if key == "country":
            send(client, here, token, step=key, answer="Allemagne")
            break
        send(client, here, token, step=key, action="unknown")
    assert store_of(app).open(name).profile().country == "DE"


def test_i_dont_know_is_an_answer_and_the_review_lets_any_answer_be_changed(app, client):
    here, token = start(client)
    name = here.split("/")[2]
    for _ in range(40):
        key = step_of(client.get(here).text)
        if key == "review":
            break
        send(client, here, token, step=key, action="unknown")
    review = client.get(here).text
    assert "Review your answers" in review and "I don&#39;t know" in review
    response = send(client, here, token, step="review", change="career_stage")
    page = client.get(response.headers["location"]).text
    assert step_of(page) == "career_stage"
    send(client, here, token, step="career_stage", answer="postdoc")
    assert step_of(client.get(here).text) == "review"  # back to the review: nothing else now matters more
    assert store_of(app).open(name).profile().career_stage == "postdoc"


def test_a_choice_not_offered_is_refused(client):
    here, token = start(client)
    send(client, here, token, step="name", action="unknown")
    key = step_of(client.get(here).text)
    response = send(client, here, token, step=key, answer="<b>emperor</b>")
    assert response.status_code == 422
    assert "<b>emperor</b>" not in response.text


def test_a_session_begun_in_the_browser_goes_on_in_the_terminal(app, client, monkeypatch, tmp_path):
    here, token = start(client)
    name = here.split("/")[2]
    send(client, here, token, step="name", answer="Grace Hopper")
    root = app.state.core.settings.sessions_dir
    env = Environment.in_memory()
    assert main(["session", "show", name, "--sessions-dir", str(root)], env) == 0
    assert "Grace Hopper" in env.written()[0]
    env = Environment.in_memory()
    assert main(["session", "set", name, "career_stage=postdoc", "--sessions-dir", str(root)], env) == 0
    page = client.get(here).text
    assert "Position" not in page or step_of(page) != "career_stage"  # the terminal's answer is not asked again
    data = yaml.safe_load(store_of(app).open(name).file("profile.yaml").read_text())
    assert data["name"] == "Grace Hopper" and data["career_stage"] == "postdoc"


def test_the_advice_page_and_its_downloads(client):
    here, token = start(client)
    send(client, here, token, step="name", answer="Ada")
    advice = here.replace("/ask", "/advice")
    page = client.get(advice)
    assert page.status_code == 200
    assert page.text.index("In short") < page.text.index("The recommended path")
    assert "could still change this advice" in page.text
    for suffix, kind, starts in (("report.md", "text/markdown", "#"), ("report.html", "text/html", "<!DOCTYPE html>"),
                                 ("answers.yaml", "application/yaml", "# Answers of `advisor ask`"),
                                 ("calendar.ics", "text/calendar", "BEGIN:VCALENDAR")):
        response = client.get(here.replace("/ask", "/" + suffix))
        assert response.status_code == 200 and response.headers["content-type"].startswith(kind)
        assert response.text.lstrip().startswith(starts), suffix
        assert response.headers["content-disposition"].startswith("attachment")
    assert "style-src 'unsafe-inline'" in client.get(here.replace("/ask", "/report.html")).headers[
        "content-security-policy"]
    dated = client.get(advice + "?as_of=2012-06-01").text
    assert "1 June 2012" in dated
    wrong = client.get(advice + "?as_of=yesterday")
    assert wrong.status_code == 422 and "write a date as YYYY-MM-DD" in wrong.text


def test_the_home_page_offers_to_continue_this_browsers_questionnaire(client):
    assert "Continue your questionnaire" not in client.get("/").text
    here, _ = start(client)
    assert f'href="{here}"' in client.get("/").text


def test_the_report_leaves_out_what_the_adviser_asks(app, client):
    store = store_of(app)
    session = store.create("report-options", Profile.model_validate({"name": "Marie Sklodowska", "nationality": "PL",
                                                                     "career_stage": "postdoc"}))
    session.add_note("Prefers Warsaw")
    full = client.get("/sessions/report-options/report?format=md").text
    assert "Marie Sklodowska" in full and "Prefers Warsaw" in full and "Poland" in full
    kept = client.get("/sessions/report-options/report?format=md&without_personal=1&no_notes=1").text
    assert "Marie Sklodowska" not in kept and "Prefers Warsaw" not in kept and "Poland" not in kept
    assert "Left out at the researcher's request" in kept
    assert "report-options" not in kept  # the session's name goes too
    advice = client.get("/sessions/report-options/advice").text
    assert 'action="/sessions/report-options/report"' in advice and 'name="without_personal"' in advice
