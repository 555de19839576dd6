"""The application's security, around every request: who may ask, how much, and what a browser may do.

- Host: bound to this machine, only the names of this machine are answered (a web page elsewhere cannot
  rebind its own name to this server).
- Access secret: off this machine (or when one is set), every page and call needs it: once in the address
  (`?key=`), kept then in a cookie; or, for programs, `Authorization: Bearer SECRET`.
- Size and rate: a request body is at most `Settings.max_body` bytes; each address has `Settings.burst`
  requests at once, then `Settings.rate` a minute.
- Headers: a strict Content-Security-Policy (no script, nothing from elsewhere), no framing, no referrer
  sent to other sites, nothing cached. (The referrer policy is `same-origin`, not `no-referrer`: under
  `no-referrer` a browser sends `Origin: null` with every form, and the origin check below refuses it.)
- Forms: `csrf_checked` compares each form's hidden token with the browser's cookie, and its origin.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import time
from collections import OrderedDict
from html import escape
from http.cookies import CookieError, SimpleCookie
from typing import Any, Callable
from urllib.parse import parse_qsl, urlencode

from fastapi import Request
from starlette.datastructures import Headers
from starlette.responses import JSONResponse, RedirectResponse, Response

from advisor.web.settings import LOOPBACK_NAMES, Settings

ACCESS_COOKIE = "advisor_access"
CSRF_COOKIE = "advisor_csrf"
CSRF_FIELD = "csrf"
KEY_PARAMETER = "key"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
PAGE_POLICY = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; "
               "frame-ancestors 'none'")
HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}
ADDRESSES_KEPT = 10_000  # rate buckets remembered (the least recently seen are forgotten)


class Refused(Exception):
    """A request the guard turns away: its status, what was wrong and what to do."""

    def __init__(self, status: int, problem: str, fix: str, headers: dict[str, str] | None = None):
        super().__init__(problem)
        self.status, self.problem, self.fix, self.headers = status, problem, fix, headers or {}


class _TooLarge(Exception):
    pass


def refusal(refused: Refused, api: bool) -> Response:
    """The answer to a refused request: JSON for programs, a short page for people."""
    if api:
        return JSONResponse({"problems": [{"problem": refused.problem, "fix": refused.fix}]}, refused.status,
                            headers=refused.headers)
    body = (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{escape(refused.problem)}</title>"
            f"<link rel=\"stylesheet\" href=\"/static/advisor.css\"></head><body><main><h1>{escape(refused.problem)}"
            f"</h1><p>{escape(refused.fix)}</p><p><a href=\"/\">Home</a></p></main></body></html>")
    return Response(body, refused.status, headers=refused.headers, media_type="text/html")


def keep_cookie(response: Response, name: str, value: str, https: bool, max_age: int | None = None) -> None:
    """Set a cookie that scripts cannot read (there are none), sent to this server's own pages only, and over
    HTTPS only when the page came over HTTPS."""
    response.set_cookie(name, value, max_age=max_age, path="/", secure=https, httponly=True, samesite="strict")


def access_token(secret: str) -> str:
    """What the access cookie holds: derived from the secret, never the secret itself."""
    return hmac.new(secret.encode(), b"advisor access", hashlib.sha256).hexdigest()


def _same(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


class Buckets:
    """A token bucket per client address: `burst` at once, refilled at `rate` a minute."""

    def __init__(self, rate: int, burst: int):
        self.rate, self.burst = rate / 60.0, max(burst, 1)
        self.buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def take(self, address: str) -> float:
        """0 when the request may go on, else the seconds to wait."""
        now = time.monotonic()
        tokens, since = self.buckets.pop(address, (float(self.burst), now))
        tokens = min(self.burst, tokens + (now - since) * self.rate)
        if tokens >= 1:
            self.buckets[address] = (tokens - 1, now)
            wait = 0.0
        else:
            self.buckets[address] = (tokens, now)
            wait = (1 - tokens) / self.rate
        while len(self.buckets) > ADDRESSES_KEPT:
            self.buckets.popitem(last=False)
        return wait


class Guard:
    """ASGI middleware: host, secret, size and rate checks before the application; safe headers after."""

    def __init__(self, app, settings: Settings, crashed: Callable[[dict, Exception], str]):
        self.app = app
        self.settings = settings
        self.crashed = crashed  # keeps a bug's details out of the server's log; says where they are
        self.token = access_token(settings.secret) if settings.secret else None
        self.buckets = Buckets(settings.rate, settings.burst) if settings.rate else None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        api = scope["path"].startswith("/api/")
        started = False

        async def send_safely(message: dict[str, Any]) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = Headers(raw=message["headers"])
                extra = [(k.encode(), v.encode()) for k, v in HEADERS.items() if k not in headers]
                if "content-security-policy" not in headers:
                    extra.append((b"content-security-policy", PAGE_POLICY.encode()))
                if "cache-control" not in headers:
                    extra.append((b"cache-control", b"no-store"))
                message = {**message, "headers": [*message["headers"], *extra]}
            await send(message)

        try:
            early = self._check(scope)
            if early is not None:
                return await early(scope, receive, send_safely)
            await self.app(scope, self._bounded(scope, receive), send_safely)
        except Refused as refused:
            if not started:
                await refusal(refused, api)(scope, receive, send_safely)
        except _TooLarge:
            if not started:
                await refusal(self._too_large(), api)(scope, receive, send_safely)
        except Exception as error:  # a bug: answered here, so that no traceback reaches the server's log
            where = self.crashed(scope, error)
            if not started:
                await refusal(Refused(500, "advisor failed unexpectedly: a bug, not a mistake of yours",
                                      f"nothing you saved is lost; tell whoever runs this server ({where})"),
                              api)(scope, receive, send_safely)

    def _check(self, scope) -> Response | None:
        """A response that ends the request before the application (a redirect keeping the secret), or None;
        Refused for a request turned away."""
        headers = Headers(scope=scope)
        if self.settings.local and not self.settings.secret:
            host = headers.get("host", "").rsplit(":", 1)[0] if not headers.get("host", "").startswith("[") \
                else headers.get("host", "").split("]")[0] + "]"
            if host.strip("[]") not in LOOPBACK_NAMES:
                raise Refused(421, "This server answers only to this computer's own addresses",
                              f"open http://127.0.0.1:{self.settings.port}/ instead")
        if self.buckets is not None:
            client = (scope.get("client") or ("unknown", 0))[0]
            wait = self.buckets.take(client)
            if wait:
                seconds = max(1, math.ceil(wait))
                raise Refused(429, "Too many requests from this address",
                              f"wait {seconds} second{'s' if seconds > 1 else ''} and try again",
                              {"retry-after": str(seconds)})
        size = headers.get("content-length")
        if size is not None and (not size.isdigit() or int(size) > self.settings.max_body):
            raise self._too_large()
        if self.token is None:
            return None
        return self._access(scope, headers)

    def _access(self, scope, headers: Headers) -> Response | None:
        secret = self.settings.secret
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        given_key = next((v for k, v in query if k == KEY_PARAMETER), None)
        if given_key is not None and scope["method"] in SAFE_METHODS:
            if not _same(given_key, secret):
                raise Refused(401, "This access key is not the right one",
                              "open the address printed when `advisor serve` started, or ask whoever runs it")
            kept = urlencode([(k, v) for k, v in query if k != KEY_PARAMETER])
            response = RedirectResponse(scope["path"] + (f"?{kept}" if kept else ""), 303)
            keep_cookie(response, ACCESS_COOKIE, self.token, scope.get("scheme") == "https")
            return response
        authorization = headers.get("authorization", "")
        bearer = authorization[7:] if authorization[:7].lower() == "bearer " else None
        cookies = _cookies(headers)
        if _same(bearer, secret) or _same(cookies.get(ACCESS_COOKIE), self.token):
            return None
        raise Refused(401, "This advisor needs its access key",
                      "open the address printed when `advisor serve` started (it ends with ?key=…); programs send "
                      "the header Authorization: Bearer followed by the key", {"www-authenticate": "Bearer"})

    def _bounded(self, scope, receive):
        """`receive`, stopping a body that grows past the limit (whatever its Content-Length said)."""
        limit, seen = self.settings.max_body, 0

        async def bounded() -> dict[str, Any]:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise _TooLarge()
            return message
        return bounded

    def _too_large(self) -> Refused:
        kib = self.settings.max_body // 1024
        return Refused(413, f"The request is larger than this server accepts ({kib} KiB)",
                       "send a smaller file: a profile is a few kilobytes")


def _cookies(headers: Headers) -> dict[str, str]:
    jar = SimpleCookie()
    try:
        jar.load(headers.get("cookie", ""))
    except CookieError:  # a malformed Cookie header: as if there were none
        return {}
    return {k: morsel.value for k, morsel in jar.items()}


def csrf_token(request: Request) -> str:
    """The browser's form token: its cookie's, or a new one (which the page sets, see `pages.render`)."""
    token = request.cookies.get(CSRF_COOKIE)
    if not token or len(token) > 100:
        token = getattr(request.state, "new_csrf", None) or secrets.token_urlsafe(32)
        request.state.new_csrf = token
    return token


def same_origin(request: Request) -> None:
    """Refused when a browser says the request comes from a page of another site (programs send no Origin)."""
    origin = request.headers.get("origin")
    if origin and origin.partition("://")[2] != request.headers.get("host", ""):  # the scheme may be a proxy's
        raise Refused(403, "This form came from another site", "use the pages of this advisor")


async def csrf_checked(request: Request) -> None:
    """Every form sent must carry the browser's token and come from this server's own pages."""
    if request.method in SAFE_METHODS:
        return
    same_origin(request)
    form = await request.form()
    cookie = request.cookies.get(CSRF_COOKIE)
    if cookie is None or not _same(str(form.get(CSRF_FIELD, "")), cookie):
        raise Refused(403, "This form is out of date", "go back, reload the page, and send the form again")
