"""Participants' pages in real headless Chromium: join, vote, change the vote, lock-in and the reveal on each phone.

Uses Debian's ``chromium`` and ``chromium-driver`` (``apt-get install chromium
chromium-driver``) through Selenium; the driver is given by path, so nothing is
downloaded. When no browser is installed the tests are skipped and say why.
The projector is the real app (``roleplay room``) run by the Pilot; the
browsers are driven from worker threads so the app's event loop, which also
serves the page, keeps running.
"""

from __future__ import annotations

import asyncio
import shutil

import pytest

from roleplay.room.settings import RoomOptions
from roleplay.tui.app import create_app
from roleplay.tui.presenter_words import reveal_for_phones
from roleplay.tui.widgets.vote_tally import VoteTally
from tests.browser import browser_missing, headless_chromium
from tests.presenter.conftest import LARGE, press

from .conftest import CODE, open_room, until

PHONE = {"width": 360, "height": 640, "pixelRatio": 2.0}
"""A small phone's screen, in CSS pixels."""
WAIT = 20.0


MISSING = browser_missing()
pytestmark = pytest.mark.skipif(MISSING is not None, reason=MISSING or "")


class Browser:
    """One phone: a headless Chromium of its own (its own profile, so its own device token)."""

    def __init__(self) -> None:
        self.driver, self.profile = headless_chromium("roleplay-phone-", mobile=PHONE)

    # all of these block: call them through asyncio.to_thread
    def open(self, url: str) -> None:
        self.driver.get(url)

    def wait_for(self, script: str, what: str) -> object:
        from selenium.webdriver.support.ui import WebDriverWait

        return WebDriverWait(self.driver, WAIT, poll_frequency=0.05).until(
            lambda driver: driver.execute_script(script), message=f"the page did not show {what}"
        )

    def phase(self, phase: str) -> None:
        self.wait_for(f"return document.body.dataset.phase === {phase!r}", f"phase {phase}")

    def tap(self, choice: int) -> None:
        from selenium.webdriver.common.by import By

        self.driver.find_element(By.CSS_SELECTOR, f'#replies button[data-choice="{choice}"]').click()
        self.wait_for(
            f'return document.querySelector(\'#replies button[data-choice="{choice}"]\').getAttribute("aria-pressed") === "true"',
            f"the vote for {choice} confirmed",
        )

    def type_code(self, code: str) -> None:
        from selenium.webdriver.common.by import By

        field = self.driver.find_element(By.ID, "code")
        field.clear()
        field.send_keys(code)
        self.driver.find_element(By.CSS_SELECTOR, "#join button").click()

    def text(self, element_id: str) -> str:
        return self.driver.execute_script(f"return document.getElementById({element_id!r}).textContent")

    def run(self, script: str) -> object:
        return self.driver.execute_script(script)

    def quit(self) -> None:
        """Close the browser (a second call does nothing)."""
        if self.driver is None:
            return
        try:
            self.driver.quit()
        finally:
            self.driver = None
            shutil.rmtree(self.profile, ignore_errors=True)


@pytest.fixture(scope="module")
def idle_phones():
    """Browsers kept open between this module's tests (starting Chromium costs more than a test's pages);
    all are closed at the end."""
    idle: list[Browser] = []
    yield idle
    for browser in idle:
        browser.quit()


@pytest.fixture
async def browsers(idle_phones: list[Browser]):
    """Phones on demand: kept ones first, then new ones started in threads. Each test's room listens on a
    port of its own, a new origin, so a kept browser holds no device token for it: it joins as a new phone.
    After the test the ones still open leave the page and are kept."""
    taken: list[Browser] = []

    async def start(count: int) -> list[Browser]:
        kept = [idle_phones.pop() for _ in range(min(count, len(idle_phones)))]
        new = await asyncio.gather(*(asyncio.to_thread(Browser) for _ in range(count - len(kept))))
        taken.extend([*kept, *new])
        return [*kept, *new]

    yield start
    still_open = [browser for browser in taken if browser.driver is not None]
    await asyncio.gather(*(asyncio.to_thread(browser.open, "about:blank") for browser in still_open))
    idle_phones.extend(still_open)


def on_thread(function, *args):
    return asyncio.to_thread(function, *args)


