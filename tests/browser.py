"""Drive headless Chromium through the DevTools protocol and record what pages say.

`visit`: a local HTML file loaded; the page's console messages, uncaught
exceptions and browser log entries (failed loads, Content-Security-Policy
violations) are collected, and the page's DOM after loading is returned, so
that a test can check content and the absence of errors.

`layouts`: a local HTML file laid out at several widths (a phone, a desktop,
the width of an A4 page in print), with the elements wider than the page and
a screenshot of each.

`running`: a browser for a live server's pages, as a person uses them: tabs
opened and closed, addresses visited, keys pressed (Tab, arrows, Space,
Enter, text typed), elements clicked with the mouse, the DOM read, each page
laid out at a viewport (`lay_out`), and files downloaded to a folder.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import os
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from advisor.render.pdf import find_browser

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
         "--remote-debugging-port=0", "--remote-allow-origins=*")
TIMEOUT = 60.0


def chromium() -> str | None:
    """The browser `advisor report --output NAME.pdf` prints with ($ADVISOR_CHROMIUM, else one on PATH)."""
    return find_browser()


def needs_chromium() -> None:
    """Skip the calling test module when Chromium is missing, except in CI, where that is an error."""
    if chromium() is None:
        if os.environ.get("CI") == "true":
            raise RuntimeError("chromium is missing in CI: .ci/run installs it (apt-get install -y chromium)")
        pytest.skip("chromium is not installed (apt-get install chromium)", allow_module_level=True)


def artefacts_folder(tmp_path_factory) -> Path:
    """The folder screenshots go to: $ADVISOR_TEST_ARTEFACTS when it is set (to keep and look at), else a
    temporary one of the test run."""
    given = os.environ.get("ADVISOR_TEST_ARTEFACTS")
    folder = Path(given) if given else tmp_path_factory.mktemp("layout")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@dataclass
class PageVisit:
    dom: str
    messages: list[dict] = field(default_factory=list)  # {"source", "level", "text"}, and "url" for a log entry
    values: dict = field(default_factory=dict)  # results of the expressions asked for

    def errors(self) -> list[dict]:
        return errors(self.messages)


def errors(messages: list[dict]) -> list[dict]:
    """The messages that report something wrong: errors, warnings (a CSP violation is one) and failed asserts."""
    return [m for m in messages if m["level"] in ("error", "warning", "assert")]


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

    def wait_for(self, method: str, since: int = 0, matches=lambda params: True) -> dict:
        """The parameters of the first event `method` after the `since`-th one recorded that `matches`."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            for event in self.events[since:]:
                if event.get("method") == method and matches(event.get("params", {})):
                    return event["params"]
            if time.monotonic() > deadline:
                raise TimeoutError(f"no {method} event within {TIMEOUT:.0f} s")
            time.sleep(0.05)
            self.call("Browser.getVersion")  # reads the events that came meanwhile

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
            found.append({"source": entry.get("source"), "level": entry.get("level"), "text": entry.get("text", ""),
                          "url": entry.get("url", "")})
    return found


