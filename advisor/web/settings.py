"""How `advisor serve` runs: where it listens, what it serves, and its limits."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
SECRET_VARIABLE = "ADVISOR_SERVE_SECRET"  # the access secret, when given rather than generated
MIN_SECRET_LENGTH = 16


def is_loopback(host: str) -> bool:
    """Whether `host` is reachable from this machine only."""
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Settings:
    """Everything the application is built from (the command line's options, or a test's)."""

    sessions_dir: Path
    rules: Path | None = None
    engine: str = "durable"
    host: str = "127.0.0.1"
    port: int = 8000
    secret: str | None = None  # required for every page and call when set (always set off loopback)
    max_body: int = 1024 * 1024  # bytes a request may send (a profile file uploaded, a form)
    rate: int = 600  # requests a minute from one address (0: no limit)
    burst: int = 120  # requests one address may send at once before the rate applies

    @property
    def local(self) -> bool:
        return is_loopback(self.host)
