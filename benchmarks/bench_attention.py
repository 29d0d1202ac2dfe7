"""The agent's attention on a busy machine: a key, and an offer, until the frame that shows it, with every core
kept busy (tests/support/cpu_load.py: one spinning process a core, at this process's priority) and bare Textual
apps measured under the same load in the same run.

- `attention_key_to_frame_loaded`: the agent desk on the in-process backends (tests/support/in_process/), a chat
  in hand, its composer focused: a key posted as the terminal's driver posts it, until the end of the first
  paint after the composer holds the text typed so far. A key every 30 ms, as a fast typist's.
  References: `attention_key_to_frame_reference_loaded`, a bare app whose key sets a `Static` (the floor of any
  key), and `..._reference_textarea_loaded`, the fair one: a stock `TextArea` of the composer's height, focused,
  under a screenful of text, typed into the same way (the same visible work: a text area's line edited and
  painted); `attention_key_to_frame_vs_textarea_loaded` is the desk's figure read against it.
- `attention_offer_to_visible_loaded`: a call placed in the contact center (the mock's own route, in this
  process), until the end of the first paint with the offer's subject on the desk's offer card; the offer is
  rejected (`r`) and the agent made Available (`v`) before the next. `..._over_dialog_loaded`: the same with
  "my day" (`d`) open, until the offer over it (a box on the top screen, agent_desktop/ui/agent/offers/offer_over.py)
  is painted with the subject (the call is placed a second after the last key, as a floor's next call would).
  References: `attention_offer_to_visible_reference_loaded`, a bare app showing in a `Static` a message a thread
  posts to it (the floor: no routing, no lookup, one widget), and the fair ones, on the same in-process contact
  center and CRM as the desk (the engine routes the call in this process, the caller is looked up, both shown
  in one frame): `..._reference_routed_loaded` (two `Static`s, the offer's lines and the caller's, beside a
  40-row table) and `..._reference_over_modal_loaded` (a box docked in a layer of a modal view of my day's size
  and density, the base screen's two `Static`s changed under it as the desk's card is);
  `..._vs_routed_loaded` and `..._over_dialog_vs_modal_loaded` read the desk against them.

Targets: each desk p99 ≤ 2× its reference's p99 under the same load. Headless (`run_test`), so the terminal's
own write is in none. Every wait is bounded; the first samples of each are a warm-up and not counted.
Knobs: `BENCH_ATTENTION_KEYS` (default 300), `BENCH_ATTENTION_OFFERS` (default 40 each way),
`BENCH_ATTENTION_LOAD_PROCS` (default one a core).
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import queue
import tempfile
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from textual import events, work
from textual.app import App, ComposeResult
from textual.content import Content
from textual.css.query import NoMatches
from textual.message import Message
from textual.pilot import Pilot
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static, TextArea

from benchmarks.bench_transcript import FrameClock
from benchmarks.figures import timing
from tests.support.cpu_load import cores, cpu_load
from tests.support.narrowing import of_kind

if TYPE_CHECKING:
    from agent_desktop.ui.agent.offers.offer_over import OfferOver
    from tests.support.in_process.contact_center import InProcessContactCenter
    from tests.support.in_process.crm import InProcessCrm

T = TypeVar("T")

SIZE = (120, 40)
KEYS = int(os.environ.get("BENCH_ATTENTION_KEYS", "300"))
OFFERS = int(os.environ.get("BENCH_ATTENTION_OFFERS", "40"))
LOAD_PROCS = int(os.environ.get("BENCH_ATTENTION_LOAD_PROCS") or cores())
WARM_UP_KEYS, WARM_UP_OFFERS = 30, 3
KEY_EVERY_S = 0.03
FRAME_TIMEOUT_S = 10.0  # a key or an offer not shown by then fails the module
TEXT = "Thanks for waiting, I have refunded the late fee to your card ending 1111 and it shows in 3 days. "
RATIO_TARGET = 2.0


def _holds(condition: Callable[[], bool]) -> bool:
    try:
        return condition()
    except NoMatches:  # a widget the condition reads is not there yet: not yet
        return False


def shown(frames: FrameClock, condition: Callable[[], bool]) -> asyncio.Future[float]:
    """When the first frame painted while `condition` holds ends (checked as each frame is handed on, so a state
    that changed after the paint is never credited to it)."""
    future: asyncio.Future[float] = asyncio.get_running_loop().create_future()

    def check() -> None:
        if future.done():
            return
        if _holds(condition):
            future.set_result(time.perf_counter())
        else:
            frames.on_next_frame(check)

    frames.on_next_frame(check)
    return future


async def until(condition: Callable[[], bool], what: str, timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not _holds(condition):
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        await asyncio.sleep(0.005)


# --- a key ------------------------------------------------------------------------------------------------


async def type_keys(app: App[Any], frames: FrameClock, text_now: Callable[[], str]) -> list[float]:
    """Milliseconds from each key posted to the end of the paint showing it, the warm-up left out."""
    typed = text_now()
    latencies: list[float] = []
    for n in range(WARM_UP_KEYS + KEYS):
        char = TEXT[n % len(TEXT)]
        typed += char
        expected = typed

        def typed_shown(expected: str = expected) -> bool:
            return text_now() == expected

        frame = shown(frames, typed_shown)
        began = time.perf_counter()
        app.post_message(events.Key("space" if char == " " else char, char))
        painted = await asyncio.wait_for(frame, FRAME_TIMEOUT_S)
        if n >= WARM_UP_KEYS:
            latencies.append((painted - began) * 1000)
        await asyncio.sleep(KEY_EVERY_S)
    return latencies


class BareKeys(App[None]):
    """A key sets a `Static`: nothing the desk does for a key can be cheaper."""

    def __init__(self) -> None:
        super().__init__()
        self.typed = ""

    def compose(self) -> ComposeResult:
        yield Static(id="line")

    def on_key(self, event: events.Key) -> None:
        self.typed += event.character or ""
        self.query_one("#line", Static).update(Content(self.typed[-200:]))


async def reference_keys() -> list[float]:
    app = BareKeys()
    async with app.run_test(size=SIZE) as pilot:
        frames = FrameClock(app)
        await pilot.pause(0.5)
        return await type_keys(app, frames, lambda: app.typed)


class BareComposer(App[None]):
    """A stock `TextArea` of the desk's composer's size, focused, over a screen as full as the desk's: the same
    visible work as a key in the composer (a line of a text area edited and painted), in bare Textual."""

    CSS = """
    #above { height: 1fr; }
    TextArea { height: 8; }
    """

    def compose(self) -> ComposeResult:
        yield Static("\n".join(f"line {n} of what the desk shows above its composer" for n in range(30)), id="above")
        yield TextArea(id="composer", soft_wrap=True)


async def reference_composer_keys() -> list[float]:
    app = BareComposer()
    async with app.run_test(size=SIZE) as pilot:
        composer = app.query_one(TextArea)
        composer.focus()
        frames = FrameClock(app)
        await pilot.pause(0.5)
        return await type_keys(app, frames, lambda: composer.text)


async def desk_keys(folder: Path) -> list[float]:
    from tests.support.in_process.scenes import go_available, loaded, scene_app, scene_mocks, take

    mocks = scene_mocks(folder)
    try:
        app = scene_app(mocks)
        async with app.run_test(size=SIZE) as pilot:
            await loaded(pilot)
            await go_available(pilot)
            await take(pilot, mocks, "ana@example.com", "chat", "Late fee")
            await pilot.press("i")
            await until(lambda: getattr(app.focused, "id", None) == "composer", "the composer")
            composer = app.focused
            frames = FrameClock(app)
            await pilot.pause(1.0)
            return await type_keys(app, frames, lambda: composer.text)  # type: ignore[union-attr]
    finally:
        await mocks.aclose()


# --- an offer ---------------------------------------------------------------------------------------------


class BareOffers(App[None]):
    """A message posted from a thread shows in a `Static`: nothing the desk does to show an offer can be cheaper."""

    class Said(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self) -> None:
        super().__init__()
        self.showing = ""

    def compose(self) -> ComposeResult:
        yield Static(id="line")

    def on_bare_offers_said(self, message: Said) -> None:
        self.showing = message.text
        self.query_one("#line", Static).update(Content(message.text))


async def reference_offers() -> list[float]:
    app = BareOffers()
    asks: queue.Queue[str | None] = queue.Queue()
    posted: dict[str, float] = {}

    def poster() -> None:  # the world outside, on a thread of its own
        while (text := asks.get()) is not None:
            posted[text] = time.perf_counter()
            app.post_message(BareOffers.Said(text))

    thread = threading.Thread(target=poster, daemon=True)
    latencies: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        frames = FrameClock(app)
        thread.start()
        try:
            await pilot.pause(0.5)
            for n in range(WARM_UP_OFFERS + OFFERS):
                text = f"Offer {n}: late fee"

                def offer_shown(text: str = text) -> bool:
                    return app.showing == text

                frame = shown(frames, offer_shown)
                asks.put(text)
                painted = await asyncio.wait_for(frame, FRAME_TIMEOUT_S)
                if n >= WARM_UP_OFFERS:
                    latencies.append((painted - posted[text]) * 1000)
                await asyncio.sleep(0.2)
        finally:
            asks.put(None)
            thread.join(5)
    return latencies


class BareBox(Static):
    """A box shown over whatever screen is in front, as the desk's offer is (a docked layer of that screen)."""

    DEFAULT_CSS = """
    BareBox { layer: over; dock: top; width: 64; height: 7; margin: 16 0 0 28; border: heavy $warning;
              background: $surface; }
    """


