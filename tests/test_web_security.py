"""The security of `advisor serve` (issue 17, item 5), tested from outside: the access key, the Host check, forged
forms, request size and rate, safe headers on every answer, paths from requests, hostile input, and what the logs
never hold. Routes are taken from the application itself, so a page added later is covered too."""

from __future__ import annotations

import asyncio
import http.client
import json
import logging
import os
import re
import stat
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlencode

import pytest
from fastapi import routing
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.io.profiles import load_profiles
from advisor.sessions.store import SessionStore
from advisor.web.app import create_app
from advisor.web.core import Core
from advisor.web.guard import ACCESS_COOKIE, HEADERS, PAGE_POLICY
from advisor.web.settings import Settings

from .conftest import ROOT

SECRET = "correct-horse-battery-staple-42"
PROFILE = ROOT / "profiles" / "laura-3-network-coordinator.yaml"
SESSION = "ada-2026"
HOSTILE = "<script>alert(1)</script>"
LOCAL = "http://127.0.0.1"


# -- small helpers --------------------------------------------------------------------------------------------------

def app_with(sessions_dir: Path, **settings):
    """The application over a sessions folder holding the session SESSION (the example profile's answers)."""
    SessionStore(sessions_dir).create(SESSION, load_profiles(PROFILE)[0].profile)
    return create_app(Settings(sessions_dir=sessions_dir, **{"rate": 0, **settings}))


def client_of(app, base_url: str = LOCAL, **headers) -> TestClient:
    return TestClient(app, base_url=base_url, follow_redirects=False, headers=headers)


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def step_of(page: str) -> str:
    return re.search(r'name="step" value="([^"]+)"', page).group(1)


def routes(app, method: str) -> list[str]:
    """Every address of the application answering `method`, its parameters filled in (a session, a report kind)."""
    filled = {"name": SESSION, "kind": "md"}
    found = []
    flat = getattr(routing, "iter_route_contexts", list)  # newer FastAPI keeps included routers whole in app.routes
    for route in flat(app.routes):
        if method in (getattr(route, "methods", None) or ()):
            found.append(re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: filled.get(m.group(1), "x"), route.path))
    assert found, method
    return sorted(set(found))


