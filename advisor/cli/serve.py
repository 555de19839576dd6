"""`advisor serve`: the questionnaire, the advice, the adviser's sessions and a JSON API in a browser."""

from __future__ import annotations

import errno
import os
import secrets
import socket

from advisor.cli.options import add_engine_option, add_rules_option, add_sessions_option
from advisor.errors import UsageError
from advisor.exits import ExitStatus
from advisor.io.environment import Environment
from advisor.sessions.store import default_sessions_dir
from advisor.web.settings import (
    MIN_SECRET_LENGTH,
    SECRET_VARIABLE,
    Settings,
    is_loopback,
)


def configure(parser, argv) -> None:
    parser.description = ("Serve the questionnaire, the advice, the adviser's sessions and a JSON API to a browser. "
                          "Bound to this computer by default; any other address needs an access key (printed "
                          f"at start, or taken from ${SECRET_VARIABLE}).")
    parser.add_argument("--host", default="127.0.0.1",
                        help="the address to listen on (default 127.0.0.1: this computer only; 0.0.0.0: every "
                             "network, with an access key)")
    parser.add_argument("--port", type=int, default=8000, help="the port (default 8000; 0 picks a free one)")
    add_sessions_option(parser)
    add_rules_option(parser)
    add_engine_option(parser)
    parser.add_argument("--rate-limit", type=int, default=600, metavar="N",
                        help="requests a minute one address may send (default 600; 0: no limit)")
    parser.add_argument("--max-body", type=int, default=1024, metavar="KIB",
                        help="the largest request body accepted, in KiB (default 1024)")
    parser.set_defaults(handler=run)


def _secret(host: str, env: Environment) -> tuple[str | None, bool]:
    """The access secret (from the environment, else new when off this computer), and whether it was generated."""
    given = os.environ.get(SECRET_VARIABLE)
    if given:
        if len(given) < MIN_SECRET_LENGTH:
            raise UsageError(f"${SECRET_VARIABLE} is shorter than {MIN_SECRET_LENGTH} characters\n"
                             f"  fix: use a longer one, e.g. {secrets.token_urlsafe(24)}")
        return given, False
    if is_loopback(host):
        return None, False
    return secrets.token_urlsafe(24), True


def _listen(host: str, port: int) -> socket.socket:
    """A socket bound to host:port, or a UsageError saying why it cannot be."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror:
        raise UsageError(f"--host {host}: no such address on this computer\n  fix: use 127.0.0.1, or 0.0.0.0 for "
                         "every network") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as error:
        sock.close()
        fix = {errno.EADDRINUSE: f"port {port} is taken: use another, e.g. --port {port + 1} (or --port 0)",
               errno.EACCES: "ports below 1024 need special rights: use --port 8000",
               errno.EADDRNOTAVAIL: "this computer has no such address: use 127.0.0.1 or 0.0.0.0"}
        raise UsageError(f"cannot listen on {host}:{port}: {error.strerror or error}\n  fix: "
                         + fix.get(error.errno, "choose another --host or --port")) from None
    sock.listen(128)
    return sock


def run(args, env: Environment) -> ExitStatus:
    import uvicorn  # imported here: only `serve` needs the web stack

    from advisor.web.app import create_app

    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port} is not a port\n  fix: choose 1 to 65535 (or 0 for a free one)")
    if args.rate_limit < 0 or args.max_body < 1:
        raise UsageError("--rate-limit and --max-body are positive numbers\n  fix: e.g. --rate-limit 600 --max-body 1024")
    secret, generated = _secret(args.host, env)
    sock = _listen(args.host, args.port)
    port = sock.getsockname()[1]
    settings = Settings(sessions_dir=args.sessions_dir or default_sessions_dir(), rules=args.rules, engine=args.engine,
                        host=args.host, port=port, secret=secret, max_body=args.max_body * 1024, rate=args.rate_limit)
    app = create_app(settings)
    shown = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host
    shown = f"[{shown}]" if ":" in shown else shown
    address = f"http://{shown}:{port}/" + (f"?key={secret}" if secret else "")
    env.out(f"advisor is serving on {address}")
    if generated:
        env.out(f"The access key is part of that address: give it only to the people who may use this advisor "
                f"(or set ${SECRET_VARIABLE} to choose it). Programs send: Authorization: Bearer {secret}")
    env.out(f"Sessions folder: {settings.sessions_dir}. Ctrl-C stops.")
    env.stdout.flush()
    config = uvicorn.Config(app, access_log=False, log_level="warning", server_header=False, date_header=False)
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    return ExitStatus.OK