class BareModal(ModalScreen[None]):
    """A modal view of about my day's size and density over the bare desk."""

    CSS = """
    BareModal { align: center middle; }
    #view { width: 100; height: 30; border: round $primary; background: $surface; }
    """

    def compose(self) -> ComposeResult:
        yield Static(
            "\n".join(
                f"{n:>2}  09:{n:02d}  handled 12  AHT 4:31  ACW 0:48  answered 96 %  adherence 91 %" for n in range(28)
            ),
            id="view",
        )


class BareRoutedOffers(App[None]):
    """The reference of the desk's offer: a bare Textual app on the same in-process contact center and CRM (the
    engine routes the call in this process, as it does for the desk), showing the offer with its caller's record
    in one frame: on the desk itself, two `Static`s (the offer's lines, the caller's) beside a table as full as
    the desk's; over a dialog (`over_modal`), a box docked in a layer of the modal view in front."""

    def __init__(self, contact_center: InProcessContactCenter, crm: InProcessCrm, over_modal: bool) -> None:
        super().__init__()
        self.contact_center, self.crm, self.over_modal = contact_center, crm, over_modal
        self.offer_id: str | None = None
        self.box: BareBox | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="offer")
        yield Static(id="summary")
        yield DataTable(id="floor")

    def on_mount(self) -> None:
        table = self.query_one("#floor", DataTable)
        table.add_columns("Contact", "Channel", "Queue", "Waiting", "Agent", "State")
        for n in range(40):
            table.add_row(f"c-{n}", "chat", "Billing", f"0:{n:02d}", f"agent {n}", "Talking")
        if self.over_modal:
            self.push_screen(BareModal())
        self.follow()

    @work(exclusive=True)
    async def follow(self) -> None:
        from agent_desktop.domain.models import OfferEvent

        async for item in self.contact_center.events():
            if not isinstance(item, OfferEvent):
                continue
            offer = item.offer
            found = await self.crm.lookup(offer.contact.from_address)
            name = found.customers[0].name if found.customers else "New caller"
            subject = offer.contact.subject or ""
            self.offer_id = offer.id
            # The desk's card shows the offer and its caller, under a dialog too: so does this base screen.
            base = self.screen_stack[0]
            base.query_one("#offer", Static).update(Content(f"{subject}\n{offer.contact.from_address}\n20 s left"))
            base.query_one("#summary", Static).update(Content(f"{name}\nconsent, cases, phones"))
            if self.over_modal:
                self.box = BareBox(Content(f"{subject}\n{name}\n{offer.contact.from_address}\n20 s left"))
                self.screen.mount(self.box)

    def showing(self) -> str:
        from tests.support.scenes.pilot_steps import text_of

        if self.over_modal:
            return text_of(self.box) if self.box is not None and self.box.is_mounted else ""
        return text_of(self.screen_stack[0].query_one("#offer", Static))


