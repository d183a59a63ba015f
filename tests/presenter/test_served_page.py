"""``roleplay serve`` in a real headless Chromium: the page loads from this machine alone, then a turn is played.

Uses Debian's ``chromium`` and ``chromium-driver`` through Selenium (the
driver given by path, so nothing is downloaded; ``.ci/run`` installs them with
apt-get). When no browser can be found the tests are skipped, and say why.

The terminal in the page draws on a canvas, so the text on screen is read the
way the page's terminal gets it: a script added before the page loads keeps
every byte the page's WebSocket receives, and pyte (a terminal emulator)
replays them at the size the page asked for. In Latvian, each letter with a
mark on screen is also drawn on a canvas in the terminal's font, to show the
served font draws it (not a fallback's glyph, not a box) with its mark.
"""

from __future__ import annotations

import base64
import json
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.browser import browser_missing, headless_chromium
from tests.presenter.test_serve import serving, wait_for_page

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
WASHER = ROOT / "tests" / "tui" / "fixtures" / "library" / "leaking-washer.yaml"
ROOM_STORY = FIXTURES / "presenter-story.yaml"
WAIT = 90.0
"""Seconds to wait for the page or the app (a loaded CI machine starts a Python process slowly)."""


MISSING = browser_missing("pyte")
if MISSING:
    print(f"tests/presenter/test_served_page.py skipped: {MISSING}", file=sys.stderr)
pytestmark = pytest.mark.skipif(MISSING is not None, reason=MISSING or "")

RECORDER = """
(() => {
  window.__received = [];
  window.__sent = [];
  const Native = window.WebSocket;
  function Recording(url, protocols) {
    const socket = protocols === undefined ? new Native(url) : new Native(url, protocols);
    socket.addEventListener("message", (event) => {
      if (typeof event.data === "string") return;
      const bytes = new Uint8Array(event.data);
      let text = "";
      for (let i = 0; i < bytes.length; i += 1) text += String.fromCharCode(bytes[i]);
      window.__received.push(btoa(text));
    });
    const send = socket.send.bind(socket);
    socket.send = (data) => { window.__sent.push(String(data)); return send(data); };
    return socket;
  }
  Recording.prototype = Native.prototype;
  Object.assign(Recording, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
  window.WebSocket = Recording;
})();
"""
"""Kept before the page's own scripts run: every byte the terminal is sent, and every message the page sends."""


@contextmanager
def served_page(tmp_path: Path, *arguments: str) -> Iterator[str]:
    """``roleplay serve ARGUMENTS``, once its page answers; the server and the apps it started are stopped after."""
    with serving(tmp_path, *arguments) as (url, process):
        wait_for_page(url + "/", process)
        yield url


class Page:
    """The served page in a headless Chromium of its own, and the text its terminal shows."""

    def __init__(self) -> None:
        self.driver, self.profile = headless_chromium("roleplay-browser-", "--window-size=1280,800")
        self.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORDER})
        self.screen = None
        self.stream = None

    def open(self, url: str) -> None:
        self.driver.get(url)
        self.wait_for(
            lambda: self.driver.execute_script("return document.body.classList.contains('-first-byte')"), "the app's first output"
        )

    def wait_for(self, condition, what: str) -> None:
        deadline = time.monotonic() + WAIT
        while not condition():
            if time.monotonic() > deadline:
                pytest.fail(f"the page did not show {what} within {WAIT:.0f} s; the screen was:\n{self.text()}")
            time.sleep(0.1)

    def _size(self) -> tuple[int, int] | None:
        for message in reversed(self.driver.execute_script("return window.__sent")):
            envelope = json.loads(message)
            if envelope[0] == "resize":
                return envelope[1]["width"], envelope[1]["height"]
        return None

    def text(self) -> str:
        """What the terminal shows now, line by line."""
        import pyte

        if self.screen is None:
            size = self._size()
            if size is None:
                return ""
            self.screen = pyte.Screen(*size)
            self.stream = pyte.ByteStream(self.screen)
        for chunk in self.driver.execute_script("return window.__received.splice(0)"):
            self.stream.feed(base64.b64decode(chunk))
        return "\n".join(line.rstrip() for line in self.screen.display)

    def wait_text(self, *parts: str) -> str:
        self.wait_for(lambda: all(part in self.text() for part in parts), " and ".join(repr(part) for part in parts))
        return self.text()

    def press(self, *keys: str) -> None:
        from selenium.webdriver.common.by import By

        field = self.driver.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea")
        for key in keys:
            field.send_keys(key)
            time.sleep(0.15)

    def run(self, script: str):
        return self.driver.execute_script(script)

    def quit(self) -> None:
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Page]:
    """One browser for this module's tests (each serves on a port of its own, so nothing carries over)."""
    opened = Page()
    try:
        yield opened
    finally:
        opened.quit()


@pytest.fixture
def page(chromium: Page) -> Iterator[Page]:
    """The browser, its terminal's text read afresh; it leaves the page after the test."""
    chromium.screen = chromium.stream = None
    yield chromium
    chromium.driver.get("about:blank")