async def test_phones_join_vote_change_lock_in_and_see_the_reveal(make_room_app, browsers) -> None:
    app = make_room_app(public_url=None)
    async with app.run_test(size=LARGE) as pilot:
        screen = await open_room(pilot)
        server = app.room_server
        first, second, third = await browsers(3)

        # two scan the QR code (the address with the code), one types the code by hand after a typo
        await asyncio.gather(on_thread(first.open, server.join_url), on_thread(second.open, server.join_url))
        await on_thread(third.open, server.url)
        await on_thread(third.phase, "code")
        await on_thread(third.type_code, "BCDFX")
        await on_thread(
            third.wait_for, "return document.getElementById('status').textContent.includes('not this room')", "the wrong code"
        )
        await on_thread(third.type_code, CODE.lower())
        await asyncio.gather(*(on_thread(phone.phase, "voting") for phone in (first, second, third)))
        assert await on_thread(first.text, "line") == " ".join(screen.session.node.say)
        assert await on_thread(first.run, "return document.querySelectorAll('#replies button').length") == 3
        labels = sorted([await on_thread(phone.text, "you") for phone in (first, second, third)])
        assert labels == ["Phone 1", "Phone 2", "Phone 3"]
        await until(pilot, lambda: "0 of 3 joined have voted" in str(screen.query_one("#presenter-room").render()), "3 joined")

        # the page fits a small phone and loaded nothing from elsewhere
        assert await on_thread(first.run, "return document.documentElement.scrollWidth <= window.innerWidth")
        origins = await on_thread(first.run, "return performance.getEntriesByType('resource').map(e => new URL(e.name).origin)")
        assert set(origins) <= {server.url.rstrip("/")}

        # vote, and one phone changes its mind
        await on_thread(first.tap, 1)
        await on_thread(second.tap, 2)
        await on_thread(third.tap, 2)
        await until(pilot, lambda: screen.query_one(VoteTally).counts == (1, 2, 0), "the projector shows 1, 2, 0")
        await on_thread(second.tap, 1)
        await until(pilot, lambda: screen.query_one(VoteTally).counts == (2, 1, 0), "the changed vote moves on the projector")
        assert "3 of 3 joined have voted" in str(screen.query_one("#presenter-room").render())
        assert "You voted 1" in await on_thread(second.text, "status")

        # lock in: the phones can no longer vote
        await press(pilot, "enter")
        await asyncio.gather(*(on_thread(phone.phase, "locked") for phone in (first, second, third)))
        assert await on_thread(third.run, "return [...document.querySelectorAll('#replies button')].every(b => b.disabled)")

        # reveal: each phone shows the mood change, the coaching and how it voted
        await press(pilot, "r")
        await asyncio.gather(*(on_thread(phone.phase, "revealed") for phone in (first, second, third)))
        result = screen.session.turns[-1]
        assert await on_thread(third.text, "chosen") == "You voted 2; the room chose 1."
        assert await on_thread(first.text, "chosen") == "You voted 1; the room chose 1."
        assert await on_thread(first.text, "mood") == f"Mood {result.mood_before} → {result.mood_after} (+{result.mood_change})."
        coaching = await on_thread(first.run, "return [...document.querySelectorAll('#coaching li')].map(li => li.textContent)")
        assert coaching and coaching[0].startswith("✓ ")
        assert await on_thread(first.text, "given") == f"Reply 1: {result.reply}"


async def test_a_browser_closed_mid_vote_and_a_reload_keep_the_count_right(make_room_app, browsers) -> None:
    app = make_room_app(public_url=None)
    async with app.run_test(size=LARGE) as pilot:
        screen = await open_room(pilot)
        server = app.room_server
        staying, leaving = await browsers(2)
        await asyncio.gather(on_thread(staying.open, server.join_url), on_thread(leaving.open, server.join_url))
        await asyncio.gather(on_thread(staying.phase, "voting"), on_thread(leaving.phase, "voting"))
        await on_thread(leaving.tap, 3)
        await on_thread(leaving.quit)  # the browser closes mid-vote: its vote stands, counted once
        await on_thread(staying.tap, 3)
        await on_thread(staying.run, "location.reload()")  # a reload rejoins as the same phone, with its vote
        await on_thread(staying.phase, "voting")
        assert await on_thread(staying.run, "return document.body.dataset.vote") == "3"
        await until(pilot, lambda: screen.query_one(VoteTally).counts == (0, 0, 2), "two votes, each counted once")
        assert len(app.audience.participants) == 2
        await on_thread(staying.tap, 1)
        await until(pilot, lambda: screen.query_one(VoteTally).counts == (1, 0, 1), "the change moves one vote")
        await press(pilot, "enter")  # a tie: the trainer breaks it
        assert screen.phase == "voting"
        await press(pilot, "c", "3")
        assert screen.room.records[-1].counts == (1, 0, 1)
        await on_thread(staying.phase, "locked")


DIACRITICS = "āčēģīķļņšūž õäöü ąćęłńóśźż čćđšž"
"""The letters of Latvian, Estonian, Polish and Croatian beyond English's."""
GLYPHS_DRAWN = r"""
const [letters] = arguments;
const canvas = document.createElement("canvas");
canvas.width = 40; canvas.height = 40;
const context = canvas.getContext("2d", { willReadFrequently: true });
context.font = getComputedStyle(document.body).font;
const pixels = (text) => {
  context.clearRect(0, 0, 40, 40);
  context.fillText(text, 4, 30);
  return context.getImageData(0, 0, 40, 40).data.join(",");
};
const missing = pixels("\u{10FFFD}");
return [...letters].filter((letter) => letter.trim() && pixels(letter) === missing);
"""
"""Which of the letters draw as the page font's 'missing glyph' box (none should)."""


