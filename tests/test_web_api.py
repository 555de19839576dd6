"""The JSON API of `advisor serve`: the same advice as `advisor evaluate --format json`, the same problems for a bad
profile (HTTP 422), the catalogue, the questions, and an OpenAPI document that describes what is answered."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
from fastapi.testclient import TestClient

from advisor.io.documents import MAX_DEPTH, parse_yaml
from advisor.questionnaire.questions import load_questions
from advisor.rulebase.loader import load_rulebase
from advisor.toolkit.schemas import schema
from advisor.web.app import create_app
from advisor.web.settings import Settings

from .conftest import ROOT

PROFILES = sorted((ROOT / "profiles").glob("*.yaml"))
AS_OF = "2027-03-01"
JSON = {"content-type": "application/json"}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    app = create_app(Settings(sessions_dir=tmp_path_factory.mktemp("sessions"), rate=0))
    with TestClient(app, base_url="http://127.0.0.1") as client:
        yield client


@pytest.fixture(scope="module")
def openapi(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def body_of(path: Path) -> str:
    """A profile file as a program would send it: its fields in JSON, dates as YYYY-MM-DD."""
    return json.dumps(parse_yaml(path.read_text(), str(path)).data, default=dt.date.isoformat)


def evaluate(client, body: str | bytes, query: str = "", headers: dict | None = None):
    return client.post(f"/api/v1/evaluate{query}", content=body, headers=JSON if headers is None else headers)


def problems(response, status: int = 422) -> list[dict]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    return response.json()["problems"]


@pytest.mark.parametrize("full", [False, True], ids=["catalogue", "full"])
@pytest.mark.parametrize("path", PROFILES, ids=[p.stem for p in PROFILES])
def test_the_advice_is_what_advisor_evaluate_prints(client, run_cli, path, full):
    code, out, err = run_cli("evaluate", path, "--format", "json", "--as-of", AS_OF, *(["--full"] if full else []))
    assert code == 0, err
    expected = json.loads(out)

    response = evaluate(client, body_of(path), f"?as_of={AS_OF}" + ("&full=true" if full else ""))

    assert response.status_code == 200, response.text
    answered = response.json()
    assert answered["profile"]["source"] == "request body"  # where the profile came from: not a file here
    answered["profile"]["source"] = expected["profile"]["source"]
    assert answered == expected
    assert ("catalogue" in answered) is not full


def test_the_profile_s_own_date_is_used_when_none_is_asked_for(client):
    profile = json.loads(body_of(PROFILES[0])) | {"as_of": "2026-02-01"}
    assert evaluate(client, json.dumps(profile)).json()["as_of"] == "2026-02-01"
    assert evaluate(client, json.dumps(profile), "?as_of=2028-05-02").json()["as_of"] == "2028-05-02"


def test_malformed_json_is_answered_with_its_line(client):
    found = problems(evaluate(client, '{\n  "name": "Ada",\n  "phd_year": 2015,,\n  "career_stage": "postdoc"\n}'))
    assert found[0]["path"] == "request body" and found[0]["line"] == 3
    assert "JSON syntax error" in found[0]["message"] and "commas" in found[0]["fix"]


def test_an_unknown_field_gets_a_did_you_mean(client):
    found = problems(evaluate(client, '{\n  "name": "Ada",\n  "carrer_stage": "postdoc"\n}'))
    assert found == [{"path": "request body", "message": "unknown field 'carrer_stage'", "line": 3, "column": 3,
                      "fix": "did you mean 'career_stage'?"}]


def test_every_problem_of_a_profile_is_listed_with_its_field_and_fix(client):
    found = problems(evaluate(client, '{"phd_year": "soon", "career_stage": "professor_emeritus"}'))
    by_field = {p["field"]: p for p in found}
    assert sorted(by_field) == ["career_stage", "phd_year"]
    assert "whole number" in by_field["phd_year"]["fix"]
    assert "allowed:" in by_field["career_stage"]["fix"] and "postdoc" in by_field["career_stage"]["fix"]


@pytest.mark.parametrize("body, message", [
    ('[{"name": "Ada"}]', "is a list: this call takes one profile"),
    ('"postdoc"', "must be a mapping of field: value"),
    ("null", "is empty"),
    ("[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5), f"nested more than {MAX_DEPTH} levels deep"),
    ('{"phd_year": ' + "9" * 5000 + "}", "holds a number of 5,000 digits"),
    (b'{"name": "Ad\xe9"}', "is not UTF-8 text"),
], ids=["list", "text", "null", "too-deep", "huge-number", "not-utf8"])
def test_what_is_not_one_profile_is_refused(client, body, message):
    found = problems(evaluate(client, body))
    assert len(found) == 1 and message in found[0]["message"] and found[0]["fix"]


@pytest.mark.parametrize("query, field", [("?as_of=tomorrow", "as_of"), ("?as_of=1850-01-01", "as_of"),
                                          ("?full=maybe", "full")])
def test_a_bad_query_is_a_problem_too(client, query, field):
    found = problems(evaluate(client, body_of(PROFILES[0]), query))
    assert found[0]["field"] == field and found[0]["fix"]


@pytest.mark.parametrize("headers", [{"content-type": "text/plain"},
                                     {"content-type": "application/x-www-form-urlencoded"}, {}],
                         ids=["text", "form", "none"])
def test_a_body_that_is_not_sent_as_json_is_refused(client, headers):
    found = problems(evaluate(client, body_of(PROFILES[0]), headers=headers), 415)
    assert "Content-Type: application/json" in found[0]["fix"]


def test_json_with_a_charset_is_json(client):
    assert evaluate(client, body_of(PROFILES[0]), headers={"content-type": "application/json; charset=utf-8"}
                    ).status_code == 200


def test_the_recommendations_are_the_catalogue_of_the_results(client):
    response = client.get("/api/v1/recommendations")
    assert response.status_code == 200
    catalogue = response.json()
    jsonschema.validate(catalogue, schema("catalogue"))
    advice = evaluate(client, body_of(PROFILES[0])).json()
    assert catalogue == advice["catalogue"]
    assert {r["id"] for r in advice["results"]} <= set(catalogue["rules"])


def test_the_questions_are_those_of_the_questions_file(client):
    response = client.get("/api/v1/questions")
    assert response.status_code == 200
    listed = response.json()
    rulebase = load_rulebase()
    questions = load_questions(rulebase).questions
    assert listed["rulebase"] == {"name": rulebase.info.name, "version": rulebase.version}
    assert [q["id"] for q in listed["questions"]] == [q.id for q in questions]
    by_id = {q["id"]: q for q in listed["questions"]}
    stage = by_id["career_stage"]
    assert stage["type"] == "single" and {"value": "postdoc", "label": dict(questions[1].choices())["postdoc"]} \
        in stage["choices"]
    phd = by_id["phd_year"]
    assert phd["limits"] == {"min": 1940, "max": None} and phd["when"] == "you hold a doctorate"
    assert by_id["name"]["when"] is None


# -- the OpenAPI document -----------------------------------------------------------------------------------------

def refs_in(node) -> list[str]:
    if isinstance(node, dict):
        return [node["$ref"]] if "$ref" in node else [r for value in node.values() for r in refs_in(value)]
    if isinstance(node, list):
        return [r for value in node for r in refs_in(value)]
    return []


def documented(openapi: dict, path: str, method: str, status: str) -> dict:
    """The schema the document gives an answer, as one JSON Schema resolving its references in the document."""
    answer = openapi["paths"][path][method]["responses"][status]
    return {**answer["content"]["application/json"]["schema"], "components": openapi["components"]}


def test_the_openapi_document_is_well_formed(openapi):
    assert openapi["openapi"].startswith("3.") and openapi["info"]["title"] == "advisor"
    assert set(openapi["paths"]) == {"/api/v1/evaluate", "/api/v1/recommendations", "/api/v1/questions"}
    schemas = openapi["components"]["schemas"]
    for ref in refs_in(openapi):
        assert ref.startswith("#/components/schemas/") and ref.rsplit("/", 1)[1] in schemas, ref
    for name, definition in schemas.items():
        jsonschema.Draft202012Validator.check_schema(definition)
    for path, operations in openapi["paths"].items():
        for method, operation in operations.items():
            assert operation["summary"] and "200" in operation["responses"] and "401" in operation["responses"]
            for status, answer in operation["responses"].items():
                assert answer["description"], (path, method, status)
    evaluate_ = openapi["paths"]["/api/v1/evaluate"]["post"]
    assert {"401", "403", "413", "415", "422", "429"} <= set(evaluate_["responses"])
    assert "Retry-After" in evaluate_["responses"]["429"]["headers"]
    assert {p["name"] for p in evaluate_["parameters"]} == {"as_of", "full"}
    assert openapi["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


def test_the_request_body_is_described_by_the_profile_schema(openapi):
    body = openapi["paths"]["/api/v1/evaluate"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    described = openapi["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]]
    profile = json.loads(json.dumps(schema("profile")).replace("#/$defs/", "#/components/schemas/"))
    assert described == {k: v for k, v in profile.items() if k != "$defs"}
    assert all(openapi["components"]["schemas"][name] == part for name, part in profile["$defs"].items())
    for path in PROFILES:
        jsonschema.validate(json.loads(body_of(path)), {**body, "components": openapi["components"]})
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"carrer_stage": "postdoc"}, {**body, "components": openapi["components"]})


def test_every_answer_matches_its_documented_schema(client, openapi):
    body = body_of(PROFILES[2])
    answers = [
        ("/api/v1/evaluate", "post", evaluate(client, body)),
        ("/api/v1/evaluate", "post", evaluate(client, body, "?full=true")),
        ("/api/v1/evaluate", "post", evaluate(client, '{"nme": 1}')),
        ("/api/v1/evaluate", "post", evaluate(client, body, headers={"content-type": "text/yaml"})),
        ("/api/v1/evaluate", "post", evaluate(client, body, headers={**JSON, "origin": "https://elsewhere.example"})),
        ("/api/v1/recommendations", "get", client.get("/api/v1/recommendations")),
        ("/api/v1/questions", "get", client.get("/api/v1/questions")),
    ]
    for path, method, response in answers:
        jsonschema.validate(response.json(), documented(openapi, path, method, str(response.status_code)))
    assert [r.status_code for *_, r in answers] == [200, 200, 422, 415, 403, 200, 200]


def test_every_path_listed_is_answered(client, openapi):
    for path, operations in openapi["paths"].items():
        for method in operations:
            response = client.request(method, path, content=body_of(PROFILES[0]) if method == "post" else None,
                                      headers=JSON if method == "post" else None)
            assert response.status_code == 200, (method, path, response.text[:200])


def test_the_api_page_shows_how_to_call_it(client):
    page = client.get("/api")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert 'href="/api/v1/openapi.json"' in page.text and "curl" in page.text and "Authorization" not in page.text


def test_the_api_page_of_a_server_with_a_key_shows_the_header(tmp_path):
    app = create_app(Settings(sessions_dir=tmp_path, secret="k" * 24))
    with TestClient(app, base_url="http://127.0.0.1", headers={"authorization": "Bearer " + "k" * 24}) as client:
        page = client.get("/api")
    assert page.status_code == 200
    assert 'curl -s -H "Authorization: Bearer $ADVISOR_KEY"' in page.text and "k" * 24 not in page.text