async def reference_routed_offers(folder: Path, over_modal: bool) -> list[float]:
    """Milliseconds from each call placed to the end of the paint showing it, on the bare app."""
    from agent_desktop.domain.vocabulary import AgentState
    from tests.support.in_process.scenes import caller, scene_mocks

    mocks = scene_mocks(folder)
    latencies: list[float] = []
    contact_center, crm = mocks.contact_center(), mocks.crm()
    try:
        app = BareRoutedOffers(contact_center, crm, over_modal)
        async with app.run_test(size=SIZE) as pilot:
            frames = FrameClock(app)
            await pilot.pause(0.5)
            for n in range(WARM_UP_OFFERS + OFFERS):
                await contact_center.set_state(AgentState.AVAILABLE)
                await asyncio.sleep(1.0 if over_modal else 0.2)
                subject = f"Offer {n}: late fee"

                def offer_shown(subject: str = subject) -> bool:
                    return subject in app.showing()

                frame = shown(frames, offer_shown)
                began = time.perf_counter()
                await mocks.place_call(caller(mocks, n % 50).phone_e164, subject=subject)
                painted = await asyncio.wait_for(frame, FRAME_TIMEOUT_S)
                if n >= WARM_UP_OFFERS:
                    latencies.append((painted - began) * 1000)
                if app.offer_id is not None:
                    await contact_center.reject_offer(app.offer_id)
                if app.box is not None:
                    await app.box.remove()
                    app.box = None
    finally:
        await mocks.aclose()
    return latencies


