"""Open a local HTML file in headless Chromium through the DevTools protocol and record what it says.

The page's console messages, uncaught exceptions and browser log entries
(failed loads, Content-Security-Policy violations) are collected, and the
page's DOM after loading is returned, so that a test can check content and
the absence of errors.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
         "--remote-debugging-port=0", "--remote-allow-origins=*")
TIMEOUT = 60.0


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


@dataclass
class PageVisit:
    dom: str
    messages: list[dict] = field(default_factory=list)  # {"source", "level", "text"}
    values: dict = field(default_factory=dict)  # results of the expressions asked for

    def errors(self) -> list[dict]:
        return [m for m in self.messages if m["level"] in ("error", "warning", "assert")]


class _Client:
    def __init__(self, url: str):
        import websocket  # websocket-client (a test extra)

        self.socket = websocket.create_connection(url, timeout=TIMEOUT)
        self.next_id = 0
        self.events: list[dict] = []

    def call(self, method: str, **params) -> dict:
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_until_loaded(self, url: str) -> None:
        """Wait until the page at `url` (not a late event of the previous page) has finished loading."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            state = self.call("Runtime.evaluate", expression="[location.href, document.readyState]",
                              returnByValue=True)["result"].get("value")
            if state == [url, "complete"]:
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} did not load: {state}")
            time.sleep(0.05)

    def close(self) -> None:
        self.socket.close()


def _port(profile: Path, process: subprocess.Popen) -> int:
    deadline = time.monotonic() + TIMEOUT
    marker = profile / "DevToolsActivePort"
    while time.monotonic() < deadline:
        if marker.exists() and marker.read_text().strip():
            return int(marker.read_text().split()[0])
        if process.poll() is not None:
            raise RuntimeError(f"chromium exited with {process.returncode}")
        time.sleep(0.1)
    raise TimeoutError("chromium did not open its DevTools port")


def _messages(events: list[dict]) -> list[dict]:
    found = []
    for event in events:
        params = event.get("params", {})
        if event.get("method") == "Runtime.consoleAPICalled":
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
            found.append({"source": "console", "level": params.get("type"), "text": text})
        elif event.get("method") == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            found.append({"source": "exception", "level": "error",
                          "text": details.get("exception", {}).get("description") or details.get("text", "")})
        elif event.get("method") == "Log.entryAdded":
            entry = params.get("entry", {})
            found.append({"source": entry.get("source"), "level": entry.get("level"), "text": entry.get("text", "")})
    return found


def visit(path: Path, expressions: dict[str, str] | None = None) -> PageVisit:
    """Load `path` in a fresh headless Chromium; return its DOM, its messages and evaluated expressions."""
    binary = chromium()
    if binary is None:
        raise FileNotFoundError("chromium")
    with tempfile.TemporaryDirectory(prefix="advisor-chromium-", ignore_cleanup_errors=True) as profile:
        process = subprocess.Popen([binary, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=os.environ.copy())
        try:
            port = _port(Path(profile), process)
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=TIMEOUT) as response:
                page = next(t for t in json.load(response) if t.get("type") == "page")
            client = _Client(page["webSocketDebuggerUrl"])
            try:
                for domain in ("Page", "Runtime", "Log"):
                    client.call(f"{domain}.enable")
                url = path.resolve().as_uri()
                client.call("Page.navigate", url=url)
                client.wait_until_loaded(url)
                values = {name: client.call("Runtime.evaluate", expression=expression,
                                            returnByValue=True)["result"].get("value")
                          for name, expression in (expressions or {}).items()}
                dom = client.call("Runtime.evaluate", expression="document.documentElement.outerHTML",
                                  returnByValue=True)["result"]["value"]
                return PageVisit(dom, _messages(client.events), values)
            finally:
                client.close()
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
