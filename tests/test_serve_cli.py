"""`advisor serve` as a person starts it: the address it prints, the access key off this computer, and clean
errors for a port taken, an unknown host or a weak key."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def serve(tmp_path: Path, *args: str, secret: str | None = None) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("ADVISOR_SERVE_SECRET", None)
    if secret is not None:
        env["ADVISOR_SERVE_SECRET"] = secret
    return subprocess.Popen([sys.executable, "-m", "advisor", "serve", "--sessions-dir", str(tmp_path / "s"), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def first_lines(process: subprocess.Popen, count: int) -> list[str]:
    lines = [process.stdout.readline() for _ in range(count)]
    assert lines[0], process.stderr.read()
    return lines


def stop(process: subprocess.Popen) -> int:
    process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=20)
    finally:
        process.kill()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args):
        return None


def get(url: str, headers: dict | None = None):
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers or {}), timeout=20) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def test_it_prints_the_address_to_open_and_stops_cleanly_on_sigterm(tmp_path):
    process = serve(tmp_path, "--port", "0")
    line = first_lines(process, 1)[0]
    assert line.startswith("advisor is serving on http://127.0.0.1:") and "key=" not in line
    address = line.split()[-1]
    status, headers, body = get(address)
    assert status == 200 and "Start the questionnaire" in body
    assert stop(process) == 0
    assert "Traceback" not in process.stderr.read()


def test_off_this_computer_every_page_needs_the_printed_key(tmp_path):
    process = serve(tmp_path, "--host", "0.0.0.0", "--port", "0")
    try:
        line, explained, _ = first_lines(process, 3)
        address = line.split()[-1]
        assert "?key=" in address and "Authorization: Bearer" in explained
        bare, key = address.split("?key=")
        assert get(bare)[0] == 401
        assert get(bare + "?key=wrong-key-of-enough-length")[0] == 401
        status, headers, _ = get(address)
        assert status == 303 and headers["location"] == "/" and "advisor_access=" in headers["set-cookie"]
        assert key not in headers["set-cookie"]  # the cookie holds a token derived from the key, not the key
        assert get(bare, {"Authorization": f"Bearer {key}"})[0] == 200
    finally:
        stop(process)


def test_a_key_given_in_the_environment_is_used_and_a_short_one_refused(tmp_path):
    process = serve(tmp_path, "--port", "0", secret="s" * 40)
    try:
        address = first_lines(process, 1)[0].split()[-1]
        assert address.endswith("?key=" + "s" * 40)
        assert get(address.split("?")[0])[0] == 401  # a key set is required even on this computer
    finally:
        stop(process)
    short = serve(tmp_path, "--port", "0", secret="short")
    _, err = short.communicate(timeout=30)
    assert short.returncode == 2 and "shorter than 16 characters" in err and "Traceback" not in err


def test_a_port_taken_is_a_clean_error_with_the_fix(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = serve(tmp_path, "--port", str(port))
        _, err = process.communicate(timeout=30)
    assert process.returncode == 2
    assert f"port {port} is taken" in err and f"--port {port + 1}" in err and "Traceback" not in err


@pytest.mark.parametrize("args, says", [(("--host", "no-such-host.invalid"), "no such address"),
                                        (("--port", "70000"), "is not a port")])
def test_a_wrong_host_or_port_is_a_clean_error(tmp_path, args, says):
    process = serve(tmp_path, *args)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 2 and says in err and "Traceback" not in err


def test_the_server_log_names_no_page_address_nor_answer(tmp_path):
    process = serve(tmp_path, "--port", "0")
    try:
        address = first_lines(process, 1)[0].split()[-1]
        get(address + "sessions/someone-private/ask?secret-thing=1")
        time.sleep(0.3)
    finally:
        stop(process)
    log = process.stderr.read()
    assert "someone-private" not in log and "secret-thing" not in log
