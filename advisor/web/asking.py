"""The researcher's pages: the home page, and the questionnaire one question per page.

The questionnaire is `advisor.questionnaire.flow.Questionnaire` over a session of the sessions folder:
every answer is saved there at once (a reload, a closed tab or `advisor session ask` in a terminal goes on
from it). Each form names the step it answers; a form for another step (sent twice, or from a page left
open) changes nothing and shows the question to answer now.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

import pycountry
from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from advisor.contract.countries import country_name
from advisor.io.private import in_use
from advisor.questionnaire.flow import FIRST_QUESTION, Prompt, Questionnaire
from advisor.questionnaire.in_session import session_answers, session_saver
from advisor.questionnaire.questions import Question
from advisor.questionnaire.state import UNKNOWN, step_of
from advisor.sessions.store import Session
from advisor.web.core import Core
from advisor.web.guard import keep_cookie
from advisor.web.pages import render, warnings_of
from advisor.web.sessions import MINE_COOKIE, core_of, form_of, open_session

router = APIRouter()
REVIEW = "review"
CHOICE_TYPES = ("single", "yes_no", "group")
COUNTRY_NAMES = sorted(country_name(c.alpha_2) for c in pycountry.countries)
REMEMBERED = 60 * 60 * 24 * 90  # seconds a browser remembers its questionnaire
NAME_LETTERS = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: a name that can be read out


def new_name(today: dt.date) -> str:
    """A session name for a researcher's own questionnaire: the day and six random letters (not guessable)."""
    return f"answers-{today:%Y%m%d}-" + "".join(secrets.choice(NAME_LETTERS) for _ in range(6))


@router.get("/")
def home(request: Request) -> Response:
    core = core_of(request)
    mine = request.cookies.get(MINE_COOKIE)
    warnings: list = []
    if mine and mine not in core.store(warnings).names():
        mine = None
    return render(request, "home.html.j2", mine=mine, rulebase=core.advisor.catalogue.rulebase.name)


@router.post("/start")
def start(request: Request) -> Response:
    """A new questionnaire, kept in a new session; the browser remembers it as its own."""
    core = core_of(request)
    session = core.store([]).create(new_name(dt.date.today()), by="web")
    response = RedirectResponse(f"/sessions/{session.name}/ask", 303)
    keep_cookie(response, MINE_COOKIE, session.name, request.url.scheme == "https", max_age=REMEMBERED)
    return response


def _moves(core: Core, session: Session) -> tuple[Questionnaire, list[str]]:
    answers, read, notices = session_answers(session, core.questions, core.advisor.rulebase.version)
    return Questionnaire(core.planner(), answers, session_saver(session, read, core.advisor.rulebase.version)), notices


@router.get("/sessions/{name}/ask")
def ask(request: Request, name: str) -> Response:
    core = core_of(request)
    warnings: list = []
    session = open_session(core, name, warnings)
    with core.lock:
        moves, notices = _moves(core, session)
        prompt = moves.current()
        items = moves.review_items() if prompt is None else []
    notice = request.query_params.get("notice")
    shown = {"first": FIRST_QUESTION}.get(notice or "")
    return _page(request, session, moves, prompt, items, notices + ([shown] if shown else []), warnings)


def _page(request: Request, session: Session, moves: Questionnaire, prompt: Prompt | None, items: list,
          notices: list[str], warnings: list, error: str | None = None, typed: str | None = None) -> Response:
    status = 422 if error else 200
    if prompt is None:
        return render(request, "review.html.j2", status, session=session.name, items=items,
                      can_go_back=bool(moves.answers.history), can_add_partner=bool(moves.answers.partners()),
                      notices=notices, skipped=warnings_of(warnings))
    return render(request, "question.html.j2", status, session=session.name, prompt=prompt,
                  field=_field(prompt, typed), error=error, notices=notices, skipped=warnings_of(warnings))


