"""The JSON API for institutional systems: the advice for a profile, the catalogue of recommendations, the questions.

`POST /api/v1/evaluate` answers exactly what `advisor evaluate PROFILE --format json` prints (the result contract
with its catalogue; `full=true`: `--full`), and reads the profile as the command reads a JSON file (the bounded
JSON reader, then the profile contract), so it refuses the same profiles with the same problems (HTTP 422). The
OpenAPI document (`/api/v1/openapi.json`) describes each call with the JSON Schemas of these models.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import Response
from pydantic import BaseModel, Field
from pydantic.json_schema import models_json_schema
from starlette.concurrency import run_in_threadpool

from advisor.contract.catalogue import Catalogue, RulebaseRef
from advisor.contract.profile import Profile
from advisor.contract.result import ExplainedResult, Result
from advisor.errors import InputError, Problem
from advisor.io.documents import decode_text, parse_json
from advisor.io.profiles import profiles_from_document
from advisor.questionnaire.planner import describe_condition
from advisor.questionnaire.questions import ChoiceSpec, Limits, Question
from advisor.render.result_json import result_json
from advisor.web.advice import as_of_of
from advisor.web.core import Core
from advisor.web.guard import Refused, same_origin
from advisor.web.pages import render
from advisor.web.sessions import core_of

router = APIRouter(prefix="/api/v1", tags=["advice"])
pages = APIRouter()
JSON = "application/json"
BODY = "request body"  # how the profile sent is named in problems and in the result's `profile.source`
BEARER = "bearer"


class QuestionText(BaseModel):
    """One question of the questionnaire, as `advisor ask` asks it."""

    id: str
    field: str = Field(description="the profile field it fills; collaboration.X: a field of each partnership")
    type: str = Field(description="single, multiple, yes_no, number, year, date, country (a code), text, or group "
                                  "(whether to describe a partnership)")
    prompt: str
    help: str | None = None
    choices: list[ChoiceSpec] = Field(default_factory=list, description="the answers offered (choice questions)")
    limits: Limits | None = Field(None, description="the smallest and largest number accepted; a year's largest, "
                                                    "when absent, is the year of the advice")
    when: str | None = Field(None, description="asked only where this holds, in words")


class Questions(BaseModel):
    """The questionnaire of the rulebase the server uses, in the order of its file."""

    rulebase: RulebaseRef
    questions: list[QuestionText]


class Problems(BaseModel):
    """Why a profile was refused: each problem, where it is (`line`, `column`, `field`) and its fix."""

    problems: list[Problem]


class Refusal(BaseModel):
    problem: str
    fix: str


class Refusals(BaseModel):
    """A request turned away before it was read (access key, size, rate, kind of content)."""

    problems: list[Refusal]


_REFS, _DEFINITIONS = models_json_schema(
    [(Profile, "validation"), (Result, "serialization"), (ExplainedResult, "serialization"),
     (Catalogue, "serialization"), (Questions, "serialization"), (Problems, "serialization"),
     (Refusals, "serialization")], ref_template="#/components/schemas/{model}")


def _json(model: type[BaseModel], description: str, **more: Any) -> dict:
    return {"description": description, "content": {JSON: {"schema": _REFS[(model, "serialization")]}}, **more}


REFUSED = {
    401: _json(Refusals, "The server has an access key and the request did not carry it: send the header "
                         "`Authorization: Bearer KEY` (the key printed when `advisor serve` started)."),
    429: _json(Refusals, "Too many requests from this address: wait the seconds `Retry-After` gives.",
               headers={"Retry-After": {"description": "seconds to wait", "schema": {"type": "integer"}}}),
}
EVALUATE_REFUSED = {
    **REFUSED,
    403: _json(Refusals, "A browser sent it from a page of another site (its `Origin`)."),
    413: _json(Refusals, "The body is larger than the server accepts (`advisor serve --max-body`, 1 MiB by "
                         "default)."),
    415: _json(Refusals, "The body is not sent as `Content-Type: application/json`."),
    422: _json(Problems, "The profile cannot be used as it is (the same problems as `advisor evaluate` reports "
                         "for a JSON file): malformed JSON, nested too deep, a number too long, an unknown field, "
                         "a wrong value; or the date asked for is not a date advice can be for."),
}
EVALUATE_OPENAPI = {
    "requestBody": {"required": True, "description": "One profile, as in a profile file (docs/profile.md), in JSON.",
                    "content": {JSON: {"schema": _REFS[(Profile, "validation")]}}},
    "parameters": [
        {"name": "as_of", "in": "query", "required": False, "schema": {"type": "string", "format": "date"},
         "description": "the date the advice is for (YYYY-MM-DD), as `--as-of`: default the profile's `as_of`, "
                        "else today"},
        {"name": "full", "in": "query", "required": False, "schema": {"type": "boolean", "default": False},
         "description": "as `--full`: every text joined into each recommendation instead of the catalogue"},
    ],
}


@router.post("/evaluate", summary="The advice for one profile", openapi_extra=EVALUATE_OPENAPI, responses={
    200: {"description": "The result contract (docs/result.md) with the catalogue of the rules' texts, as `advisor "
                         "evaluate PROFILE --format json` prints it; with `full=true`, as `--full` prints it.",
          "content": {JSON: {"schema": {"anyOf": [_REFS[(Result, "serialization")],
                                                  _REFS[(ExplainedResult, "serialization")]]}}}},
    **EVALUATE_REFUSED})
async def evaluate(request: Request) -> Response:
    same_origin(request)
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != JSON:
        raise Refused(415, f"The profile must be sent as JSON, not as {kind[:60] or 'content of no named kind'}",
                      "send it with the header Content-Type: application/json (curl: -H 'Content-Type: "
                      "application/json' --data @profile.json)")
    as_of, full = as_of_of(request), _full(request)
    body = await request.body()
    return await run_in_threadpool(_evaluated, core_of(request), body, as_of, full)


def _full(request: Request) -> bool:
    text = request.query_params.get("full", "false").strip().lower()
    if text not in ("true", "false", "1", "0", ""):
        raise InputError(Problem("the address", f"full={text[:20]} is neither true nor false", field="full",
                                 fix="write full=true (every text joined in) or leave it out"))
    return text in ("true", "1")


def _evaluated(core: Core, body: bytes, as_of, full: bool) -> Response:
    """The advice for the profile sent, or an InputError naming what is wrong in it (run on a worker thread)."""
    text = decode_text(body, lambda: BODY)
    document = parse_json(text, BODY)
    if isinstance(document.data, list):
        raise InputError(Problem(BODY, "is a list: this call takes one profile, a JSON object", 1, 1,
                                 fix="send one profile per request (`advisor batch` takes many)"))
    loaded = profiles_from_document(document, text)[0]
    advice = core.advise(loaded.profile, loaded.source, as_of)
    return Response(result_json(advice.result, core.advisor.catalogue, advice.explained if full else None),
                    media_type=JSON)


@router.get("/recommendations", summary="The catalogue of recommendations", responses={
    200: _json(Catalogue, "Every recommendation's fixed texts (title, summary, conditions in words, next steps, "
                          "sources), as the results refer to them by id: the `catalogue` of `evaluate`'s answer."),
    **REFUSED})
def recommendations(request: Request) -> Response:
    catalogue = core_of(request).advisor.catalogue
    return Response(catalogue.model_dump_json(indent=2, exclude_defaults=True), media_type=JSON)


@router.get("/questions", summary="The questionnaire's questions", responses={
    200: _json(Questions, "The questions `advisor ask` and the web questionnaire ask, in the order of the "
                          "questions file; the planner asks only those that can change the advice."),
    **REFUSED})
def questions(request: Request) -> Response:
    core = core_of(request)
    listed = Questions(rulebase=core.advisor.catalogue.rulebase,
                       questions=[_question_text(q) for q in core.questions.questions])
    return Response(listed.model_dump_json(indent=2), media_type=JSON)


def _question_text(question: Question) -> QuestionText:
    spec = question.spec
    return QuestionText(id=spec.id, field=spec.field, type=spec.type, prompt=spec.prompt, help=spec.help,
                        choices=[ChoiceSpec(value=value, label=label) for value, label in question.choices()],
                        limits=spec.limits, when=describe_condition(question.when) if question.when else None)


@pages.get("/api")
def api_page(request: Request) -> Response:
    """What the API offers, for the people who connect a system to it."""
    return render(request, "api.html.j2", base=str(request.base_url).rstrip("/"),
                  keyed=core_of(request).settings.secret is not None)


def openapi(app: FastAPI) -> dict:
    """The application's OpenAPI document, with the JSON Schemas of the profile, results, catalogue and questions
    (made on the first request for it)."""
    if app.openapi_schema is None:
        document = get_openapi(title=app.title, version=app.version, openapi_version=app.openapi_version,
                               description=app.description, routes=app.routes)
        components = document.setdefault("components", {})
        components.setdefault("schemas", {}).update(_DEFINITIONS["$defs"])
        components["securitySchemes"] = {BEARER: {
            "type": "http", "scheme": "bearer",
            "description": "the access key printed when `advisor serve` started; needed by a server with a key "
                           "(always, off this computer)"}}
        document["security"] = [{BEARER: []}, {}]
        app.openapi_schema = document
    return app.openapi_schema