def on_disk(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def answer_all(client, ask: str, name: str) -> str:
    """Go through the questionnaire at `ask`: `name` as the name, "I don't know" to the rest; the review page's
    token."""
    for _ in range(60):
        page = client.get(ask)
        assert page.status_code == 200, page.text[:300]
        step, token = step_of(page.text), csrf_of(page.text)
        if step == "review":
            return token
        form = {"csrf": token, "step": step}
        if step == "name":
            form |= {"action": "answer", "answer": name}
        elif 'value="unknown"' in page.text:
            form |= {"action": "unknown"}
        else:  # "describe another partner?": no
            form |= {"action": "answer", "answer": "false"}
        assert client.post(ask, data=form).status_code == 303
    raise AssertionError("the questionnaire never reached its review")


def start(client) -> str:
    """A new questionnaire; the address of its questions."""
    home = client.get("/")
    answer = client.post("/start", data={"csrf": csrf_of(home.text)})
    assert answer.status_code == 303
    return answer.headers["location"]


def raw_request(app, raw_path: str, method: str = "GET") -> tuple[int, bytes]:
    """`raw_path` sent as it is (a client would remove its dot segments), decoded as uvicorn decodes it."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
             "path": unquote(raw_path), "raw_path": raw_path.encode(), "query_string": b"", "root_path": "",
             "headers": [(b"host", b"127.0.0.1")], "client": ("127.0.0.1", 5000), "server": ("127.0.0.1", 80)}
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)
    asyncio.run(app(scope, receive, send))
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])


class FilesTouched:
    """The paths the process opens or lists while `watching` (an audit hook: it sees every open, by any module)."""

    paths: list[str] = []
    watching = False
    installed = False

    @classmethod
    def hook(cls, event: str, args: tuple) -> None:
        if cls.watching and event in ("open", "os.listdir", "os.scandir", "os.mkdir", "os.remove", "os.rename") \
                and args and isinstance(args[0], (str, bytes, os.PathLike)):
            cls.paths.append(os.fsdecode(args[0]))

    @classmethod
    def start(cls) -> None:
        if not cls.installed:
            sys.addaudithook(cls.hook)  # for the rest of the process: it records only while watching
            cls.installed = True
        cls.paths, cls.watching = [], True


@pytest.fixture
def watched_files():
    """FilesTouched, stopped after the test whatever happens."""
    yield FilesTouched
    FilesTouched.watching = False


# -- the access key -------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def keyed(tmp_path_factory):
    return app_with(tmp_path_factory.mktemp("keyed"), secret=SECRET)


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_without_the_key_every_page_and_call_is_refused(keyed, method):
    client = client_of(keyed)
    for path in routes(keyed, method):
        answer = client.request(method, path)
        assert answer.status_code == 401, path
        api = path.startswith("/api/")
        assert answer.headers["content-type"].startswith("application/json" if api else "text/html"), path
        assert ("problems" in answer.json()) if api else ("access key" in answer.text), path


@pytest.mark.parametrize("how", ["address", "bearer", "cookie"])
def test_a_wrong_key_is_refused(keyed, how):
    headers = {"bearer": {"authorization": "Bearer wrong-" + SECRET},
               "cookie": {"cookie": f"{ACCESS_COOKIE}={'0' * 64}"}, "address": {}}[how]
    client = client_of(keyed, **headers)
    for path in ("/", "/api/v1/questions", f"/sessions/{SESSION}/ask"):
        answer = client.get(path, params={"key": SECRET[:-1] + "x"} if how == "address" else None)
        assert answer.status_code == 401, (how, path)
        assert ACCESS_COOKIE not in answer.headers.get("set-cookie", "")


def test_the_key_in_the_address_sets_the_cookie_and_leaves_the_address(keyed):
    client = client_of(keyed)
    answer = client.get(f"/sessions/{SESSION}/advice", params={"as_of": "2027-01-15", "key": SECRET})
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/sessions/{SESSION}/advice?as_of=2027-01-15"  # the key is not kept
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith(ACCESS_COOKIE + "=") and SECRET not in cookie
    assert "httponly" in cookie.lower() and "samesite=strict" in cookie.lower()
    for path in ("/", answer.headers["location"], f"/sessions/{SESSION}/ask", "/api", "/api/v1/questions"):
        assert client.get(path).status_code == 200, path


def test_programs_send_the_key_as_a_bearer_token(keyed):
    client = client_of(keyed, authorization=f"Bearer {SECRET}")
    assert client.get("/api/v1/recommendations").status_code == 200
    answer = client.post("/api/v1/evaluate", content=json.dumps({"name": "Ada", "career_stage": "postdoc"}),
                         headers={"content-type": "application/json"})
    assert answer.status_code == 200 and answer.json()["profile"]["name"] == "Ada"


def test_on_loopback_only_this_computer_s_names_are_answered(tmp_path):
    app = app_with(tmp_path)
    for host in ("127.0.0.1:8000", "localhost:8000", "[::1]:8000"):
        assert client_of(app, f"http://{host}").get("/").status_code == 200, host
    for base in ("http://rebinding.example:8000", "http://127.0.0.1.evil.example", "http://10.0.0.7:8000"):
        for path in ("/", "/api/v1/questions"):
            answer = client_of(app, base).get(path)
            assert answer.status_code == 421 and "127.0.0.1" in answer.text, (base, path)


# -- forged forms ---------------------------------------------------------------------------------------------------

@pytest.fixture
def local(tmp_path):
    return app_with(tmp_path / "sessions"), tmp_path / "sessions"


def test_a_forged_form_changes_nothing_on_any_post_route(local):
    app, folder = local
    client = client_of(app)
    token = csrf_of(client.get("/").text)
    before = on_disk(folder)
    form = {"step": "name", "action": "answer", "answer": "forged", "change": "name"}
    for path in routes(app, "POST"):
        if path.startswith("/api/"):  # not a form: a browser cannot send JSON to another site without asking it
            assert client.post(path, data={**form, "csrf": token}).status_code == 415, path
            assert client.post(path, content="{}", headers={"content-type": "application/json",
                                                            "origin": "https://evil.example"}).status_code == 403
            continue
        assert client.post(path, data=form).status_code == 403, path
        assert client.post(path, data={**form, "csrf": "forged-" + token}).status_code == 403, path
        assert client.post(path, data={**form, "csrf": token},
                           headers={"origin": "https://evil.example"}).status_code == 403, path
        other = client_of(app)  # another browser: its own token is not this one's
        other.get("/")
        assert other.post(path, data={**form, "csrf": token}).status_code == 403, path
    assert on_disk(folder) == before


def test_a_form_with_its_token_works(local):
    app, folder = local
    client = client_of(app)
    ask = start(client)
    page = client.get(ask)
    answer = client.post(ask, data={"csrf": csrf_of(page.text), "step": step_of(page.text), "action": "answer",
                                    "answer": "Ada"},
                         headers={"origin": LOCAL})
    assert answer.status_code == 303
    assert "Ada" in (folder / ask.split("/")[2] / "profile.yaml").read_text()


# -- size and rate --------------------------------------------------------------------------------------------------

def test_an_oversized_request_is_refused(tmp_path):
    app = app_with(tmp_path, max_body=4096)
    client = client_of(app)
    token = csrf_of(client.get("/").text)
    before = on_disk(tmp_path)
    big = json.dumps({"name": "x" * 5000})
    answer = client.post("/api/v1/evaluate", content=big, headers={"content-type": "application/json"})
    assert answer.status_code == 413 and "4 KiB" in answer.json()["problems"][0]["problem"]
    answer = client.post("/start", data={"csrf": token, "padding": "x" * 5000})
    assert answer.status_code == 413 and answer.headers["content-type"].startswith("text/html")

    def chunks():
        yield b'{"name": "'
        for _ in range(10):
            yield b"x" * 1000
        yield b'"}'
    answer = client.post("/api/v1/evaluate", content=chunks(), headers={"content-type": "application/json"})
    assert "content-length" not in answer.request.headers and answer.request.headers["transfer-encoding"] == "chunked"
    assert answer.status_code == 413
    answer = client.post(f"/sessions/{SESSION}/ask", content=(b"csrf=" + token.encode() + b"&answer=" + b"x" * 900
                                                              for _ in range(6)),
                         headers={"content-type": "application/x-www-form-urlencoded"})
    assert answer.status_code == 413
    assert on_disk(tmp_path) == before


def test_too_many_requests_are_told_when_to_come_back(tmp_path):
    app = app_with(tmp_path, rate=60, burst=3)
    client = client_of(app)
    assert [client.get("/").status_code for _ in range(3)] == [200] * 3
    for path in ("/", "/api/v1/questions"):
        answer = client.get(path)
        assert answer.status_code == 429 and int(answer.headers["retry-after"]) >= 1, path
    assert "problems" in client.get("/api/v1/questions").json()


# -- headers, paths, hostile input ----------------------------------------------------------------------------------

def test_every_answer_has_the_safe_headers_and_no_page_a_script(tmp_path, monkeypatch):
    app = app_with(tmp_path, max_body=4096)
    client = client_of(app)
    ask = start(client)
    page = client.get(ask)
    answers = [client.get("/"), client.get("/api"), page, client.get(f"/sessions/{SESSION}/advice"),
               client.get(f"/sessions/{SESSION}/report.md"), client.get(f"/sessions/{SESSION}/report.html"),
               client.get("/static/advisor.css"), client.get("/static/report.css"), client.get("/static/nothing"),
               client.get("/sessions/nobody/ask"), client.get("/api/v1/questions"), client.get("/api/v1/openapi.json"),
               client.post("/api/v1/evaluate", content="{", headers={"content-type": "application/json"}),
               client.post("/api/v1/evaluate", content="x" * 5000, headers={"content-type": "application/json"}),
               client.post(ask, data={"step": step_of(page.text)}),
               client_of(app, "http://rebinding.example").get("/"),
               client_of(app_with(tmp_path / "keyed", secret=SECRET)).get("/")]
    monkeypatch.setattr(Core, "planner", lambda self: 1 / 0)
    answers.append(client.get(ask))
    assert sorted({a.status_code for a in answers}) == [200, 401, 403, 404, 413, 421, 422, 500]
    for answer in answers:
        where = (answer.request.url, answer.status_code)
        assert all(answer.headers.get(name) == value for name, value in HEADERS.items()), where
        policy = answer.headers["content-security-policy"]
        assert "default-src 'none'" in policy and "script-src" not in policy, where
        if answer.headers["content-type"].startswith("text/html") and "attachment" not in answer.headers.get(
                "content-disposition", ""):
            assert policy == PAGE_POLICY, where
            assert "<script" not in answer.text.lower(), where
        assert "no-store" in answer.headers["cache-control"] or answer.request.url.path.startswith("/static/"), where


@pytest.mark.parametrize("raw", [
    "/static/../../etc/passwd", "/static/..%2F..%2Fetc%2Fpasswd", "/static/%2e%2e%2fsecret", "/static/%2e%2e",
    "/static/..", "/static/advisor.css%00.png", "/static/advisor.css%2F..%2F..%2Fsecret", "/static/ADVISOR.CSS",
    "/static/%EF%BC%8E%EF%BC%8E%EF%BC%8Fsecret", "/sessions/..%2F..%2Fetc/ask", "/sessions/../../etc/ask",
    "/sessions/..%2Fsecret/advice", "/sessions/%2e%2e/ask", "/sessions/ada-2026%00/ask",
    "/sessions/ada-2026%0A/ask", "/sessions/%E2%80%AEada-2026/ask", "/sessions/%EF%BD%81da-2026/ask",
    "/sessions/ada-2026%2F..%2F..%2Fsecret/report.md", "/sessions/%2Ftmp%2Fsecret/answers.yaml",
    "/sessions/ada-2026/report.%2E%2E%2Fsecret",
])
def test_no_path_from_a_request_reaches_the_file_system(tmp_path, raw, watched_files):
    secret = tmp_path / "secret"
    secret.write_text("the content of a file outside")
    app = app_with(tmp_path / "sessions")
    watched_files.start()
    status, body = raw_request(app, raw)
    watched_files.watching = False
    assert status == 404, (raw, status, body[:200])
    assert b"the content of a file outside" not in body and b"root:" not in body
    hostile = (str(secret), "passwd", "etc/ask", "\x00", "\n", "\u202e", "\uff41", "\uff0e", "ADVISOR.CSS")
    assert not [p for p in FilesTouched.paths if any(h in p for h in hostile)], FilesTouched.paths


def test_a_hostile_name_is_shown_escaped(tmp_path):
    client = client_of(app_with(tmp_path))
    ask = start(client)
    token = answer_all(client, ask, HOSTILE)
    pages = {"review": client.get(ask)}
    assert client.post(ask, data={"csrf": token, "step": "review", "action": "change", "change": "name"}
                       ).status_code == 303
    pages["question"] = client.get(ask)
    assert step_of(pages["question"].text) == "name"
    answer_all(client, ask, HOSTILE)
    assert client.post(ask, data={"csrf": token, "step": "review", "action": "done"}).status_code == 303
    pages["advice"] = client.get(ask.replace("/ask", "/advice"))
    for where, page in pages.items():
        assert page.status_code == 200, where
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text, where
        assert "<script" not in page.text.lower(), where


# -- what the logs hold ---------------------------------------------------------------------------------------------

NAME = "Zelda Quixote-Vermeer"
QUERY = "utm_campaign=private-query-text"


def server_side(caplog) -> list[str]:
    """What the server logged (the test client's own log of the addresses it asked is not the server's)."""
    return [r.getMessage() for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]


def test_no_answer_session_name_or_address_in_the_logs(tmp_path, caplog, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    caplog.set_level(logging.DEBUG)
    client = client_of(app_with(tmp_path / "sessions"))
    ask = start(client)
    session = ask.split("/")[2]
    token = answer_all(client, ask, NAME)
    client.post(ask, data={"csrf": token, "step": "review", "action": "done"})
    assert client.get(f"/sessions/{session}/advice?as_of=2027-01-15&{QUERY}").status_code == 200

    def crash(*args, **kwargs):
        raise RuntimeError(f"a bug while advising {NAME}")
    monkeypatch.setattr(Core, "advise", crash)
    page = client.get(f"/sessions/{session}/advice?{QUERY}")
    api = client.post(f"/api/v1/evaluate?{QUERY}", content=json.dumps({"name": NAME}),
                      headers={"content-type": "application/json"})

    assert page.status_code == 500 and api.status_code == 500
    for shown in (page.text, api.text):
        assert "Traceback" not in shown and "RuntimeError" not in shown and NAME not in shown
        assert "crash log" in shown
    logged = server_side(caplog)
    assert len([m for m in logged if "failed" in m]) == 2  # the crashes are said, not what they were about
    for message in logged:
        assert NAME not in message and session not in message and "private-query-text" not in message, message
    logs = sorted((tmp_path / "state" / "advisor").glob("crash-*.log"))
    assert len(logs) == 2
    for log in logs:
        assert stat.S_IMODE(log.stat().st_mode) == 0o600
        assert "RuntimeError" in log.read_text() and "Traceback" in log.read_text()


def test_the_real_server_logs_no_request(tmp_path):
    """`advisor serve` itself (uvicorn, its access log off): requests with a name, a session and a query, a raw
    path, an oversized chunked body; its output names none of them."""
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
           "XDG_STATE_HOME": str(tmp_path / "state")}
    errors = (tmp_path / "stderr.txt").open("w")
    server = subprocess.Popen([sys.executable, "-m", "advisor", "serve", "--port", "0", "--sessions-dir",
                               str(tmp_path / "sessions"), "--max-body", "4"], env=env, stdout=subprocess.PIPE,
                              stderr=errors, text=True)
    try:
        first = server.stdout.readline()
        port = int(re.search(r"http://127\.0\.0\.1:(\d+)/", first).group(1))
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

        def ask(method: str, path: str, body=None, headers=None):
            connection.request(method, path, body=body, headers=headers or {})
            answer = connection.getresponse()
            return answer.status, answer.getheaders(), answer.read().decode()
        status, headers, home = ask("GET", f"/?{QUERY}")
        token = csrf_of(home)
        cookie = next(v for k, v in headers if k.lower() == "set-cookie").split(";")[0]
        status, headers, _ = ask("POST", "/start", f"csrf={token}",
                                 {"content-type": "application/x-www-form-urlencoded", "cookie": cookie})
        where = dict((k.lower(), v) for k, v in headers)["location"]
        session = where.split("/")[2]
        cookie += "; " + next(v for k, v in headers if k.lower() == "set-cookie").split(";")[0]
        _, _, page = ask("GET", where, headers={"cookie": cookie})
        form = urlencode({"csrf": token, "step": step_of(page), "action": "answer", "answer": NAME})
        status, _, _ = ask("POST", where, form, {"content-type": "application/x-www-form-urlencoded", "cookie": cookie})
        assert status == 303
        assert ask("GET", "/static/../../etc/passwd")[0] == 404
        assert ask("GET", f"/sessions/{session}/advice?{QUERY}", headers={"cookie": cookie})[0] == 200
        connection.putrequest("POST", "/api/v1/evaluate")
        connection.putheader("content-type", "application/json")
        connection.putheader("transfer-encoding", "chunked")
        connection.endheaders()
        for _ in range(8):
            connection.send(b"400\r\n" + b" " * 1024 + b"\r\n")
        connection.send(b"0\r\n\r\n")
        assert connection.getresponse().status == 413
    finally:
        server.terminate()
        rest, _ = server.communicate(timeout=30)
        errors.close()
    output = first + rest + (tmp_path / "stderr.txt").read_text()
    assert "advisor is serving" in output and "Traceback" not in output
    for private in (NAME, "Zelda", session, "private-query-text", "passwd"):
        assert private not in output, output


# -- any form, never a crash ----------------------------------------------------------------------------------------

FUZZED = "fuzzed"


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz")
    app = app_with(folder)
    SessionStore(folder).create(FUZZED)  # nothing answered yet: the moves reach questions, back, the review
    client = client_of(app)
    return client, csrf_of(client.get("/").text), folder


TEXT = st.one_of(st.text(max_size=40), st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
                 st.sampled_from(["\x00", "\x1b[31m", "\u202e", "\ud7ff", "9" * 5000, "x" * 200_000, "",
                                  "<script>", "2015", "postdoc", "true", "false", "DE", "Allemagne", "2024-06-01"]))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(step=st.one_of(st.just("current"), st.just("current"), st.none(), st.just("review"), TEXT),
       action=st.one_of(st.none(), st.sampled_from(["answer", "unknown", "back", "done", "add_partner", "change"]),
                        TEXT),
       answers=st.lists(TEXT, max_size=3), change=st.one_of(st.none(), TEXT),
       extra=st.dictionaries(TEXT, TEXT, max_size=3),
       token=st.sampled_from(["right", "right", "right", "missing", "wrong"]))
def test_any_form_is_answered_never_with_a_crash(fuzzed, step, action, answers, change, extra, token):
    client, csrf, folder = fuzzed
    ask = f"/sessions/{FUZZED}/ask"
    if step == "current":
        page = client.get(ask)
        step = step_of(page.text) if page.status_code == 200 else "review"
    form: list[tuple[str, str]] = list(extra.items())
    form += [("step", step)] * (step is not None) + [("action", action)] * (action is not None)
    form += [("answer", a) for a in answers] + [("change", change)] * (change is not None)
    if token != "missing":
        form.append(("csrf", csrf if token == "right" else csrf[::-1]))
    answer = client.post(ask, content=urlencode(form), headers={"content-type": "application/x-www-form-urlencoded"})
    assert answer.status_code in (303, 403, 413, 422, 404), (answer.status_code, answer.text[:500])
    load_profiles(folder / FUZZED / "profile.yaml")  # still a readable profile
    assert client.get(ask).status_code == 200