def _field(prompt: Prompt, typed: str | None) -> dict[str, Any]:
    """How the answer is asked: radio buttons, tick boxes or a typed value, with what is already given."""
    question, default = prompt.step.question, prompt.default
    if prompt.step.another:
        return {"kind": "radio", "label": question.spec.add_another, "help": None,
                "choices": [("true", "Yes, describe another partner", default is True),
                            ("false", "No, that is all", default is False)], "unknown": False}
    base = {"label": question.spec.prompt, "help": question.spec.help, "unknown": True}
    if question.type in CHOICE_TYPES:
        return {**base, "kind": "radio", "choices": [(_form_value(v), label, v == default)
                                                     for v, label in question.choices()]}
    if question.type == "multiple":
        ticked = default if isinstance(default, list) else []
        return {**base, "kind": "checkbox", "choices": [(_form_value(v), label, v in ticked)
                                                        for v, label in question.choices()]}
    low, high = question.limits(prompt.year)
    shown = typed if typed is not None else _typed_default(question, default)
    kinds = {"number": "number", "year": "number", "date": "date", "country": "text", "text": "text"}
    return {**base, "kind": "input", "input_type": kinds[question.type], "value": shown, "min": low, "max": high,
            "countries": COUNTRY_NAMES if question.type == "country" else []}


def _typed_default(question: Question, default: Any) -> str:
    if default in (None, UNKNOWN):
        return ""
    if question.type == "country":
        return country_name(default)
    return default.isoformat() if isinstance(default, dt.date) else str(default)


def _form_value(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def _reply(prompt: Prompt, form: FormData) -> Any:
    """The answer sent for the prompt's step; ValueError says what to do instead."""
    question = prompt.step.question
    if prompt.step.another or question.type in CHOICE_TYPES:
        choices = [(True, ""), (False, "")] if prompt.step.another else question.choices()
        by_text = {_form_value(v): v for v, _ in choices}
        sent = form.get("answer")
        if sent is None:
            raise ValueError("choose an answer" + ("" if prompt.step.another else ", or “I don't know”"))
        if sent not in by_text:
            raise ValueError("choose one of the answers listed")
        return by_text[sent]
    if question.type == "multiple":
        by_text = {_form_value(v): v for v, _ in question.choices()}
        sent = form.getlist("answer")
        if any(s not in by_text for s in sent):
            raise ValueError("tick only answers listed")
        return [by_text[s] for s in dict.fromkeys(sent)]
    text = str(form.get("answer", "")).strip()
    return UNKNOWN if not text else question.read(text, prompt.year)  # empty: "I don't know", as in the terminal


@router.post("/sessions/{name}/ask")
def move(request: Request, name: str, form: FormData = Depends(form_of)) -> Response:
    """One move: an answer, "I don't know", back, or at the review a change, another partner, or done."""
    core = core_of(request)
    warnings: list = []
    session = open_session(core, name, warnings)
    here = f"/sessions/{session.name}/ask"
    action = "change" if "change" in form else str(form.get("action", "answer"))
    with core.lock, in_use(session.folder, session.folder / ".ask.lock"):
        moves, notices = _moves(core, session)
        prompt = moves.current()
        if str(form.get("step", "")) != (REVIEW if prompt is None else prompt.step.key):
            return RedirectResponse(here, 303)  # a page left open, or sent twice: show what to answer now
        if action == "back":
            return RedirectResponse(here if moves.back() else here + "?notice=first", 303)
        if prompt is None:
            return _review_move(request, core, session, moves, action, form, here, notices, warnings)
        if action == "unknown" and not prompt.step.another:
            moves.answer(prompt.step, UNKNOWN)
            return RedirectResponse(here, 303)
        try:
            reply = _reply(prompt, form)
        except ValueError as error:
            return _page(request, session, moves, prompt, [], notices, warnings, str(error),
                         str(form.get("answer", ""))[:200])
        moves.answer(prompt.step, reply)
    return RedirectResponse(here, 303)


def _review_move(request: Request, core: Core, session: Session, moves: Questionnaire, action: str, form: FormData,
                 here: str, notices: list[str], warnings: list) -> Response:
    if action == "done":
        moves.finish()
        advice = core.advise(session.profile(), f"session {session.name}")
        session.record_evaluation(advice.result, by="web")
        return RedirectResponse(f"/sessions/{session.name}/advice", 303)
    if action == "add_partner" and moves.answers.partners():
        moves.add_partner()
        return RedirectResponse(here, 303)
    step = step_of(str(form.get("change", "")), core.questions)
    if action == "change" and step is not None and moves.answers.settled(step):
        moves.change(step)
    return RedirectResponse(here, 303)