async def desk_offers(folder: Path, over_dialog: bool) -> tuple[list[float], list[float]]:
    """Milliseconds from each call placed to the end of the paint showing its offer, and (over a dialog) from the
    offer put up over it to that paint."""
    from agent_desktop.ui.agent.agent_screen import AgentScreen
    from agent_desktop.ui.agent.my_day.my_day_view import MyDayView
    from tests.support.in_process.scenes import caller, go_available, loaded, scene_app, scene_mocks
    from tests.support.scenes.pilot_steps import offer_in_front, screen_text, text_of

    mocks = scene_mocks(folder)
    latencies: list[float] = []
    pushed_to_painted: list[float] = []
    try:
        app = scene_app(mocks)
        pushed: list[float] = []
        async with app.run_test(size=SIZE) as pilot:
            await loaded(pilot)
            front = of_kind(app.screen, AgentScreen).front
            show_offer = front.show_offer

            def timed_show(box: OfferOver) -> None:
                pushed.append(time.perf_counter())
                return show_offer(box)

            front.show_offer = timed_show  # type: ignore[method-assign]  # the offer put up over what is open
            frames = FrameClock(app)
            for n in range(WARM_UP_OFFERS + OFFERS):
                await go_available(pilot)
                subject = f"Offer {n}: late fee"
                if over_dialog:
                    await pilot.press("d")
                    await until(lambda: isinstance(app.screen, MyDayView), "my day")
                    await asyncio.sleep(1.0)  # the agent reads their day a moment before the call comes

                    def visible(subject: str = subject) -> bool:
                        box = offer_in_front(app)
                        return box is not None and subject in text_of(box.query_one("#offer-over"))
                else:
                    await asyncio.sleep(0.2)

                    def visible(subject: str = subject) -> bool:
                        screen = app.screen
                        return isinstance(screen, AgentScreen) and subject in text_of(screen.query_one("#offer"))

                frame = shown(frames, visible)
                pushed.clear()
                began = time.perf_counter()
                await mocks.place_call(caller(mocks, n % 50).phone_e164, subject=subject)
                painted = await asyncio.wait_for(frame, FRAME_TIMEOUT_S)
                if n >= WARM_UP_OFFERS:
                    latencies.append((painted - began) * 1000)
                    if pushed:
                        pushed_to_painted.append((painted - pushed[0]) * 1000)
                await _reject(pilot, over_dialog, screen_text)
    finally:
        await mocks.aclose()
    return latencies, pushed_to_painted


async def _reject(pilot: Pilot[None], over_dialog: bool, screen_text: Callable[[Pilot[None], str], str]) -> None:
    """The offer sent back (`r`), what was open closed, the agent on the desk again (Missed until `v`)."""
    from agent_desktop.ui.agent.agent_screen import AgentScreen
    from tests.support.scenes.pilot_steps import offer_in_front

    app = pilot.app
    if over_dialog:
        await asyncio.sleep(0.5)  # `r` after a look at the offer: a run of keys of its own (attention rule 2)
    await pilot.press("r")
    if over_dialog:
        await until(lambda: offer_in_front(app) is None, "the offer over my day to close")
        await pilot.press("escape")
        await until(lambda: isinstance(app.screen, AgentScreen), "the desk")
    await until(lambda: "Missed" in screen_text(pilot, "#agent-status"), "the offer rejected")


