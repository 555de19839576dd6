"""Instruments side by side for a session's researcher (`advisor compare --session NAME A B ...`): tick two or
more of the catalogue's recommendations, and see their status, duration, funding, calendar, who applies, what is
missing and the first step."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from advisor.advice.compare import ASPECTS, compare
from advisor.errors import InputError, Problem
from advisor.rulebase.naming import Names
from advisor.web.pages import render, warnings_of
from advisor.web.sessions import core_of, open_session

router = APIRouter()


@router.get("/sessions/{name}/compare")
def compare_page(request: Request, name: str) -> Response:
    """`?ids=A&ids=B`: the instruments to compare (ids, or any name `advisor compare` takes: IRN, a title)."""
    core = core_of(request)
    warnings: list[Problem] = []
    session = open_session(core, name, warnings)
    catalogue = core.advisor.catalogue
    names = Names(catalogue.rules)
    typed = request.query_params.getlist("ids")[:50]
    wanted, unknown = [], []
    for text in typed:
        found = [text] if text in catalogue.rules else names.candidates(text)
        (wanted if len(found) == 1 else unknown).append(found[0] if len(found) == 1 else text[:80])
    wanted = list(dict.fromkeys(wanted))
    if unknown:
        raise InputError([Problem(text, "names no recommendation, or several", field="ids",
                                  fix="tick the instruments in the list") for text in unknown])
    rows = []
    if len(wanted) >= 2:
        rows = compare(core.advise(session.profile(), f"session {session.name}").explained, wanted)
    return render(request, "compare.html.j2", session=session.name, asked=bool(typed), rows=rows, aspects=ASPECTS,
                  choices=[(rule_id, rule.title, rule_id in wanted) for rule_id, rule in catalogue.rules.items()],
                  skipped=warnings_of(warnings))
