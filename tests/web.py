"""What the web tests share: an application on a temporary sessions folder, and the form token of a page."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from advisor.web.app import create_app
from advisor.web.settings import Settings

BASE_URL = "http://127.0.0.1:8000"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


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