@contextlib.contextmanager
def _launched() -> Iterator[int]:
    """A fresh headless Chromium with its own profile; its DevTools port. Stopped afterwards."""
    binary = chromium()
    if binary is None:
        raise FileNotFoundError("chromium")
    with tempfile.TemporaryDirectory(prefix="advisor-chromium-", ignore_cleanup_errors=True) as profile:
        process = subprocess.Popen([binary, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=os.environ.copy())
        try:
            yield _port(Path(profile), process)
        finally:
            stop(process)


def stop(process: subprocess.Popen) -> None:
    """End a process this test started: asked to stop, killed if it has not within 10 seconds."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _json(port: int, what: str):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/{what}", timeout=TIMEOUT) as response:
        return json.load(response)


def _watched(url: str) -> _Client:
    """A connection to a page, its Page, Runtime and Log events recorded."""
    client = _Client(url)
    for domain in ("Page", "Runtime", "Log"):
        client.call(f"{domain}.enable")
    return client


@contextlib.contextmanager
def _page() -> Iterator[_Client]:
    """A blank page in a fresh headless Chromium, its Page, Runtime and Log events recorded."""
    with _launched() as port:
        page = next(t for t in _json(port, "list") if t.get("type") == "page")
        client = _watched(page["webSocketDebuggerUrl"])
        try:
            yield client
        finally:
            client.close()


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
    values: dict = field(default_factory=dict)  # results of the expressions asked for, at this viewport

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


def _lay_out(client: _Client, viewport: Viewport, load: Callable[[], None], screenshot: Path,
             expressions: dict[str, str] | None = None) -> Layout:
    """The page `load` shows, laid out at `viewport`, with `expressions` evaluated; its full-page PNG written
    to `screenshot`."""
    client.call("Emulation.setEmulatedMedia", media=viewport.media)
    client.call("Emulation.setDeviceMetricsOverride", width=viewport.width, height=HEIGHT,
                deviceScaleFactor=1, mobile=viewport.mobile)
    load()
    too_wide = _value(client, TOO_WIDE)
    page_width = _value(client, "document.documentElement.scrollWidth")
    values = {name: _value(client, expression) for name, expression in (expressions or {}).items()}
    height = min(_value(client, "document.documentElement.scrollHeight"), TALLEST_SCREENSHOT)
    client.call("Emulation.setDeviceMetricsOverride", width=viewport.width, height=height,
                deviceScaleFactor=1, mobile=viewport.mobile)
    picture = client.call("Page.captureScreenshot", format="png", optimizeForSpeed=True)["data"]
    screenshot.write_bytes(base64.b64decode(picture))
    return Layout(viewport, page_width, too_wide, screenshot, values)


def layouts(path: Path, folder: Path, viewports: tuple[Viewport, ...] = VIEWPORTS) -> list[Layout]:
    """`path` laid out at each viewport in one headless Chromium, each with a full-page PNG in `folder`."""
    with _page() as client:
        return [_lay_out(client, viewport, lambda: _open(client, path), folder / f"{path.stem}-{viewport.name}.png")
                for viewport in viewports]


# The keys a person presses, as Input.dispatchKeyEvent takes them: key, code, Windows key code, text typed.
KEYS = {"Tab": ("Tab", 9, ""), "Enter": ("Enter", 13, "\r"), " ": ("Space", 32, " "),
        "Backspace": ("Backspace", 8, ""), "ArrowDown": ("ArrowDown", 40, ""), "ArrowUp": ("ArrowUp", 38, ""),
        "ArrowLeft": ("ArrowLeft", 37, ""), "ArrowRight": ("ArrowRight", 39, "")}
CONTROL = 2  # Input.dispatchKeyEvent's modifier bit for the Ctrl key


class Tab:
    """A browser tab, used as a person would: addresses visited, keys pressed, what the page shows read."""

    def __init__(self, client: _Client, target: str):
        self.client, self.target = client, target
        client.call("Emulation.setFocusEmulationEnabled", enabled=True)  # focused as the window in front is

    def value(self, expression: str):
        """What a JavaScript expression evaluates to in the page (DevTools reads it: the page runs no script)."""
        return _value(self.client, expression)

    def go(self, url: str) -> None:
        """Open `url` and wait until it has loaded."""
        self.client.call("Page.navigate", url=url)
        self.client.wait_until_loaded(url)

    def loads(self, act: Callable[[], None]) -> None:
        """Do `act` (a key that sends a form or follows a link, a reload) and wait until the next page has loaded."""
        since = len(self.client.events)
        act()
        self.client.wait_for("Page.loadEventFired", since)
        deadline = time.monotonic() + TIMEOUT
        while not self.value(SETTLED) and time.monotonic() < deadline:
            time.sleep(0.02)

    def reload(self) -> None:
        self.loads(lambda: self.client.call("Page.reload"))

    def press(self, key: str, modifiers: int = 0) -> None:
        """One key pressed and released: a name of KEYS, or one character (typed, or a shortcut with CONTROL)."""
        code = f"Key{key.upper()}" if key.isalpha() else f"Digit{key}" if key.isdigit() else ""
        # A letter's or a digit's key code is its upper-case character's; a sign's is not (that of "(" is the
        # down arrow's, that of "." the Delete key's): a sign is typed by its text alone.
        number = ord(key.upper()) if len(key) == 1 and key.isascii() and key.isalnum() else 0
        code, number, text = KEYS.get(key) or (code, number, key)
        if modifiers & CONTROL:
            text = ""
        down = {"key": key, "code": code, "windowsVirtualKeyCode": number, "modifiers": modifiers}
        self.client.call("Input.dispatchKeyEvent", type="keyDown" if text else "rawKeyDown", text=text, **down)
        self.client.call("Input.dispatchKeyEvent", type="keyUp", **down)

    def click(self, selector: str, text: str | None = None) -> None:
        """Click with the mouse in the middle of the first element matching the CSS `selector` (and whose text
        is `text`, when given), scrolled into the window first, as a person scrolls to it."""
        where = self.value(f"{WHERE}({json.dumps(selector)}, {json.dumps(text)})")
        if not isinstance(where, list):
            said = f"{selector} saying {text!r}" if text else selector
            raise AssertionError(f"{self.value('location.href')}: cannot click {said}: {where or 'none on the page'}")
        x, y = where
        self.client.call("Input.dispatchMouseEvent", type="mouseMoved", x=x, y=y)
        for kind in ("mousePressed", "mouseReleased"):
            self.client.call("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)

    def type(self, text: str) -> None:
        for character in text:
            self.press(character)

    def focused(self) -> dict:
        """The element that has the focus: its tag, type, name, value, text, label and whether its focus shows."""
        return self.value(FOCUSED)

    def lay_out(self, viewport: Viewport, screenshot: Path, expressions: dict[str, str] | None = None,
                load: Callable[[], None] | None = None) -> Layout:
        """This page reloaded at `viewport` (then back to the window's own size), `expressions` evaluated, with a
        full-page PNG at `screenshot`; `load` shows it again instead of a reload (a page a form sent by POST
        made, which a reload would send again)."""
        found = _lay_out(self.client, viewport, load or self.reload, screenshot, expressions)
        self.client.call("Emulation.clearDeviceMetricsOverride")
        self.client.call("Emulation.setEmulatedMedia", media="screen")
        return found

    def messages(self) -> list[dict]:
        """The console messages, uncaught exceptions and log entries (failed loads, CSP violations) so far."""
        return _messages(self.client.events)


def broken_words(selector: str) -> str:
    """An expression: the text of the elements matching the CSS `selector` that are broken inside a word (a
    narrow column cutting "Change" in two; a break after a hyphen is a line's normal end)."""
    return f"Array.from(document.querySelectorAll({json.dumps(selector)}))" + _BROKEN


_BROKEN = """.filter(el => {
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let node; (node = walker.nextNode()); ) {
    for (const word of node.data.matchAll(/[^\\s-]+/g)) {  // a line may break after a hyphen
      const range = document.createRange();
      range.setStart(node, word.index);
      range.setEnd(node, word.index + word[0].length);
      if (new Set(Array.from(range.getClientRects(), r => Math.round(r.top))).size > 1) return true;
    }
  }
  return false;
}).map(el => el.textContent.trim())"""
BROKEN_WORDS = broken_words("button, .button, nav a")  # the buttons and menu links
# How far the site's menu bar stops short of the window's edges, in px (0: the page frame is the web's own,
# not the report stylesheet's narrower one).
MENU_INSET = """(() => { const bar = document.querySelector('header.site').getBoundingClientRect();
  return Math.round(bar.left + document.documentElement.clientWidth - bar.right); })()"""
# What `advisor serve`'s pages are checked for at each width, besides elements wider than the page: each
# expression finds nothing (an empty list, 0) on a page laid out well.
WEB_PAGE_CHECKS = {"buttons or menu links cut inside a word": BROKEN_WORDS,
                   "px between the menu bar and the window's edges": MENU_INSET}


def faults(layout: Layout) -> list[str]:
    """What is wrong with a page laid out with checks that find nothing when all is well (WEB_PAGE_CHECKS):
    elements wider than the page, then each check that found something."""
    wide = [] if layout.fits() else [f"the page is {layout.page_width} px wide; too wide: "
                                     f"{'; '.join(layout.too_wide)}"]
    return wide + [f"{check}: {found}" for check, found in layout.values.items() if found]

# The middle of the first element matching a selector (and saying a text, when given), scrolled into the
# window; null when there is none, or a description of what covers it.
WHERE = """((selector, text) => {
  const el = Array.from(document.querySelectorAll(selector))
      .find(e => text === null || e.textContent.trim() === text);
  if (!el) return null;
  el.scrollIntoView({block: 'center'});
  const box = el.getBoundingClientRect(), x = box.left + box.width / 2, y = box.top + box.height / 2;
  const there = document.elementFromPoint(x, y);
  return el.contains(there) || (el.labels && Array.from(el.labels).some(l => l.contains(there)))
      ? [x, y] : `covered by ${there ? there.outerHTML.slice(0, 80) : 'nothing'}`;
})"""

# A page loaded, and its autofocus applied (a moment after the load).
SETTLED = """document.readyState === 'complete'
  && (!document.querySelector('[autofocus]') || document.activeElement !== document.body)"""

# The focused element, described; `shows` when the page draws its focus (an outline, as :focus-visible gives)
# and it is in the window, not under its edges.
FOCUSED = """(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {tag: 'body', shows: false};
  const style = getComputedStyle(el), box = el.getBoundingClientRect();
  const outlined = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  const inside = box.width > 0 && box.height > 0 && box.top >= 0 && box.bottom <= innerHeight
      && box.left >= 0 && box.right <= document.documentElement.clientWidth;
  const label = el.labels && el.labels.length ? el.labels[0].textContent.trim() : (el.getAttribute('aria-label') || '');
  return {tag: el.tagName.toLowerCase(), type: el.type || '', name: el.name || '', value: el.value || '',
          text: el.textContent.trim(), label: label, checked: !!el.checked, href: el.getAttribute('href') || '',
          shows: outlined && el.matches(':focus-visible') && inside};
})()"""

# The form fields (input, select, textarea) with no name a screen reader can say: no <label for>, no
# aria-label, and no legend of a fieldset around them.
UNLABELLED = """Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea')).filter(el => {
  const said = node => node && node.textContent.trim();
  const legend = el.closest('fieldset') && el.closest('fieldset').querySelector(':scope > legend');
  return !(Array.from(el.labels || []).some(said) || (el.getAttribute('aria-label') || '').trim() || said(legend));
}).map(el => el.outerHTML)"""


class Browser:
    """A headless Chromium for a live server: tabs opened and closed, downloads saved in a folder."""

    def __init__(self, port: int, downloads: Path):
        self.port, self.downloads = port, downloads
        self.client = _Client(_json(port, "version")["webSocketDebuggerUrl"])
        self.client.call("Browser.setDownloadBehavior", behavior="allowAndName", downloadPath=str(downloads),
                         eventsEnabled=True)  # each saved under its download's id, named when complete

    def tab(self) -> Tab:
        """A new blank tab (in the same profile: the same cookies)."""
        target = self.client.call("Target.createTarget", url="about:blank")["targetId"]
        page = next(t for t in _json(self.port, "list") if t.get("id") == target)
        return Tab(_watched(page["webSocketDebuggerUrl"]), target)

    def close(self, tab: Tab) -> None:
        tab.client.close()
        self.client.call("Target.closeTarget", targetId=tab.target)

    def download(self, act: Callable[[], None]) -> Path:
        """Do `act` (a key or a click on a download link) and wait until the file it downloads is saved; its
        path: the name the server gave, with "-2", "-3"... when an earlier download had that name."""
        since = len(self.client.events)
        act()
        began = self.client.wait_for("Browser.downloadWillBegin", since)
        progress = self.client.wait_for("Browser.downloadProgress", since, lambda p: p.get("guid") == began["guid"]
                                        and p.get("state") in ("completed", "canceled"))
        if progress["state"] != "completed":
            raise RuntimeError(f"the download of {began['url']} was cancelled")
        named = saved = self.downloads / began["suggestedFilename"]
        for number in itertools.count(2):
            if not saved.exists():
                break
            saved = named.with_stem(f"{named.stem}-{number}")
        return (self.downloads / began["guid"]).rename(saved)


@contextlib.contextmanager
def running(downloads: Path) -> Iterator[Browser]:
    """A fresh headless Chromium whose downloads go to `downloads`; stopped afterwards."""
    with _launched() as port:
        browser = Browser(port, downloads)
        try:
            yield browser
        finally:
            browser.client.close()
