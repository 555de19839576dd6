"""The advice of a session, as a page and as downloads: the report (PDF, Markdown, HTML), the answers file, the
calendar of deadlines. Each is made from the session's answers when it is asked for."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import Response

from advisor.contract.profile import NotAnAdviceDate, advice_date
from advisor.errors import InputError, Problem
from advisor.questionnaire.in_session import session_answers
from advisor.questionnaire.store import render as answers_file
from advisor.render.deadlines import deadlines, ics
from advisor.render.pdf import PrintFailed, html_to_pdf
from advisor.render.report import (
    PERSONAL_FIELDS,
    ReportInput,
    render_report,
    report_context,
    used_glossary,
)
from advisor.sessions.store import Session
from advisor.web.core import Advice, Core
from advisor.web.pages import render, warnings_of
from advisor.web.sessions import core_of, open_session

router = APIRouter()
REPORT_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"  # the HTML report's own
KINDS = {"pdf": "application/pdf", "md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8"}


def as_of_of(request: Request) -> dt.date | None:
    """The date asked for in the address (`?as_of=2027-01-15`), else None; an InputError when it is no date."""
    text = request.query_params.get("as_of")
    if not text:
        return None
    try:
        return advice_date(text)
    except NotAnAdviceDate as error:
        raise InputError(Problem("the date of the advice", error.problem, field="as_of", fix=error.fix)) from None


def _report(core: Core, session: Session, advice: Advice, details: bool, request: Request | None = None) -> dict:
    """What the report shows; `request` may ask to leave out the personal fields (`without_personal=1`), the notes
    (`no_notes=1`) or the what-if scenarios (`no_scenarios=1`), as `advisor report`'s options do."""
    asked = request.query_params if request is not None else {}
    return report_context(ReportInput(
        result=advice.explained, profile=session.profile(), rulebase=core.advisor.rulebase,
        catalogue=core.advisor.catalogue, session=session.name,
        notes=[] if asked.get("no_notes") == "1" else session.notes(),
        scenarios=[] if asked.get("no_scenarios") == "1" else [s.data for s in session.scenarios()],
        withheld=frozenset(PERSONAL_FIELDS) if asked.get("without_personal") == "1" else frozenset(),
        details=details))


def _advice(core: Core, session: Session, request: Request) -> Advice:
    return core.advise(session.profile(), f"session {session.name}", as_of_of(request))


@router.get("/sessions/{name}/advice")
def advice_page(request: Request, name: str) -> Response:
    core = core_of(request)
    warnings: list = []
    session = open_session(core, name, warnings)
    advice = _advice(core, session, request)
    with core.lock:
        answers = session_answers(session, core.questions, core.advisor.rulebase.version)[0]
        still = [c for c in core.planner().candidates(answers) if c.needed_by]
    context = {**_report(core, session, advice, details=True), "still": len(still),
               "asked_date": request.query_params.get("as_of") or "", "skipped": warnings_of(warnings)}
    glossary = context["glossary"]
    page = render(request, "advice.html.j2", **{**context, "glossary": []})
    used = used_glossary(glossary, page.body.decode())
    return render(request, "advice.html.j2", **{**context, "glossary": used}) if used else page


def _download(content: str | bytes, media_type: str, filename: str, policy: str | None = None) -> Response:
    headers = {"content-disposition": f'attachment; filename="{filename}"'}
    if policy:
        headers["content-security-policy"] = policy
    return Response(content, media_type=media_type, headers=headers)


@router.get("/sessions/{name}/report")
def report_chosen(request: Request, name: str) -> Response:
    """The report in the format the form chose (`?format=pdf|md|html`), with its other options."""
    return report(request, name, request.query_params.get("format", "pdf"))


@router.get("/sessions/{name}/report.{kind}")
def report(request: Request, name: str, kind: str) -> Response:
    """The report to hand over: `pdf` (the short report; `?details=1` for every detail), `md` or `html`."""
    core = core_of(request)
    session = open_session(core, name, [])
    if kind not in KINDS:
        raise InputError(Problem(f"report.{kind[:20]}", "is not a report format", fix="ask for report.pdf, "
                                 "report.md or report.html"))
    advice = _advice(core, session, request)
    details = kind != "pdf" or request.query_params.get("details") == "1"
    text = render_report(_report(core, session, advice, details, request), "markdown" if kind == "md" else "html")
    session.record_evaluation(advice.result, by=f"web report ({kind})")
    if kind == "pdf":
        try:
            content: str | bytes = html_to_pdf(text)
        except PrintFailed as failure:
            raise InputError(Problem("the PDF report", failure.reason, fix=failure.fix + "; the HTML report "
                                     f"(/sessions/{session.name}/report.html) needs no browser")) from None
    else:
        content = text
    return _download(content, KINDS[kind], f"{session.name}-report.{kind}", REPORT_POLICY if kind == "html" else None)


@router.get("/sessions/{name}/answers.yaml")
def answers(request: Request, name: str) -> Response:
    """The answers file, as `advisor ask --save` writes it: `advisor ask --resume` goes on from it."""
    core = core_of(request)
    session = open_session(core, name, [])
    version = core.advisor.rulebase.version
    with core.lock:
        given = session_answers(session, core.questions, version)[0]
    filename = f"{session.name}-answers.yaml"
    return _download(answers_file(given, filename, version), "application/yaml; charset=utf-8", filename)


@router.get("/sessions/{name}/calendar.ics")
def calendar(request: Request, name: str) -> Response:
    """The next deadlines of the instruments that fit, as an iCalendar file."""
    core = core_of(request)
    session = open_session(core, name, [])
    explained = _advice(core, session, request).explained
    text = ics(deadlines(explained), explained, dt.datetime.now(dt.timezone.utc))
    return _download(text, "text/calendar; charset=utf-8", f"{session.name}-deadlines.ics")
