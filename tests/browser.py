"""Headless Chromium for the browser tests (tests/test_browser.py, test_site.py and
test_browser_hostile.py).

Two ways to look at a page:

- `browse(url, shot)`: one browser run with `--dump-dom` and `--screenshot`, the page's DOM
  after its scripts ran, and a PNG in SCREENSHOTS (build/screenshots/, or $INDRU_SCREENSHOTS).
- `Browser`: one browser driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`,
  standard library only), to measure the page as it is laid out: what is on the first screen,
  what overflows, how tall a row is. `Browser.open(url, shot)` loads a page, saves a screenshot
  of the first screen and returns a `Page` whose `js(expression)` gives back a JSON value.

No browser is downloaded: .ci/run installs Debian's chromium with apt; without it the tests
that need it are skipped with that reason (a failure where INDRU_REQUIRE_BROWSER=1).
"""

from __future__ import annotations

import base64
import contextlib
import html
import json
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT

CHROMIUM = shutil.which("chromium")
# Set by .ci/run: there a missing browser or extra is a failure, not a reason to skip.
REQUIRED = os.environ.get("INDRU_REQUIRE_BROWSER") == "1"
SCREENSHOTS = Path(os.environ.get("INDRU_SCREENSHOTS", ROOT / "build" / "screenshots"))
FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--window-size=1280,1600",
]
# The first screen of a laptop: what a reader sees before scrolling.
SCREEN = (1280, 800)

needs_chromium = pytest.mark.skipif(
    CHROMIUM is None and not REQUIRED,
    reason="chromium not found: apt-get install -y chromium (.ci/run installs it)",
)


def need(module: str, extra: str) -> None:
    if REQUIRED:
        __import__(module)  # fails loudly in CI
    pytest.importorskip(module, reason=f"needs the {extra} extra: pip install -e '.[{extra}]'")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait(url: str, proc: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _chromium(*args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None, "chromium not found (INDRU_REQUIRE_BROWSER=1)"
    with tempfile.TemporaryDirectory(prefix="indru-chromium-") as profile:
        return subprocess.run(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=120,
        )


def browse(url: str, shot: str) -> str:
    """The page's DOM after its scripts ran; also writes SCREENSHOTS/<shot>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    png = SCREENSHOTS / f"{shot}.png"
    png.unlink(missing_ok=True)
    # One browser run gives both: the screenshot file and the DOM on stdout.
    done = _chromium(f"--screenshot={png}", "--dump-dom", url)
    assert png.is_file() and png.read_bytes().startswith(b"\x89PNG"), done.stderr[-2000:]
    assert done.returncode == 0 and "<html" in done.stdout, done.stderr[-2000:]
    return done.stdout


def text_of(dom: str) -> str:
    """Rendered text, roughly: tags dropped, entities decoded, white space collapsed."""
    dom = re.sub(r"<(script|style)\b.*?</\1>", " ", dom, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", dom)).split())


# --- the DevTools protocol over a pipe ------------------------------------------------------


class Browser:
    """One headless Chromium, driven over `--remote-debugging-pipe` (fd 3 in, fd 4 out;
    messages are JSON ended by a NUL byte)."""

    def __init__(self, timeout: float = 60) -> None:
        assert CHROMIUM is not None, "chromium not found (INDRU_REQUIRE_BROWSER=1)"
        self.timeout = timeout
        self._profile = tempfile.mkdtemp(prefix="indru-chromium-")
        to_child, self._to_browser = os.pipe()
        self._from_browser, from_child = os.pipe()

        def as_fds_3_and_4() -> None:
            os.dup2(to_child, 3)
            os.dup2(from_child, 4)

        self.proc = subprocess.Popen(
            [
                CHROMIUM,
                *FLAGS,
                f"--user-data-dir={self._profile}",
                "--remote-debugging-pipe",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=as_fds_3_and_4,  # runs in the child, before it execs the browser
            pass_fds=(3, 4),
        )
        os.close(to_child)
        os.close(from_child)
        self._buffer = b""
        self._next_id = 0
        self._events: list[dict[str, Any]] = []

    def close(self) -> None:
        with contextlib.suppress(OSError, AssertionError, TimeoutError):
            self.call("Browser.close")
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for fd in (self._to_browser, self._from_browser):
            os.close(fd)
        shutil.rmtree(self._profile, ignore_errors=True)

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _read(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("the browser did not answer in time")
            ready, _, _ = select.select([self._from_browser], [], [], left)
            if ready:
                chunk = os.read(self._from_browser, 1 << 20)
                if not chunk:
                    raise OSError("the browser closed its pipe")
                self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)  # type: ignore[no-any-return]

    def call(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        self._next_id += 1
        msg: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session:
            msg["sessionId"] = session
        os.write(self._to_browser, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            answer = self._read(deadline)
            if answer.get("id") == self._next_id:
                assert "error" not in answer, (method, answer["error"])
                return answer.get("result", {})  # type: ignore[no-any-return]
            self._events.append(answer)

    def wait_for(self, event: str, session: str) -> None:
        deadline = time.monotonic() + self.timeout
        while True:
            for i, e in enumerate(self._events):
                if e.get("method") == event and e.get("sessionId") == session:
                    del self._events[: i + 1]
                    return
            self._events.append(self._read(deadline))

    def open(self, url: str, shot: str, size: tuple[int, int] = SCREEN) -> Page:
        """Load `url` in a new tab of `size` (the first screen), wait for its scripts, and save
        that screen as SCREENSHOTS/<shot>.png."""
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        width, height = size
        self.call(
            "Emulation.setDeviceMetricsOverride",
            session,
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )
        self.call("Page.enable", session)
        self._events.clear()
        self.call("Page.navigate", session, url=url)
        self.wait_for("Page.loadEventFired", session)
        page = Page(self, session, target)
        page.js("new Promise(done => setTimeout(done, 300))")  # scripts that run after load
        page.screenshot(shot)
        return page


class Page:
    def __init__(self, browser: Browser, session: str, target: str) -> None:
        self.browser, self.session, self.target = browser, session, target

    def js(self, expression: str) -> Any:
        """The JSON value of a JavaScript expression evaluated in the page (a promise is
        awaited)."""
        result = self.browser.call(
            "Runtime.evaluate",
            self.session,
            expression=expression,
            returnByValue=True,
            awaitPromise=True,
        )
        assert "exceptionDetails" not in result, result["exceptionDetails"]
        return result["result"].get("value")

    def text(self) -> str:
        """The text a reader sees (hidden elements left out), white space collapsed."""
        return " ".join(str(self.js("document.body.innerText")).split())

    def dom(self) -> str:
        return str(self.js("document.documentElement.outerHTML"))

    def screenshot(self, shot: str, full_page: bool = False) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        png = SCREENSHOTS / f"{shot}.png"
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            params["captureBeyondViewport"] = True
            w, h = self.js("[document.documentElement.scrollWidth, document.body.scrollHeight]")
            params["clip"] = {"x": 0, "y": 0, "width": w, "height": min(h, 6000), "scale": 1}
        data = self.browser.call("Page.captureScreenshot", self.session, **params)["data"]
        png.write_bytes(base64.b64decode(data))
        assert png.read_bytes().startswith(b"\x89PNG")
        return png

    def close(self) -> None:
        self.browser.call("Target.closeTarget", targetId=self.target)
