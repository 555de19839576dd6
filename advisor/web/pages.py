"""Web pages from jinja2 templates: the web's own (`advisor/web/templates`) and the report's body, autoescaped."""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import (
    ChoiceLoader,
    Environment,
    PackageLoader,
    StrictUndefined,
    select_autoescape,
)

from advisor.errors import InputError, Problem
from advisor.render.report import add_report_filters
from advisor.web.guard import CSRF_COOKIE, CSRF_FIELD, csrf_token, keep_cookie


@functools.lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=ChoiceLoader([PackageLoader("advisor.web", "templates"),
                                           PackageLoader("advisor.render", "templates")]),
                      undefined=StrictUndefined, autoescape=select_autoescape(("html", "html.j2", "j2")),
                      trim_blocks=True, lstrip_blocks=True)
    add_report_filters(env)
    env.globals["csrf_field"] = CSRF_FIELD
    return env


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A page, with the browser's form token (set in a cookie when it is new)."""
    token = csrf_token(request)
    html = environment().get_template(template).render(request=request, csrf=token, **context)
    response = HTMLResponse(html, status)
    if request.cookies.get(CSRF_COOKIE) != token:
        keep_cookie(response, CSRF_COOKIE, token, request.url.scheme == "https")
    return response


def problems_page(request: Request, error: InputError, status: int = 422, title: str = "This cannot be done") -> HTMLResponse:
    """The page for an InputError: each problem, where it is, and its fix."""
    return render(request, "problems.html.j2", status, title=title, problems=error.problems)


def warnings_of(found: list[Problem]) -> list[str]:
    """Damaged records skipped while reading a session, as the page lists them."""
    return [str(problem) for problem in found]


@functools.lru_cache(maxsize=None)
def static_file(name: str) -> bytes:
    """A file of `advisor/web/static` (or the report's stylesheet)."""
    if name == "report.css":
        return resources.files("advisor.render").joinpath("templates", "report.css").read_bytes()
    return resources.files("advisor.web").joinpath("static", name).read_bytes()
