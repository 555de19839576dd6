"""What the web tests share: an application on a temporary sessions folder, the form token of a page, and
`advisor serve` itself running in a subprocess (for the browser tests)."""

from __future__ import annotations

import contextlib
import os
import re
import selectors
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from fastapi.testclient import TestClient

from advisor.web.app import create_app
from advisor.web.settings import Settings

from .browser import stop
from .conftest import ROOT

BASE_URL = "http://127.0.0.1:8000"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
STARTED = re.compile(r"advisor is serving on (http://127\.0\.0\.1:\d+/)$")


def web_client(tmp_path: Path, **settings) -> TestClient:
    """A test client of `advisor serve` on `tmp_path/"s"` (unless `sessions_dir` is given), other settings as
    given; redirects are not followed, so that a test sees where each form leads."""
    settings.setdefault("sessions_dir", tmp_path / "s")
    return TestClient(create_app(Settings(**settings)), base_url=BASE_URL, follow_redirects=False)


def csrf_of(response) -> str:
    """The form token of a page (its first form's hidden field)."""
    found = CSRF.search(response.text)
    assert found, "the page has no form token"
    return found.group(1)


@dataclass
class Server:
    """`advisor serve` running: the address it printed, its sessions folder and what it writes to its standard
    error."""

    url: str
    sessions: Path
    log: Path

    def advisor(self, *args: str) -> str:
        """`advisor ARGS... --sessions-dir` the server's folder, run in a terminal beside it: what it prints."""
        done = subprocess.run([sys.executable, "-m", "advisor", *args, "--sessions-dir", str(self.sessions)],
                              capture_output=True, text=True, env=_env(), timeout=60)
        assert done.returncode == 0, f"advisor {' '.join(args)}: {done.stderr}"
        return done.stdout


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


@contextlib.contextmanager
def serving(folder: Path) -> Iterator[Server]:
    """`advisor serve --port 0` started in a subprocess on `folder/"sessions"`, its log in `folder`; stopped
    afterwards."""
    sessions, log = folder / "sessions", folder / "stderr.txt"
    with log.open("w") as errors:
        process = subprocess.Popen([sys.executable, "-m", "advisor", "serve", "--port", "0", "--sessions-dir",
                                    str(sessions)], stdout=subprocess.PIPE, stderr=errors, text=True, env=_env())
    try:
        with selectors.DefaultSelector() as selector:
            selector.register(process.stdout, selectors.EVENT_READ)
            first = process.stdout.readline() if selector.select(timeout=60) else ""
        started = STARTED.match(first.strip())
        assert started, f"advisor serve said {first!r}; {log.read_text()[-2000:]}"
        yield Server(started.group(1), sessions, log)
    finally:
        stop(process)
        process.stdout.close()
