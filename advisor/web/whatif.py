"""What-if for a session (`advisor session whatif`): every answer in a form, filled in with the current one; the
answers changed there are evaluated beside the current ones, and the verdicts that change are shown side by side
with why. The what-if can be kept as a named scenario, or its answers made the session's (once confirmed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from advisor.advice.compare import verdict_changes, why
from advisor.contract.fields import COLLAB, COUNTRY_FIELDS, input_fields
from advisor.contract.profile import Collaboration, Profile
from advisor.contract.words import Words, named
from advisor.errors import InputError, Problem
from advisor.render.report import change_words
from advisor.sessions.store import Session
from advisor.sessions.whatif import Assignment, apply, make_assignment, scenario_record
from advisor.web.asking import COUNTRY_NAMES
from advisor.web.core import Core
from advisor.web.pages import render, warnings_of
from advisor.web.sessions import core_of, form_of, open_session

router = APIRouter()
NOT_ASKED = {"schema_version", "questionnaire", "collaborations"}  # bookkeeping; partnerships go field by field


def _text(name: str, value: Any) -> str:
    """An answer as the form shows it (and sends it back): `true`, a country's name, a date as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return named(value) if name in COUNTRY_FIELDS else str(value)


def _fields(profile: Profile, words: Words) -> list[dict[str, Any]]:
    """Each answer that can change: its name in the form, its label, how it is asked, its current answer, and
    the group it is shown in (the researcher, a partnership, a new partnership)."""
    specs = input_fields()
    partnerships = profile.collaborations or []
    rows = [(name, name, getattr(profile, name), "The researcher") for name in Profile.model_fields
            if name not in NOT_ASKED]
    for i in range(len(partnerships) + 1):  # the last one adds a partnership
        group = f"Partnership {i + 1}" if i < len(partnerships) else "A new partnership"
        rows += [(f"collaborations[{i}].{name}", COLLAB + name,
                  getattr(partnerships[i], name) if i < len(partnerships) else None, group)
                 for name in Collaboration.model_fields]
    fields = []
    for target, name, value, group in rows:
        spec = specs[name]
        label = words.field(name)
        choices = [(str(v).lower() if isinstance(v, bool) else v, words.value(name, v))
                   for v in ((True, False) if spec.type == "bool" else spec.values)]
        fields.append({"target": target, "name": name, "label": label[:1].upper() + label[1:], "type": spec.type,
                       "choices": choices, "value": value if spec.type == "enum_list" else _text(name, value),
                       "now": "not answered" if value is None else words.value(name, value), "group": group})
    return fields


def _changes(fields: list[dict[str, Any]], form: FormData) -> list[Assignment]:
    """The answers the form changes: those sent that differ from the current ones."""
    changes = []
    for field in fields:
        target = field["target"]
        if field["type"] == "enum_list":
            if f"{target}.shown" not in form:
                continue
            ticked = [v for v in form.getlist(target) if v in dict(field["choices"])]
            if set(ticked) != set(field["value"] or []) and (ticked or field["value"] is not None):
                changes.append(make_assignment(target, ",".join(ticked)))
            continue
        sent = str(form.get(target, field["value"])).strip()[:200]
        if sent != field["value"]:
            changes.append(make_assignment(target, sent or None))
    return changes


def _sent(fields: list[dict[str, Any]], form: FormData) -> None:
    """The form's values as sent, kept in the fields (shown again with an error, or to confirm)."""
    for field in fields:
        if field["type"] == "enum_list":
            if f"{field['target']}.shown" in form:
                field["value"] = form.getlist(field["target"])
        elif field["target"] in form:
            field["value"] = str(form[field["target"]])[:200]


def _problems(error: InputError, fields: list[dict[str, Any]]) -> list[Problem]:
    """The problems of changed answers, each naming the answer in words (not `--set` and a field path), with
    what to do."""
    by_target = {field["target"]: field for field in fields}
    said = []
    for problem in error.problems:
        field = by_target.get((problem.field or "").split("=", 1)[0])
        where = f"{field['label']} ({field['group'].lower()})" if field else "A changed answer"
        fix = problem.fix or (f"correct it, or put back the current answer ({field['now']})" if field else None)
        said.append(Problem(where, problem.message, fix=fix))
    return said


def _page(request: Request, session: Session, fields: list[dict[str, Any]], status: int = 200,
          **context: Any) -> Response:
    context = {"changes": [], "verdicts": None, "total": 0, "problems": [], "confirm": False, "saved": None,
               "applied": False, "scenario": "", "changed": set(), "warnings": [], **context}
    groups: dict[str, list[dict[str, Any]]] = {}
    for field in fields:
        groups.setdefault(field["group"], []).append(field)
    return render(request, "whatif.html.j2", status, session=session.name, groups=groups, countries=COUNTRY_NAMES,
                  skipped=warnings_of(context.pop("warnings")), **context)


@router.get("/sessions/{name}/whatif")
def whatif_form(request: Request, name: str) -> Response:
    core = core_of(request)
    warnings: list[Problem] = []
    session = open_session(core, name, warnings)
    return _page(request, session, _fields(session.profile(), core.advisor.catalogue.words), warnings=warnings)


@router.post("/sessions/{name}/whatif")
def whatif(request: Request, name: str, form: FormData = Depends(form_of)) -> Response:
    """Show what changes; `save` keeps it as a scenario; `apply` asks to confirm, `confirm` makes it the answers."""
    core = core_of(request)
    warnings: list[Problem] = []
    session = open_session(core, name, warnings)
    words = core.advisor.catalogue.words
    current = session.profile()
    fields = _fields(current, words)
    action = str(form.get("action", "show"))
    scenario = str(form.get("scenario", "")).strip()[:100]
    try:
        changes = _changes(fields, form)
        changed = apply(current, changes)
    except InputError as error:
        _sent(fields, form)
        return _page(request, session, fields, 422, problems=_problems(error, fields), scenario=scenario,
                     warnings=warnings)
    _sent(fields, form)
    context: dict[str, Any] = {"changes": [change_words(str(c), words) for c in changes], "scenario": scenario,
                               "changed": {c.target for c in changes}, "warnings": warnings}
    if not changes:
        return _page(request, session, fields, **context)
    if action == "confirm":
        session.update_profile(lambda now: apply(now, changes), by="whatif " + "; ".join(map(str, changes)))
        return _page(request, session, _fields(session.profile(), words), applied=True, **context)
    before, after = _evaluations(core, session, current, changed)
    verdicts = verdict_changes(before, after)
    context.update(total=len(after.results), confirm=action == "apply",
                   verdicts=[{"title": v.title, "before": v.before.verdict, "after": v.after.verdict,
                              "why": why(v.after), "now": why(v.before)[:1]} for v in verdicts])
    if action == "save":
        try:
            session.save_scenario(scenario, scenario_record(changes, before, after, session.revision(), changed))
        except InputError as error:
            return _page(request, session, fields, 422, problems=_problems_named(error), **context)
        context["saved"] = scenario
    return _page(request, session, fields, **context)


def _problems_named(error: InputError) -> list[Problem]:
    """A scenario's name that cannot be used, said about the name."""
    return [Problem("The scenario's name", p.message, fix=p.fix) for p in error.problems]


def _evaluations(core: Core, session: Session, current: Profile, changed: Profile):
    source = f"session {session.name}"
    return (core.advise(current, source).explained, core.advise(changed, f"{source} (what if)").explained)
