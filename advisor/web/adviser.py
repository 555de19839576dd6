"""The adviser's pages: the sessions of the sessions folder (the CLI's, `advisor session`), searchable by name;
a new session, empty or from an uploaded profile file; a session's answers, notes, history, evaluations and
scenarios; restoring a revision; deleting a session. What-if and compare are in `web.whatif`."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData, UploadFile

from advisor.contract.profile import Profile
from advisor.contract.words import moment
from advisor.errors import InputError, Problem
from advisor.io.profiles import dump_profile
from advisor.sessions.store import (
    NAME,
    NAME_RULE,
    Session,
    SessionStore,
    changes_between,
    check_name,
)
from advisor.web.pages import render, warnings_of
from advisor.web.records import (
    answers_at,
    change_said,
    current_answers,
    evaluation_rows,
    history_rows,
    scenario_rows,
)
from advisor.web.sessions import core_of, form_of, open_session
from advisor.web.upload import uploaded_profile

router = APIRouter()


def _row(store: SessionStore, name: str) -> dict[str, Any]:
    """One line of the list: the session, the researcher, when it began and last changed, what it holds."""
    try:
        session = store.open(name)
        profile, history = session.profile(), session.history()
        return {"name": name, "researcher": profile.name or "", "created": moment(session.info().created),
                "changed": moment(history[-1]["at"]) if history else "",
                "answers": len(changes_between({}, dump_profile(profile))), "notes": len(session.notes()),
                "damaged": None}
    except InputError as error:
        return {"name": name, "researcher": "", "damaged": error.problems[0]}


def _list(request: Request, status: int = 200, new_name: str = "", problems: list[Problem] | None = None) -> Response:
    """The list (only the sessions whose name or researcher's name holds `?q=`), and the new session's form with
    the name typed and why it was refused."""
    core = core_of(request)
    warnings: list[Problem] = []
    store = core.store(warnings)
    typed = request.query_params.get("q", "").strip()[:100]
    names = store.names()
    wanted = typed.casefold()
    rows = [row for row in (_row(store, name) for name in names)
            if wanted in row["name"].casefold() or wanted in row["researcher"].casefold()]
    return render(request, "sessions.html.j2", status, rows=rows, q=typed, total=len(names), name_rule=NAME_RULE,
                  new_name=new_name, problems=problems or [], skipped=warnings_of(warnings))


@router.get("/sessions")
def sessions(request: Request) -> Response:
    return _list(request)


@router.post("/sessions")
def new(request: Request, form: FormData = Depends(form_of)) -> Response:
    """A new session, from the profile file uploaded when there is one (read as `session new --profile` reads
    a file); a name or a file that cannot be used shows the list again with the problems and the name typed."""
    core = core_of(request)
    name = str(form.get("name", "")).strip()[:100]
    upload = form.get("profile")
    try:
        check_name(name)
        profile: Profile | None = None
        by = "new"
        if isinstance(upload, UploadFile) and (upload.filename or upload.size):
            profile, shown = uploaded_profile(upload.file.read(), upload.filename or "")
            by = f"new from {shown} (uploaded)"
        session = core.store([]).create(name, profile, by=by)
    except InputError as error:
        return _list(request, 422, new_name=name, problems=error.problems)
    return RedirectResponse(f"/sessions/{session.name}", 303)


def _show(request: Request, name: str, status: int = 200, note: str = "", note_problems: list | None = None) -> Response:
    """The session page; `note` and `note_problems`: a note that could not be saved, and why."""
    core = core_of(request)
    warnings: list[Problem] = []
    session = open_session(core, name, warnings)
    words = core.advisor.catalogue.words
    problems: list[Problem] = []
    try:
        answers = current_answers(core, session)
        researcher = session.profile().name
    except InputError as error:  # a damaged profile.yaml: said with its line and fix; the rest is still shown
        answers, researcher, problems = [], None, error.problems
    try:
        created = moment(session.info().created)
    except InputError as error:  # a damaged session.yaml: said at the top, as a damaged record is
        created = None
        warnings += error.problems
    restored = request.query_params.get("restored", "")
    return render(request, "session.html.j2", status, session=session.name, researcher=researcher, created=created,
                  answers=answers, problems=problems, restored=restored if restored.isdigit() else "",
                  notes=[{"at": moment(n["at"]), "text": n["text"]} for n in session.notes()],
                  history=history_rows(session, words), evaluations=evaluation_rows(session, core),
                  scenarios=scenario_rows(session, words),
                  exports=[{"at": moment(e["at"]), "path": e["path"]} for e in session.exports()],
                  note=note, note_problems=note_problems or [], skipped=warnings_of(warnings))


@router.get("/sessions/{name}")
def show(request: Request, name: str) -> Response:
    return _show(request, name)


@router.post("/sessions/{name}/notes")
def add_note(request: Request, name: str, form: FormData = Depends(form_of)) -> Response:
    """A note added; one that cannot be saved comes back in the text box, with what to do."""
    session = open_session(core_of(request), name, [])
    text = str(form.get("text", ""))
    try:
        session.add_note(text)
    except InputError as error:
        return _show(request, name, 422, note=text, note_problems=error.problems)
    return RedirectResponse(f"/sessions/{session.name}#notes", 303)


@router.post("/sessions/{name}/evaluate")
def evaluate(request: Request, name: str) -> Response:
    """`session evaluate`: the advice for the answers, kept in the session's evaluations; then the advice page."""
    core = core_of(request)
    session = open_session(core, name, [])
    session.record_evaluation(core.advise(session.profile(), f"session {session.name}").result, by="evaluate")
    return RedirectResponse(f"/sessions/{session.name}/advice", 303)


def _revision(text: str) -> int:
    if not text.isdigit() or len(text) > 9:
        raise InputError(Problem("revision", f"“{text[:20]}” is not a revision number",
                                 fix="choose a revision from the session's history"))
    return int(text)


@router.get("/sessions/{name}/revisions/{number}")
def revision(request: Request, name: str, number: str) -> Response:
    """`session history --revision N`: the answers as they were, what restoring them would change, and the
    form that restores them (the confirmation `restore` asks for)."""
    core = core_of(request)
    warnings: list[Problem] = []
    session = open_session(core, name, warnings)
    wanted = _revision(number)
    profile, answers = answers_at(core, session, wanted)
    words = core.advisor.catalogue.words
    try:
        changes = [change_said(words, c) for c in changes_between(dump_profile(session.profile()),
                                                                   dump_profile(profile))]
    except InputError:  # the current answers cannot be read: restoring is refused too, with the reason
        changes = None
    return render(request, "revision.html.j2", session=session.name, revision=wanted, answers=answers,
                  changes=changes, last=session.revision(), skipped=warnings_of(warnings))


@router.post("/sessions/{name}/restore")
def restore(request: Request, name: str, form: FormData = Depends(form_of)) -> Response:
    """`session restore NAME N`, once confirmed on the revision's page (itself a new revision)."""
    session = open_session(core_of(request), name, [])
    wanted = _revision(str(form.get("revision", "")))
    if form.get("confirm") != "yes":
        return RedirectResponse(f"/sessions/{session.name}/revisions/{wanted}", 303)
    session.save_profile(session.profile_at(wanted), by=f"restore revision {wanted}")
    return RedirectResponse(f"/sessions/{session.name}?restored={wanted}#history", 303)


def _deletable(request: Request, name: str) -> tuple[SessionStore, list[str]]:
    """The store and the reports written from the session, which may be damaged (its session.yaml lost)."""
    core = core_of(request)
    store = core.store([])
    if not NAME.fullmatch(name) or ".." in name or not (store.root / name).is_dir():
        open_session(core, name, [])  # NotFound, with the closest name
    return store, [e["path"] for e in Session(store.root / name, name).exports()]


@router.get("/sessions/{name}/delete")
def confirm_delete(request: Request, name: str) -> Response:
    exported = _deletable(request, name)[1]
    return render(request, "delete.html.j2", session=name, exported=exported, deleted=False, error=None)


@router.post("/sessions/{name}/delete")
def delete(request: Request, name: str, form: FormData = Depends(form_of)) -> Response:
    """`session delete`: once the name is typed again; the reports written from it are named (and kept)."""
    store, exported = _deletable(request, name)
    if str(form.get("confirm", "")).strip() != name:
        return render(request, "delete.html.j2", 422, session=name, exported=exported, deleted=False,
                      error="Type the session's name exactly to confirm; nothing was deleted.")
    exported = store.delete(name)
    return render(request, "delete.html.j2", session=name, exported=exported, deleted=True, error=None)