# --- the run ----------------------------------------------------------------------------------------------


def _against(name: str, samples: list[float], reference: dict[str, Any], load: dict[str, Any]) -> dict[str, Any]:
    figure = timing(name, samples, target=f"p99 ≤ {RATIO_TARGET:g}× reference p99", unit="ms", digits=2)
    ratio = round(figure["p99"] / reference["p99"], 2) if reference["p99"] else None
    figure.update(
        reference=reference["name"],
        reference_p50=reference["p50"],
        reference_p99=reference["p99"],
        p99_ratio=ratio,
        p50_ratio=round(figure["p50"] / reference["p50"], 2) if reference["p50"] else None,
        met=ratio is not None and ratio <= RATIO_TARGET,
        **load,
    )
    return figure


def _phase(measuring: Coroutine[Any, Any, T], timeout_s: float) -> T:
    """One measured phase in a loop of its own, from a collected heap: the garbage an earlier phase left (a whole
    desk and its mocks) is not collected inside this one's figures."""
    gc.collect()
    return asyncio.run(asyncio.wait_for(measuring, timeout_s))


def run() -> Iterator[dict[str, Any]]:
    with tempfile.TemporaryDirectory() as folder, cpu_load(LOAD_PROCS, seconds=3600):
        load = {"load_procs": LOAD_PROCS, "cores": cores(), "load_avg_start": [round(x, 2) for x in os.getloadavg()]}
        time.sleep(2.0)  # the load is on every core before anything is measured
        keys_reference = _phase(reference_keys(), 600)
        keys_composer = _phase(reference_composer_keys(), 600)
        keys_desk = _phase(desk_keys(Path(folder) / "keys"), 900)
        offers_reference = _phase(reference_offers(), 600)
        offers_routed = _phase(reference_routed_offers(Path(folder) / "bare", False), 900)
        offers_desk, _ = _phase(desk_offers(Path(folder) / "offers", False), 900)
        offers_modal = _phase(reference_routed_offers(Path(folder) / "modal", True), 1200)
        offers_dialog, dialog_pushed_to_painted = _phase(desk_offers(Path(folder) / "dialog", True), 1200)
        load["load_avg_end"] = [round(x, 2) for x in os.getloadavg()]
    key_reference = timing("attention_key_to_frame_reference_loaded", keys_reference, "none (the floor)", "ms", 2)
    offer_reference = timing(
        "attention_offer_to_visible_reference_loaded", offers_reference, "none (the floor)", "ms", 2
    )
    composer_reference = timing(
        "attention_key_to_frame_reference_textarea_loaded", keys_composer, "none (the floor)", "ms", 2
    )
    routed_reference = timing(
        "attention_offer_to_visible_reference_routed_loaded", offers_routed, "none (the floor)", "ms", 2
    )
    modal_reference = timing(
        "attention_offer_to_visible_reference_over_modal_loaded", offers_modal, "none (the floor)", "ms", 2
    )
    yield key_reference | load
    yield composer_reference | load
    yield _against("attention_key_to_frame_loaded", keys_desk, key_reference, load)
    yield _against("attention_key_to_frame_vs_textarea_loaded", keys_desk, composer_reference, load)
    yield offer_reference | load
    yield routed_reference | load
    yield modal_reference | load
    yield _against("attention_offer_to_visible_loaded", offers_desk, offer_reference, load)
    yield _against("attention_offer_to_visible_vs_routed_loaded", offers_desk, routed_reference, load)
    over_dialog = _against("attention_offer_to_visible_over_dialog_loaded", offers_dialog, offer_reference, load)
    over_modal = _against(
        "attention_offer_to_visible_over_dialog_vs_modal_loaded", offers_dialog, modal_reference, load
    )
    if dialog_pushed_to_painted:
        part = timing("pushed", dialog_pushed_to_painted, "", "ms", 2)
        over_dialog["offer_put_up_to_painted_p50_p99"] = [part["p50"], part["p99"]]
        over_modal["offer_put_up_to_painted_p50_p99"] = [part["p50"], part["p99"]]
    yield over_dialog
    yield over_modal


if __name__ == "__main__":
    for figure in run():
        print(json.dumps(figure), flush=True)