def test_a_turn_in_the_browser_with_nothing_from_outside(tmp_path: Path, page: Page) -> None:
    from selenium.webdriver.common.keys import Keys

    with served_page(tmp_path, str(WASHER)) as url:
        page.open(url)
        screen = page.wait_text("The leaking washer", "Dana: Your machine has flooded my kitchen floor", "1. I'm so sorry")
        assert "Coach" in screen
        page.press("1")
        screen = page.wait_text("Coach · reply 1", "Apologize", "Dana: Water everywhere")
        assert "+8 mood" in screen
        page.press(Keys.ARROW_DOWN, Keys.ENTER)
        page.wait_text("Coach · reply 2")

        # Every resource came from this server: no font service, no CDN.
        origin = page.run("return window.location.origin")
        resources = page.run("return performance.getEntriesByType('resource').map(entry => entry.name)")
        assert resources, "the page loaded no resources"
        outside = [name for name in resources if not name.startswith(origin) and not name.startswith("ws")]
        assert not outside, f"the page asked other machines for {outside}"
        assert "googleapis" not in page.run("return document.documentElement.outerHTML")

        # A favicon, served here.
        icon = page.run("return document.querySelector('link[rel=icon]').href")
        assert icon.startswith(origin)
        assert page.run(f"return fetch({icon!r}).then(r => r.ok && r.headers.get('content-type'))") == "image/svg+xml"

        # The symbols the app draws (ticks, warnings, the header's circle, blocks) come from a font served here.
        page.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "document.fonts.load('16px \"Roboto Mono\"', '✓✗⚠⭘🔎▌━').then(() => done(true), () => done(false));"
        )
        faces = page.run(
            "return [...document.fonts].filter(f => f.family.replace(/\"/g, '') === 'Roboto Mono')"
            ".map(f => [f.unicodeRange, f.status])"
        )
        symbols = [status for unicode_range, status in faces if "2010" in unicode_range.upper()]
        assert symbols == ["loaded"], f"the symbol font did not load: {faces}"


def test_a_vote_and_its_reveal_in_presenter_mode(tmp_path: Path, page: Page) -> None:
    from selenium.webdriver.common.keys import Keys

    with served_page(tmp_path, str(ROOM_STORY), "--present") as url:
        page.open(url)
        page.wait_text("Turn 1 · vote", "Noor: You've taken the money twice")
        page.press("1", "1", "2")
        page.wait_text("3 votes", "reply 1 leads")
        page.press(Keys.ENTER)
        page.wait_text("Turn 1 · predict", "The room gave reply 1 (2 of 3 votes)")
        page.press("r")
        screen = page.wait_text("Turn 1 · revealed", "Coach · turn 1, reply 1")
        assert "You said: I'm sorry. Tell me the dates of both charges?" in screen
        page.press(Keys.ENTER)
        page.wait_text("Turn 2 · vote", "Noor: The 3rd and the 4th. Same amount.")


GLYPHS = """
(() => {
  const canvas = document.createElement("canvas");
  canvas.width = 48;
  canvas.height = 48;
  const context = canvas.getContext("2d", { willReadFrequently: true });
  const drawn = (text, font) => {
    context.clearRect(0, 0, 48, 48);
    context.font = font;
    context.fillText(text, 8, 36);
    return Array.from(context.getImageData(0, 0, 48, 48).data).join(",");
  };
  const result = {};
  for (const ch of arguments[0]) {
    const base = ch.normalize("NFD")[0];
    result[ch] = {
      // The same pixels whatever the fallback: the page's own font draws it (no fallback, no box).
      ownFont: drawn(ch, '32px "Roboto Mono", serif') === drawn(ch, '32px "Roboto Mono", monospace'),
      // ...which means something only where the two fallbacks would draw it differently.
      fallbacksDiffer: drawn(ch, "32px serif") !== drawn(ch, "32px monospace"),
      // Not the bare letter: the accent, hook or ogonek is drawn.
      marked: drawn(ch, '32px "Roboto Mono"') !== drawn(base, '32px "Roboto Mono"'),
    };
  }
  return result;
})();
"""
"""For each letter: whether the terminal's font (Roboto Mono, served here) draws it, and draws it with its mark."""


def test_a_turn_in_latvian_in_the_browser_with_every_letter_drawn(tmp_path: Path, page: Page) -> None:
    import unicodedata

    with served_page(tmp_path, str(WASHER), "--lang", "lv") as url:
        page.open(url)
        screen = page.wait_text("Tekošā veļasmašīna", "Daina: Jūsu mašīna man appludināja virtuves grīdu.", "Trenera režīms")
        page.press("1")
        screen = page.wait_text("Treneris · 1. atbilde", "Atvainoties", "Daina: Ūdens visur, tek pa durvju blīvi.")
        assert "noskaņojums +8" in screen
        # The bytes arrive as UTF-8 and the terminal shows them as such: no mojibake anywhere on screen.
        assert "Ã" not in screen and "Ä" not in screen and "\ufffd" not in screen

        letters = sorted({ch for ch in screen if ord(ch) > 127 and unicodedata.category(ch).startswith("L")})
        assert {"ā", "ē", "ī", "ū", "š", "ž", "ļ", "ņ", "Ū"} <= set(letters), letters
        page.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "document.fonts.load('32px \"Roboto Mono\"', arguments[0]).then(() => done(true), () => done(false));",
            "".join(letters),
        )
        drawn = page.run("return " + GLYPHS.strip().rstrip(";").replace("arguments[0]", json.dumps("".join(letters))))
        assert {ch: found for ch, found in drawn.items() if not all(found.values())} == {}

        # The check can fail: a bare letter has no mark.
        control = page.run("return " + GLYPHS.strip().rstrip(";").replace("arguments[0]", json.dumps("a")))
        assert control["a"] == {"ownFont": True, "fallbacksDiffer": True, "marked": False}
