"""The adviser's pages of `advisor serve`: the sessions of the CLI's store, searchable; a new session (from an
uploaded profile too); a session's answers in words, notes, history and restore; what-if; compare; delete."""

from __future__ import annotations

import html
import json
import re

import pytest
import yaml

from advisor.cli.main import main
from advisor.io.environment import Environment
from advisor.io.profiles import load_profiles
from advisor.sessions.store import SessionStore

from .browser import DESKTOP, PHONE, chromium, layouts
from .conftest import ROOT
from .web import csrf_of, web_client

LAURA = ROOT / "profiles" / "laura-3-network-coordinator.yaml"
HOSTILE = ('<script>alert(1)</script>', '"><img src=x onerror=alert(1)>')


@pytest.fixture
def client(tmp_path):
    return web_client(tmp_path)


@pytest.fixture
def store(tmp_path):
    return SessionStore(tmp_path / "s")


@pytest.fixture
def laura(store):
    """A session holding Laura's profile (the network coordinator: a permanent position, one partnership)."""
    return store.create("laura", load_profiles(LAURA)[0].profile)


def cli(tmp_path, *args: str) -> tuple[int, str]:
    """`advisor ARGS... --sessions-dir` the web's folder, in-process: its exit status and output."""
    env = Environment.in_memory()
    code = main([*args, "--sessions-dir", str(tmp_path / "s")], env)
    return code, env.written()[0]


def token(client) -> str:
    return csrf_of(client.get("/sessions"))


