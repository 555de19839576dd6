"""What the pages share: the core of the application, the session a page names, the form sent."""

from __future__ import annotations

from fastapi import Request
from starlette.datastructures import FormData

from advisor.errors import InputError, Problem, did_you_mean
from advisor.sessions.store import NAME, Session
from advisor.web.core import Core

MINE_COOKIE = "advisor_mine"  # the session of this browser's own questionnaire


class NotFound(Exception):
    """A page for something that does not exist (a session name unknown, or not a name at all)."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


def core_of(request: Request) -> Core:
    return request.app.state.core


def open_session(core: Core, name: str, warnings: list[Problem]) -> Session:
    """The session `name`, reading its damaged records into `warnings`; NotFound when there is none.

    Only a name of the store's own pattern is looked up, so no path from a request reaches the file system."""
    if not NAME.fullmatch(name) or ".." in name:
        raise NotFound(Problem("the address", f"“{name[:80]}” is not a session name",
                               fix="open a session from the list of sessions"))
    store = core.store(warnings)
    try:
        return store.open(name)
    except InputError:
        guess = did_you_mean(name, store.names())
        raise NotFound(Problem(f"session {name}", "does not exist (or was deleted)",
                               fix=(f"did you mean {guess}? " if guess else "") + "the list of sessions shows them "
                               "all; the home page starts a new questionnaire")) from None


async def form_of(request: Request) -> FormData:
    """The form sent (read once; the CSRF check has read it already)."""
    return await request.form()
