"""The web application: its pages, its API, its static files and how it answers errors."""

from __future__ import annotations

import logging
import traceback

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse, Response

from advisor import __version__
from advisor.errors import InputError
from advisor.io.crashlog import crash_log
from advisor.web import advice, adviser, api, asking, compare, whatif
from advisor.web.core import Core
from advisor.web.guard import Guard, Refused, csrf_checked, refusal
from advisor.web.pages import problems_page, render, static_file
from advisor.web.sessions import NotFound
from advisor.web.settings import Settings

STATIC = {"advisor.css": "text/css; charset=utf-8", "report.css": "text/css; charset=utf-8"}
log = logging.getLogger("advisor.web")


def create_app(settings: Settings) -> FastAPI:
    """The application for `settings` (the rulebase is loaded now: a RulebaseError stops here, before serving)."""
    app = FastAPI(title="advisor", version=__version__, docs_url=None, redoc_url=None,
                  openapi_url="/api/v1/openapi.json",
                  description="Which international cooperation instruments fit a researcher, why, and what to do "
                              "next: the advice of `advisor evaluate`, the catalogue of recommendations and the "
                              "questionnaire's questions.")
    app.state.core = Core(settings)
    for module in (asking, advice, adviser, whatif, compare):
        app.include_router(module.router, dependencies=[Depends(csrf_checked)], include_in_schema=False)
    app.include_router(api.router)
    app.include_router(api.pages, include_in_schema=False)
    app.openapi = lambda: api.openapi(app)
    app.add_api_route("/static/{name}", _static, methods=["GET"], include_in_schema=False)
    app.add_exception_handler(Refused, _refused)
    app.add_exception_handler(NotFound, _not_found)
    app.add_exception_handler(InputError, _input_error)
    app.add_middleware(Guard, settings=settings, crashed=_crashed)
    return app


def _api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _static(name: str) -> Response:
    if name not in STATIC:  # only the files named here: no path from a request reaches the file system
        return Response("not found", 404, media_type="text/plain")
    return Response(static_file(name), media_type=STATIC[name], headers={"cache-control": "max-age=3600"})


async def _refused(request: Request, refused: Refused) -> Response:
    return refusal(refused, _api(request))


async def _not_found(request: Request, missing: NotFound) -> Response:
    if _api(request):
        return JSONResponse({"problems": [missing.problem.to_dict()]}, 404)
    return render(request, "problems.html.j2", 404, title="Not found", problems=[missing.problem])


async def _input_error(request: Request, error: InputError) -> Response:
    if _api(request):
        return JSONResponse({"problems": [p.to_dict() for p in error.problems]}, 422)
    return problems_page(request, error)


def _crashed(scope: dict, error: Exception) -> str:
    """A bug: its traceback goes to an owner-only crash log, the server's log says only which page failed."""
    route = getattr(scope.get("route"), "path", "an unknown page")
    details = "".join(traceback.format_exception(error))
    try:
        where = f"the details are in the crash log {crash_log(details, scope['method'] + ' ' + route).name}"
    except OSError:
        where = "no crash log could be written"
    log.error("%s %s failed (%s); %s", scope["method"], route, type(error).__name__, where)
    return where