def text_of(response) -> str:
    """A page's text as a person reads it (tags removed, entities read)."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.text)))


# -- the list ----------------------------------------------------------------------------------------------------

def test_the_list_shows_each_session_and_searches_by_name(client, store, laura):
    store.create("Marc-2024")
    store.create("another")
    page = client.get("/sessions")
    assert page.status_code == 200
    said = text_of(page)
    assert "laura" in said and "Marc-2024" in said and "3 sessions" in said
    assert "Laura G. (network coordinator, 2005)" in said  # the researcher's name
    assert re.search(r"Started \d{1,2} \w+ 20\d\d, \d\d:\d\d", said)  # in words, not an ISO timestamp
    assert "22 answers" in said and "0 notes" in said
    found = client.get("/sessions", params={"q": "MARC"}).text
    assert 'href="/sessions/Marc-2024"' in found and "1 of 3 sessions" in found
    assert 'href="/sessions/laura"' not in found and 'href="/sessions/another"' not in found
    assert 'href="/sessions/laura"' in client.get("/sessions", params={"q": "network COORD"}).text  # the researcher
    assert "No session's name contains “nobody”" in text_of(client.get("/sessions", params={"q": "nobody"}))


def test_a_damaged_session_is_listed_as_damaged(client, store, laura, tmp_path):
    (tmp_path / "s" / "laura" / "profile.yaml").write_text("career_stage: [\n")
    said = text_of(client.get("/sessions"))
    assert "laura" in said and "Damaged: YAML syntax error" in said and "Fix:" in said


# -- a new session -------------------------------------------------------------------------------------------------

def test_a_new_empty_session_is_the_clis(client, tmp_path):
    response = client.post("/sessions", data={"csrf": token(client), "name": "new-one"})
    assert response.status_code == 303 and response.headers["location"] == "/sessions/new-one"
    assert "No answer yet" in client.get("/sessions/new-one").text
    code, shown = cli(tmp_path, "session", "show", "new-one")
    assert code == 0 and "Session new-one" in shown


def test_a_new_session_from_an_uploaded_profile(client, tmp_path):
    response = client.post("/sessions", data={"csrf": token(client), "name": "from-file"},
                           files={"profile": ("laura.yaml", LAURA.read_bytes(), "application/yaml")})
    assert response.status_code == 303
    page = text_of(client.get("/sessions/from-file"))
    assert "Junior researcher or lecturer (CR, MCF)" in page and "junior_researcher" not in page
    assert "session started from the profile file laura.yaml (uploaded)" in page
    assert SessionStore(tmp_path / "s").open("from-file").profile().career_stage == "junior_researcher"


def test_an_uploaded_json_profile(client, tmp_path):
    data = json.dumps({"career_stage": "postdoc", "nationality": "Italie"}).encode()
    response = client.post("/sessions", data={"csrf": token(client), "name": "json"},
                           files={"profile": ("p.json", data, "application/json")})
    assert response.status_code == 303
    assert SessionStore(tmp_path / "s").open("json").profile().nationality == "IT"


def test_a_malformed_upload_says_where_and_creates_nothing(client, tmp_path):
    bad = b"career_stage: postdoc\nphd_year: nineteen\n"
    response = client.post("/sessions", data={"csrf": token(client), "name": "broken"},
                           files={"profile": ("../../etc/broken.yaml", bad, "application/yaml")})
    assert response.status_code == 422
    said = text_of(response)
    assert "broken.yaml , line 2" in said and "Fix: write a whole number" in said
    assert "../" not in said  # the browser's name is shown, its folders never used
    assert 'value="broken"' in response.text  # the name typed is kept
    assert SessionStore(tmp_path / "s").names() == []


@pytest.mark.parametrize("filename, data, said", [
    ("p.yaml", b"career_stage: [\n", "YAML syntax error"),
    ("p.yaml", b"\xff\xfe", "is not UTF-8 text"),
    ("p.txt", b"career_stage: postdoc\n", "has an unknown extension '.txt'"),
    ("p.yaml", b"- {career_stage: postdoc}\n- {career_stage: phd_student}\n", "holds 2 profiles"),
])
def test_uploads_that_are_no_profile(client, tmp_path, filename, data, said):
    response = client.post("/sessions", data={"csrf": token(client), "name": "x"},
                           files={"profile": (filename, data, "application/octet-stream")})
    assert response.status_code == 422 and said in text_of(response) and "Fix:" in text_of(response)
    assert not (tmp_path / "s" / "x").exists()


def test_a_name_the_store_refuses(client, tmp_path):
    response = client.post("/sessions", data={"csrf": token(client), "name": "../up"})
    assert response.status_code == 422 and "letters, digits" in text_of(response)
    client.post("/sessions", data={"csrf": token(client), "name": "twice"})
    again = client.post("/sessions", data={"csrf": token(client), "name": "twice"})
    assert again.status_code == 422 and "a session named 'twice' already exists" in text_of(again)


def test_forms_without_the_token_are_refused(client, tmp_path):
    assert client.post("/sessions", data={"name": "forged"}).status_code == 403
    assert not (tmp_path / "s" / "forged").exists()


# -- a session -----------------------------------------------------------------------------------------------------

def test_the_session_page_links_to_everything_a_session_has(client, laura):
    page = client.get("/sessions/laura")
    assert page.status_code == 200
    for link in ("/sessions/laura/ask", "/sessions/laura/advice", "/sessions/laura/whatif", "/sessions/laura/compare",
                 "/sessions/laura/report.pdf", "/sessions/laura/calendar.ics", "/sessions/laura/answers.yaml",
                 "/sessions/laura/delete", "/sessions/laura/revisions/1"):
        assert f'href="{link}"' in page.text
    said = text_of(page)
    assert "Partner 1 (Italy): stage of the collaboration" in said and "Date of the advice 1 June 2005" in said


def test_an_unknown_session_is_404_with_a_fix(client, laura):
    for address in ("/sessions/lara", "/sessions/lara/whatif", "/sessions/lara/compare", "/sessions/lara/delete",
                    "/sessions/lara/revisions/1"):
        response = client.get(address)
        assert response.status_code == 404, address
        shown = text_of(response)
        assert "session lara" in shown and "does not exist" in shown and "did you mean laura?" in shown
        assert "advisor session" not in shown and str(client.app.state.core.settings.sessions_dir) not in shown


def test_notes_are_kept_and_shown_escaped(client, laura, tmp_path):
    csrf = token(client)
    for text in HOSTILE:
        assert client.post("/sessions/laura/notes", data={"csrf": csrf, "text": text}).status_code == 303
    page = client.get("/sessions/laura").text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page and "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    code, shown = cli(tmp_path, "session", "show", "laura")
    assert "<script>alert(1)</script>" in shown  # the CLI reads the notes the web wrote


def test_a_note_that_cannot_be_saved_comes_back(client, laura, tmp_path):
    csrf = token(client)
    empty = client.post("/sessions/laura/notes", data={"csrf": csrf, "text": "   "})
    assert empty.status_code == 422 and "is empty" in empty.text
    (tmp_path / "s" / "laura" / "notes.jsonl").mkdir()  # the notes file cannot be written
    lost = client.post("/sessions/laura/notes", data={"csrf": csrf, "text": "wants <Italy>"})
    assert lost.status_code == 422 and "The note was not saved" in lost.text
    assert re.search(r"<textarea[^>]*>wants &lt;Italy&gt;</textarea>", lost.text)


def test_damaged_records_are_skipped_with_a_warning(client, laura):
    laura.add_note("first")
    with open(laura.file("notes.jsonl"), "a") as notes:
        notes.write('{"at": "x"\n')
    laura.add_note("second")
    page = client.get("/sessions/laura")
    assert page.status_code == 200
    assert re.search(r'class="warning"[^>]*>Skipped, damaged: [^<]*notes\.jsonl:2', page.text)
    assert "first" in page.text and "second" in page.text


def test_a_damaged_profile_shows_its_line_and_fix_and_the_rest(client, laura):
    laura.add_note("keep me")
    laura.file("profile.yaml").write_text("career_stage: postdoc\nphd_year: [\n")
    page = client.get("/sessions/laura")
    said = text_of(page)
    assert "The answers cannot be read" in said and "line 3" in said and "Fix:" in said
    assert "keep me" in said and "Revision 1" in said


def test_a_damaged_session_file_is_a_warning(client, laura):
    laura.file("session.yaml").write_text("format: 2\nname: laura\ncreated: x\n")
    page = client.get("/sessions/laura")
    assert page.status_code == 200 and "Skipped, damaged:" in page.text and "session.yaml" in page.text
    assert "Junior researcher or lecturer (CR, MCF)" in page.text


def test_evaluate_keeps_the_evaluation(client, laura, tmp_path):
    response = client.post("/sessions/laura/evaluate", data={"csrf": token(client)})
    assert response.status_code == 303 and response.headers["location"] == "/sessions/laura/advice"
    said = text_of(client.get("/sessions/laura"))
    assert "Evaluations (1)" in said and "advice for 1 June 2005, on revision 1 of the answers" in said
    assert "evaluate" in cli(tmp_path, "session", "show", "laura")[1]


# -- history and restore -------------------------------------------------------------------------------------------

def test_history_in_words_and_restore_once_confirmed(client, laura, tmp_path):
    assert cli(tmp_path, "session", "set", "laura", "career_stage=senior_researcher")[0] == 0
    said = text_of(client.get("/sessions/laura"))
    assert "Revision 2" in said and "career stage: junior researcher or lecturer (CR, MCF) → senior researcher (DR)" in said
    page = client.get("/sessions/laura/revisions/1")
    assert page.status_code == 200
    assert "Restoring revision 1 changes 1 answer" in text_of(page)
    csrf = csrf_of(page)
    unconfirmed = client.post("/sessions/laura/restore", data={"csrf": csrf, "revision": "1"})
    assert unconfirmed.status_code == 303 and unconfirmed.headers["location"] == "/sessions/laura/revisions/1"
    assert laura.profile().career_stage == "senior_researcher"  # nothing restored before it is confirmed
    done = client.post("/sessions/laura/restore", data={"csrf": csrf, "revision": "1", "confirm": "yes"})
    assert done.status_code == 303
    assert laura.profile().career_stage == "junior_researcher"
    assert "revision 1 restored" in text_of(client.get(done.headers["location"]))
    code, history = cli(tmp_path, "session", "history", "laura")
    assert "#3" in history and "restore revision 1" in history


def test_a_revision_that_does_not_exist(client, laura):
    response = client.get("/sessions/laura/revisions/9")
    assert response.status_code == 422 and "has no revision 9" in response.text and "choose 1 to 1" in response.text
    assert client.get("/sessions/laura/revisions/x").status_code == 422


# -- what-if -------------------------------------------------------------------------------------------------------

def test_whatif_shows_the_verdicts_that_change(client, laura):
    page = client.get("/sessions/laura/whatif")
    assert page.status_code == 200
    assert '<option value="true" selected>yes</option>' in page.text  # the current answers, in words
    response = client.post("/sessions/laura/whatif", data={"csrf": csrf_of(page), "permanent_position": "false"})
    assert response.status_code == 200
    said = text_of(response)
    assert "What if: a permanent position: no" in said
    assert re.search(r"International Research Group \(GDRI[^)]*\) Now: recommended What if: not eligible", said)
    assert "Not met:" in said and "stay the same" in said
    assert laura.profile().permanent_position is True  # only tried


def test_whatif_saves_a_scenario_the_cli_shows(client, laura, tmp_path):
    csrf = token(client)
    response = client.post("/sessions/laura/whatif", data={
        "csrf": csrf, "permanent_position": "false", "collaborations[1].partner_country": "Germany",
        "action": "save", "scenario": "no-post"})
    assert response.status_code == 200 and "Scenario no-post kept" in response.text
    saved = yaml.safe_load(laura.file("scenarios/no-post.yaml").read_text())
    assert saved["changes"] == ["permanent_position=false", "collaborations[1].partner_country=Germany"]
    assert "no-post" in cli(tmp_path, "session", "show", "laura")[1]
    said = text_of(client.get("/sessions/laura"))
    assert "no-post" in said and "partner's country (partnership 2): Germany" in said
    bad = client.post("/sessions/laura/whatif", data={"csrf": csrf, "permanent_position": "false",
                                                      "action": "save", "scenario": "no post/"})
    assert bad.status_code == 422 and "The scenario's name" in text_of(bad) and 'value="no post/"' in bad.text


def test_whatif_applied_once_confirmed(client, laura, tmp_path):
    csrf = token(client)
    ask = client.post("/sessions/laura/whatif", data={"csrf": csrf, "goals.shown": "1",
                                                      "goals": ["build_network", "joint_lab"], "action": "apply"})
    assert ask.status_code == 200 and "Make these the answers of laura?" in ask.text
    assert laura.profile().goals == ["build_network"]
    confirm = re.search(r'<form method="post" action="/sessions/laura/whatif" class="confirm">(.*?)</form>',
                        ask.text, re.S).group(1)
    sent = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', confirm)
    form: dict[str, list[str]] = {"action": ["confirm"]}
    for key, value in sent:
        form.setdefault(key, []).append(html.unescape(value))
    done = client.post("/sessions/laura/whatif", data=form)
    assert done.status_code == 200 and "are now the answers of laura" in done.text
    assert laura.profile().goals == ["build_network", "joint_lab"]
    assert "joint_lab" in cli(tmp_path, "session", "show", "laura")[1]


def test_whatif_with_a_bad_value_says_how_and_keeps_it(client, laura):
    response = client.post("/sessions/laura/whatif", data={"csrf": token(client), "phd_year": "nineteen",
                                                           "collaborations[0].labs": "0"})
    assert response.status_code == 422
    said = text_of(response)
    assert "Year of PhD (the researcher)" in said and "Fix: write a whole number" in said
    assert "Labs in the partnership (partnership 1)" in said and "Fix: correct it, or put back the current answer (6)" in said
    assert 'value="nineteen"' in response.text and laura.profile().phd_year == 1998


def test_whatif_without_a_change(client, laura):
    response = client.post("/sessions/laura/whatif", data={"csrf": token(client)})
    assert response.status_code == 200 and "No answer was changed" in response.text


# -- compare -------------------------------------------------------------------------------------------------------

def test_compare_two_instruments(client, laura):
    page = client.get("/sessions/laura/compare")
    assert page.status_code == 200 and 'type="checkbox"' in page.text and "International Research Project (IRP)" in page.text
    response = client.get("/sessions/laura/compare", params=[("ids", "cnrs.irn"), ("ids", "IRP")])
    assert response.status_code == 200
    assert '<div class="scroll"' in response.text  # a phone scrolls the table, not the page
    said = text_of(response)
    assert "International Research Network (IRN), International Research Project (IRP), side by side" in said
    assert "Status for you" in said and "What is missing" in said and "First step" in said


def test_compare_needs_two_known_instruments(client, laura):
    one = client.get("/sessions/laura/compare", params={"ids": "IRN"})
    assert one.status_code == 200 and "Tick two or more instruments" in one.text
    unknown = client.get("/sessions/laura/compare", params=[("ids", "IRN"), ("ids", "nothing-like-it")])
    assert unknown.status_code == 422 and "nothing-like-it" in unknown.text


# -- delete --------------------------------------------------------------------------------------------------------

def test_delete_once_the_name_is_typed_and_name_the_reports(client, laura, tmp_path):
    laura.record_export(tmp_path / "laura-report.html", "html", [])
    page = client.get("/sessions/laura/delete")
    assert page.status_code == 200 and str(tmp_path / "laura-report.html") in page.text
    wrong = client.post("/sessions/laura/delete", data={"csrf": csrf_of(page), "confirm": "lara"})
    assert wrong.status_code == 422 and (tmp_path / "s" / "laura").is_dir()
    done = client.post("/sessions/laura/delete", data={"csrf": csrf_of(page), "confirm": "laura"})
    assert done.status_code == 200 and "Session laura deleted" in done.text
    assert str(tmp_path / "laura-report.html") in done.text and "were not touched" in done.text
    assert not (tmp_path / "s" / "laura").exists()
    assert "No sessions" in cli(tmp_path, "session", "list")[1]


def test_a_session_without_its_session_file_can_be_deleted(client, laura, tmp_path):
    laura.file("session.yaml").unlink()
    assert client.get("/sessions/laura/delete").status_code == 200
    done = client.post("/sessions/laura/delete", data={"csrf": token(client), "confirm": "laura"})
    assert done.status_code == 200 and not (tmp_path / "s" / "laura").exists()


# -- the CLI and the web, one store --------------------------------------------------------------------------------

def test_a_session_goes_from_the_terminal_to_the_browser_and_back(client, tmp_path):
    assert cli(tmp_path, "session", "new", "round", "--profile", str(LAURA))[0] == 0
    assert cli(tmp_path, "session", "note", "round", "met in Lyon")[0] == 0
    page = client.get("/sessions/round")
    assert page.status_code == 200 and "met in Lyon" in page.text
    csrf = csrf_of(page)
    client.post("/sessions/round/notes", data={"csrf": csrf, "text": "follow up in March"})
    client.post("/sessions/round/whatif", data={"csrf": csrf, "willing_to_relocate": "true", "action": "confirm"})
    code, shown = cli(tmp_path, "session", "show", "round")
    assert code == 0 and "follow up in March" in shown and "willing_to_relocate: true" in shown
    assert "whatif willing_to_relocate=true" in cli(tmp_path, "session", "history", "round")[1]


# -- a phone -------------------------------------------------------------------------------------------------------

@pytest.mark.skipif(chromium() is None, reason="chromium is not installed (apt-get install chromium)")
def test_the_pages_fit_a_phone(client, laura, tmp_path):
    laura.add_note("a-long-word-" * 20)
    csrf = token(client)
    client.post("/sessions/laura/whatif", data={"csrf": csrf, "permanent_position": "false", "action": "save",
                                                "scenario": "no-post"})
    pages = {"list": client.get("/sessions"), "session": client.get("/sessions/laura"),
             "whatif": client.post("/sessions/laura/whatif", data={"csrf": csrf, "permanent_position": "false"}),
             "compare": client.get("/sessions/laura/compare", params=[("ids", "IRN"), ("ids", "IRP"), ("ids", "PICS")]),
             "revision": client.get("/sessions/laura/revisions/1"), "delete": client.get("/sessions/laura/delete")}
    style = client.get("/static/advisor.css").text
    for name, page in pages.items():
        path = tmp_path / f"{name}.html"
        path.write_text(page.text.replace('<link rel="stylesheet" href="/static/advisor.css">', f"<style>{style}</style>"))
        for layout in layouts(path, tmp_path, (PHONE, DESKTOP)):
            wide = [w for w in layout.too_wide if not w.startswith("a.skip:")]  # off-screen until focused
            assert not wide and layout.page_width <= layout.viewport.width, (name, layout.viewport.name, wide)


def test_evaluations_are_listed_in_words(client, laura):
    client.get("/sessions/laura/report.md")
    page = text_of(client.get("/sessions/laura"))
    assert "a Markdown report downloaded" in page
    assert "+" not in page.split("rules of version ")[1].split(":")[0]  # no content hash in what people read
