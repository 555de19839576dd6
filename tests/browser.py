"""Open a local HTML file in headless Chromium through the DevTools protocol and record what it says.

`visit`: the page's console messages, uncaught exceptions and browser log
entries (failed loads, Content-Security-Policy violations) are collected, and
the page's DOM after loading is returned, so that a test can check content and
the absence of errors.

`layouts`: the page laid out at several widths (a phone, a desktop, the width
of an A4 page in print), with the elements wider than the page and a
screenshot of each.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from advisor.render.pdf import find_browser

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
         "--remote-debugging-port=0", "--remote-allow-origins=*")
TIMEOUT = 60.0


def chromium() -> str | None:
    """The browser `advisor report --output NAME.pdf` prints with ($ADVISOR_CHROMIUM, else one on PATH)."""
    return find_browser()


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


@contextlib.contextmanager
def _page() -> Iterator[_Client]:
    """A blank page in a fresh headless Chromium, its Page, Runtime and Log events recorded."""
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
                yield client
            finally:
                client.close()
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _value(client: _Client, expression: str):
    return client.call("Runtime.evaluate", expression=expression, returnByValue=True)["result"].get("value")


def _open(client: _Client, path: Path) -> None:
    url = path.resolve().as_uri()
    client.call("Page.navigate", url=url)
    client.wait_until_loaded(url)


def visit(path: Path, expressions: dict[str, str] | None = None) -> PageVisit:
    """Load `path` in a fresh headless Chromium; return its DOM, its messages and evaluated expressions."""
    with _page() as client:
        _open(client, path)
        values = {name: _value(client, expression) for name, expression in (expressions or {}).items()}
        dom = _value(client, "document.documentElement.outerHTML")
        return PageVisit(dom, _messages(client.events), values)


@dataclass(frozen=True)
class Viewport:
    """A width to lay a page out at, in CSS pixels, for the screen or for print."""

    name: str
    width: int
    media: str = "screen"

    @property
    def mobile(self) -> bool:
        return self.width < 600  # a phone: the page's <meta name="viewport"> applies


PHONE = Viewport("phone", 390)
DESKTOP = Viewport("desktop", 1280)
PRINT = Viewport("print", 688, "print")  # an A4 page less 14 mm margins each side (210 - 28 mm) at 96 px per inch
VIEWPORTS = (PHONE, DESKTOP, PRINT)
HEIGHT = 900
TALLEST_SCREENSHOT = 16_000  # px; Chromium draws no taller picture


@dataclass
class Layout:
    """How a page laid out at one viewport: what sticks out of it, and where its screenshot is."""

    viewport: Viewport
    page_width: int  # the document's scroll width (the viewport's width when nothing is too wide)
    too_wide: list[str]  # the outermost elements past the page's edge: 'table under "The situation": 24-850 px'
    screenshot: Path

    def fits(self) -> bool:
        return not self.too_wide and self.page_width <= self.viewport.width


# The outermost elements whose box goes past the left or right edge of the page. Content inside a box
# the reader can scroll sideways (overflow-x: auto or scroll) is not counted: that box itself is.
TOO_WIDE = """(() => {
  const edge = document.documentElement.clientWidth;
  const scrolls = el => { for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (['auto', 'scroll'].includes(getComputedStyle(a).overflowX)) return true; } return false; };
  const section = el => Array.from(document.querySelectorAll('h2'))
      .filter(h => h.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING).map(h => h.textContent).pop();
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + Array.from(el.classList).map(c => '.' + c).join('') + (section(el) ? ` under "${section(el)}"` : '');
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || (box.right <= edge + 1 && box.left >= -1)) continue;
    if (wide.some(w => w.contains(el)) || scrolls(el)) continue;
    wide.push(el);
  }
  return wide.map(el => { const box = el.getBoundingClientRect();
    return `${name(el)}: ${Math.round(box.left)}-${Math.round(box.right)} px`; });
})()"""


def layouts(path: Path, folder: Path, viewports: tuple[Viewport, ...] = VIEWPORTS) -> list[Layout]:
    """`path` laid out at each viewport in one headless Chromium, each with a full-page PNG in `folder`."""
    found = []
    with _page() as client:
        for viewport in viewports:
            client.call("Emulation.setEmulatedMedia", media=viewport.media)
            client.call("Emulation.setDeviceMetricsOverride", width=viewport.width, height=HEIGHT,
                        deviceScaleFactor=1, mobile=viewport.mobile)
            _open(client, path)
            too_wide = _value(client, TOO_WIDE)
            page_width = _value(client, "document.documentElement.scrollWidth")
            height = min(_value(client, "document.documentElement.scrollHeight"), TALLEST_SCREENSHOT)
            client.call("Emulation.setDeviceMetricsOverride", width=viewport.width, height=height,
                        deviceScaleFactor=1, mobile=viewport.mobile)
            picture = client.call("Page.captureScreenshot", format="png", optimizeForSpeed=True)["data"]
            screenshot = folder / f"{path.stem}-{viewport.name}.png"
            screenshot.write_bytes(base64.b64decode(picture))
            found.append(Layout(viewport, page_width, too_wide, screenshot))
    return found
