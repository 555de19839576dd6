"""A PDF of an HTML page, printed by headless Chromium (the browser the HTML report is tested in).

Chromium rather than WeasyPrint: the report's screen and print layouts are checked in headless
Chromium (tests/browser.py), so the PDF is the page those tests saw, with the same CSS engine and
fonts; WeasyPrint is a second layout engine with its own CSS subset and would add a Python
dependency tree (and Pango on the system) for a command most runs never use. See docs/sessions.md.

The page is printed in a private folder (owner-only, removed afterwards) that also serves as the
browser's profile and home, with the network cut (background services off, every host name
unresolvable): the report fetches nothing, and neither does the browser. A browser that cannot be
found, does not finish within `TIMEOUT` seconds or writes no PDF raises `PrintFailed`, whose
message says what to install and that the HTML report needs no browser.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

BROWSER_VARIABLE = "ADVISOR_CHROMIUM"
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome")
TIMEOUT = 60.0  # seconds; a report prints in 1-2 s
OFFLINE = ("--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--disable-default-apps", "--disable-extensions", "--disable-breakpad", "--disable-quic",
           "--no-first-run", "--no-default-browser-check", "--host-resolver-rules=MAP * ~NOTFOUND")
FLAGS = ("--headless", "--disable-gpu", "--no-pdf-header-footer", *OFFLINE)
# Chromium's own paper is US Letter: A4 unless the page's stylesheet names a size (it comes later and wins).
A4 = "<style>@page { size: A4; }</style>"
INSTALL = ("install Chromium (apt-get install chromium), or set ADVISOR_CHROMIUM to its path; the HTML report "
           "(--output NAME.html) needs no browser to be written, and prints from any browser")


class PrintFailed(Exception):
    """No PDF could be made: `reason` says why, `fix` what to do."""

    def __init__(self, reason: str, fix: str = INSTALL):
        super().__init__(reason)
        self.reason, self.fix = reason, fix


def find_browser() -> str | None:
    """The Chromium to print with: $ADVISOR_CHROMIUM (a path or a command), else the first of BROWSER_NAMES on PATH."""
    chosen = os.environ.get(BROWSER_VARIABLE)
    if chosen:
        return shutil.which(chosen)
    return next(filter(None, map(shutil.which, BROWSER_NAMES)), None)


def html_to_pdf(html: str, timeout: float | None = None) -> bytes:
    """The PDF that Chromium prints of `html` (a self-contained page); PrintFailed when it cannot."""
    browser = find_browser()
    if browser is None:
        raise _not_found()
    limit = TIMEOUT if timeout is None else timeout
    with tempfile.TemporaryDirectory(prefix="advisor-pdf-", ignore_cleanup_errors=True) as name:  # mode 0700
        folder = Path(name)
        page, pdf, log = folder / "report.html", folder / "report.pdf", folder / "browser.log"
        page.write_text(_paper(html), encoding="utf-8")
        command = [browser, *FLAGS, *_sandbox(), f"--user-data-dir={folder / 'profile'}", f"--print-to-pdf={pdf}",
                   page.as_uri()]
        with log.open("wb") as errors:
            status = _run(command, folder, errors, limit)
        data = pdf.read_bytes() if pdf.is_file() else b""
        if not data.startswith(b"%PDF-"):
            raise PrintFailed(f"Chromium ({browser}) wrote no PDF (exit status {status})" + _last_words(log))
        return data


def _not_found() -> PrintFailed:
    chosen = os.environ.get(BROWSER_VARIABLE)
    if chosen:
        return PrintFailed(f"{BROWSER_VARIABLE} names {chosen}, which is not a program that can be run",
                           fix=f"set {BROWSER_VARIABLE} to Chromium's path (e.g. /usr/bin/chromium), or unset it "
                           "to use the chromium on PATH; " + INSTALL)
    return PrintFailed(f"a PDF is printed by Chromium, which was not found (looked for {', '.join(BROWSER_NAMES)})")


def _paper(html: str) -> str:
    """`html` with A4 as the default paper, placed first in its head so that the page's own @page rules win."""
    head = re.search(r"<head\b[^>]*>", html, re.IGNORECASE)
    return html[:head.end()] + A4 + html[head.end():] if head else html


def _sandbox() -> tuple[str, ...]:
    """Chromium refuses to start as root inside its sandbox; everyone else keeps it."""
    return ("--no-sandbox",) if hasattr(os, "geteuid") and os.geteuid() == 0 else ()


def _run(command: list[str], home: Path, errors, limit: float) -> int:
    """Run the browser in its own process group, so that it and every helper it starts end with it; its exit status."""
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home), "XDG_CACHE_HOME": str(home)}
    try:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=errors, stderr=errors, env=env,
                                   start_new_session=True)
    except OSError as error:  # e.g. a script without its #! line
        raise PrintFailed(f"Chromium ({command[0]}) could not be started: {error.strerror or error}") from None
    try:
        return process.wait(timeout=limit)
    except BaseException as stop:  # the time is up, or Ctrl-C or SIGTERM: the browser goes too
        _end(process)
        if isinstance(stop, subprocess.TimeoutExpired):
            raise PrintFailed(f"Chromium did not finish printing within {limit:g} "
                              f"second{'' if limit == 1 else 's'} and was stopped",
                              fix="try again (a busy machine is slow); if it happens again, " + INSTALL) from None
        raise


def _end(process: subprocess.Popen) -> None:
    """Stop the browser and every helper it started (its process group, which it leads until it is reaped)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (AttributeError, ProcessLookupError, PermissionError):  # no process groups (Windows), or gone
        process.kill()
    process.wait()


def _last_words(log: Path) -> str:
    """The browser's last line of complaint (not its routine D-Bus noise), to show after the reason."""
    lines = [line.strip() for line in log.read_text(errors="replace").splitlines()
             if line.strip() and "dbus" not in line.lower()]
    return f"; it said: {lines[-1][:200]}" if lines else ""