async def test_a_latvian_room_joins_votes_and_sees_the_reveal_in_latvian(browsers) -> None:
    app = create_app("branch-not-answering", room=RoomOptions(port=0), language="lv")
    app.animation_level = "none"
    async with app.run_test(size=LARGE) as pilot:
        screen = await open_room(pilot)
        server = app.room_server
        phone, typist = await browsers(2)
        await on_thread(phone.open, server.join_url)
        await on_thread(typist.open, server.url)

        # the page before joining: its labels, a wrong code, in Latvian
        await on_thread(typist.phase, "code")
        assert await on_thread(typist.run, "return document.documentElement.lang") == "lv"
        assert await on_thread(typist.run, "return document.title") == "roleplay: grupas balsojums"
        assert (
            await on_thread(typist.run, "return document.querySelector('label').textContent") == "Grupas kods, kā redzams ekrānā"
        )
        assert await on_thread(typist.text, "status") == "Ievadiet ekrānā redzamo kodu."
        await on_thread(typist.type_code, "BCDFX")
        await on_thread(
            typist.wait_for, "return document.getElementById('status').textContent === 'Tas nav šīs grupas kods.'", "the refusal"
        )
        await on_thread(typist.type_code, app.audience.code)

        # the vote: the story's Latvian text layer, and the page's lines in Latvian
        await asyncio.gather(on_thread(phone.phase, "voting"), on_thread(typist.phase, "voting"))
        assert await on_thread(phone.text, "line") == " ".join(screen.session.node.say)
        assert screen.session.story.language == "lv"
        replies = await on_thread(
            phone.run, "return [...document.querySelectorAll('#replies button span:last-child')].map(s => s.textContent)"
        )
        assert replies == [choice.reply for choice in screen.session.offered()]
        assert await on_thread(phone.text, "turn") == "1. gājiens"
        assert await on_thread(phone.text, "status") == "Pieskarieties atbildei, kuru jūs sniegtu."
        assert await on_thread(phone.text, "hint") == "Jūsu balsojums ir anonīms."
        assert sorted([await on_thread(p.text, "you") for p in (phone, typist)]) == ["Telefons 1", "Telefons 2"]
        await on_thread(phone.tap, 1)
        await on_thread(typist.tap, 2)
        assert (await on_thread(phone.text, "status")).startswith("Jūsu balss: 1. Kamēr vadītājs")
        await until(pilot, lambda: screen.query_one(VoteTally).counts[:2] == (1, 1), "both votes on the projector")
        await press(pilot, "c", "1")  # a tie: the trainer gives reply 1
        await asyncio.gather(on_thread(phone.phase, "locked"), on_thread(typist.phase, "locked"))
        assert await on_thread(typist.text, "hint") == "Šajā gājienā nobalsoja 2 telefoni."

        # the reveal: the mood change, the coaching and how each voted, in Latvian
        await press(pilot, "r")
        await asyncio.gather(on_thread(phone.phase, "revealed"), on_thread(typist.phase, "revealed"))
        result = screen.session.turns[-1]
        assert await on_thread(phone.text, "chosen") == "Jūs balsojāt par 1. atbildi; vadītājs izvēlējās 1. atbildi."
        assert await on_thread(typist.text, "chosen") == "Jūs balsojāt par 2. atbildi; vadītājs izvēlējās 1. atbildi."
        mood = await on_thread(phone.text, "mood")
        assert mood in (
            f"Noskaņojums {result.mood_before} → {result.mood_after} ({result.mood_change:+d}).",
            f"Noskaņojums paliek {result.mood_after}.",
        )
        assert await on_thread(phone.text, "given") == f"1. atbilde: {result.reply}"
        coaching = await on_thread(phone.run, "return [...document.querySelectorAll('#coaching li')].map(li => li.textContent)")
        assert coaching == list(reveal_for_phones(result, screen.session, screen.room).coaching) and coaching
        assert any("noskaņojums" in note for note in coaching), coaching
        assert await on_thread(phone.text, "status") == "Tālāk — klienta atbilde ekrānā."

        # the letters draw as letters (no missing-glyph boxes), and nothing overflows a small phone
        assert await on_thread(phone.run, "return document.body.innerText.match(/[āčēģīķļņšūž]/g).length") > 5
        assert await on_thread(phone.driver.execute_script, GLYPHS_DRAWN, DIACRITICS) == []
        unassigned = "\U0010fffc"
        assert await on_thread(phone.driver.execute_script, GLYPHS_DRAWN, "a" + unassigned) == [unassigned], (
            "the check sees a box"
        )
        assert await on_thread(phone.run, "return document.documentElement.scrollWidth <= window.innerWidth")

        # the presenter switches to Polish: the page relabels itself and the next turn comes in Polish
        app.action_set_language("pl")
        await on_thread(phone.wait_for, "return document.documentElement.lang === 'pl'", "the page in Polish")
        assert await on_thread(phone.run, "return document.title") == "roleplay: głosowanie sali"
        await on_thread(phone.phase, "voting")
        await on_thread(phone.wait_for, "return document.getElementById('turn').textContent === 'Tura 2'", "turn 2 in Polish")
        assert await on_thread(phone.text, "status") == "Dotknij odpowiedzi, której chcesz udzielić."
        assert await on_thread(phone.text, "line") == " ".join(app.screen.session.node.say)
