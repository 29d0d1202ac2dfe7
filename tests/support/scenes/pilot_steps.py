"""Keyboard steps of the agent flow and ways to read the screen, for Pilot tests and benchmarks.

Nothing here knows about the mock servers, so a benchmark can drive the desktop
against servers in another process and measure the desktop alone.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from textual import events
from textual.app import App
from textual.css.query import NoMatches
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Input, TextArea

from agent_desktop.ui.textual_compat import character_key, notifications

if TYPE_CHECKING:
    from agent_desktop.ui.agent.agent_screen import AgentScreen
    from agent_desktop.ui.agent.offers.offer_over import OfferOver
    from agent_desktop.ui.app import AgentDesktopApp
    from agent_desktop.ui.supervisor.supervisor_screen import SupervisorScreen

ScreenKind = TypeVar("ScreenKind", bound=Screen[Any])


def in_front(pilot: Pilot[None], kind: type[ScreenKind]) -> ScreenKind:
    """The screen in front, as the kind of screen the test expects there (a test reading the desk's attributes
    off `pilot.app.screen` read them off this)."""
    screen = pilot.app.screen
    assert isinstance(screen, kind), f"{type(screen).__name__} in front, not {kind.__name__}"
    return screen


def agent_screen(pilot: Pilot[None]) -> AgentScreen:
    """The agent's screen, in front."""
    from agent_desktop.ui.agent.agent_screen import AgentScreen

    return in_front(pilot, AgentScreen)


def supervisor_screen(pilot: Pilot[None]) -> SupervisorScreen:
    """The supervisor's screen, in front."""
    from agent_desktop.ui.supervisor.supervisor_screen import SupervisorScreen

    return in_front(pilot, SupervisorScreen)


def desk_app_of(pilot: Pilot[None]) -> AgentDesktopApp:
    """The desk's app a Pilot drives (its runtime, its own attributes)."""
    from agent_desktop.ui.app import AgentDesktopApp

    app = pilot.app
    assert isinstance(app, AgentDesktopApp), f"{type(app).__name__} is not the desk's app"
    return app


def offer_in_front(app: App[Any]) -> OfferOver | None:
    """The offer over what is open, if it is up on the screen in front (agent_desktop/ui/agent/offers/offer_over.py)."""
    from agent_desktop.ui.agent.offers.offer_over import OfferOver

    return next((box for box in app.screen.query(OfferOver) if not box.closed), None)


def text_of(widget: Widget) -> str:
    """What a widget shows, as plain text (tables row by row)."""
    if isinstance(widget, DataTable):
        return "\n".join(" | ".join(str(cell) for cell in widget.get_row_at(i)) for i in range(widget.row_count))
    rendered = widget.render()
    return getattr(rendered, "plain", str(rendered))


POLL_S = 0.05


async def wait_until(
    pilot: Pilot[None], condition: Callable[[], object], what: str | Callable[[], str], timeout_s: float = 30.0
) -> None:
    """Let the app run until `condition` holds (events arrive over real sockets). A widget the condition reads
    that is not there yet (a dialog still composing, a pane being rebuilt) is "not yet", not a failure. `what`
    may be a function: the words are then read when the wait fails (what the screen shows by then). The deadline
    only bounds a broken run: with both cores kept busy a replayed desk took more than 10 s to show its experts."""
    deadline = time.monotonic() + timeout_s
    while True:
        if _holds(condition):
            await pilot.pause(0)  # what the app was told up to now is handled before the test goes on
            if _holds(condition):
                return
        if time.monotonic() > deadline:
            said = what() if callable(what) else what
            raise AssertionError(f"timed out waiting for {said}; the screen showed:\n{describe(pilot)}")
        # The app runs on this loop meanwhile. Not `pilot.pause(0.05)`: it posts a message to every widget of
        # the screen each time (~5 ms of CPU a look against 0.25 ms), and a suite of four workers mostly
        # waiting spent a core on it.
        await asyncio.sleep(POLL_S)


def _holds(condition: Callable[[], object]) -> bool:
    try:
        return bool(condition())
    except NoMatches:
        return False


def describe(pilot: Pilot[None]) -> str:
    """The agent's state, offer, contacts, focus and notifications: what a failing step saw."""
    parts = []
    for selector in ("#agent-status", "#offer", "#contacts", "#contact-detail", "#wrap-up-status"):
        try:
            parts.append(f"{selector}: {screen_text(pilot, selector)}")
        except Exception as error:  # noqa: BLE001 - a description must not fail
            parts.append(f"{selector}: <{error}>")
    parts.append(f"focused: {pilot.app.focused!r}")
    parts.append(f"notifications: {[n.message for n in notifications(pilot.app)]}")
    parts.append(f"workers: {[(w.name, w.state.name, repr(w.error)) for w in pilot.app.workers]}")
    return "\n".join(parts)


def screen_text(pilot: Pilot[None], selector: str) -> str:
    return text_of(pilot.app.screen.query_one(selector))


def card_text(pilot: Pilot[None], tab: str) -> str:
    """What the customer card's tab `tab` ("cases", "history", "orders", "account", "profile") holds, as text."""
    from agent_desktop.ui.agent.callers.card_tabs import CardTabs

    return pilot.app.screen.query_one("#customer-tabs", CardTabs).text(tab)


def customer_text(pilot: Pilot[None]) -> str:
    return screen_text(pilot, "#customer-summary")


def routable(pilot: Pilot[None]) -> bool:
    """Available, or already offered a contact: on a busy floor an offer comes the moment one is Available."""
    status = screen_text(pilot, "#agent-status")
    return "● Available" in status or "● Offered" in status


async def go_available(pilot: Pilot[None]) -> None:
    await wait_until(pilot, lambda: "Offline" in screen_text(pilot, "#agent-status"), "the agent to show Offline")
    await pilot.press("v")
    await wait_until(pilot, lambda: routable(pilot), "the agent to be Available")


def shows_connected(pilot: Pilot[None], selector: str = "#contacts") -> bool:
    """A contact in the list is connected as its row says it: "Connected", or a chat's turn words, "Waits 0:20"
    when the customer wrote last over 10 s ago (on a loaded machine the accept can take that long), "Reply 0:50"
    where the contact center sets a response target, or "Idle 0:12" when nobody has written for a while."""
    return re.search(r"Connected|\| (Waits|Idle|Reply) (\d|now)", screen_text(pilot, selector)) is not None


async def accept(pilot: Pilot[None]) -> None:
    await pilot.press("a")
    await wait_until(pilot, lambda: shows_connected(pilot), "the contact to be connected")
    if getattr(pilot.app.focused, "id", None) == "composer":  # a chat, SMS or email: back to the contacts
        await pilot.press("escape")


async def back_to_contacts(pilot: Pilot[None]) -> None:
    """A chat, SMS or email accepted puts the agent in its composer (agent_desktop/ui/agent/offers/write_on_accept.py):
    escape takes them back to the contacts list, where the scenes' desk keys (e, i, the next `a`) act."""
    await wait_until(pilot, lambda: getattr(pilot.app.focused, "id", None) == "composer", "the composer")
    await pilot.press("escape")


async def type_burst(pilot: Pilot[None], text: str) -> None:
    """Type `text` into the focused widget as one burst of keys, as a fast typist would: each key goes through
    the app's own key handling (bindings, the widget, the desk's drafts and "typing"), but the pilot waits
    for the app once, after the last key. A line break is the enter key (a text area adds one line). `pilot.press` waits after every key for the process to look idle
    (40-100 ms a key here), most of a scene's time."""
    app = pilot.app
    focused = app.focused
    before = _content(focused)
    for character in text:
        if character == "\n":  # a line break is the enter key, as a terminal sends it
            key, character = "enter", "\r"
        else:
            key = character if character.isalnum() else character_key(character)
        event = events.Key(key, character)
        event.set_sender(app)
        app.post_message(event)  # as the terminal's driver posts it
    await wait_until(pilot, lambda: len(_content(focused)) >= len(before) + len(text), f"{text!r} typed")
    await pilot.pause()


def _content(widget: Widget | None) -> str:
    value = getattr(widget, "text", None)
    return value if isinstance(value, str) else str(getattr(widget, "value", ""))


def steady_cursors(pilot: Pilot[None]) -> None:
    """A blinking cursor would make a capture depend on the moment it is taken (on a loaded machine the
    capture came more than the blink's 0.5 s after the notes took the focus, and the cursor was off)."""
    for widget in pilot.app.screen.query("Input, TextArea"):
        if isinstance(widget, Input | TextArea):
            widget.cursor_blink = False


async def end_and_fill_wrap_up(pilot: Pilot[None], notes: str, *, burst: bool = False) -> None:
    """`burst`: the notes typed as one burst of keys (`type_burst`), not one key at a time."""
    await pilot.press("e")
    await wait_until(pilot, lambda: "Wrap-up" in screen_text(pilot, "#contacts"), "after-contact work")
    await pilot.press("w", "enter", "down", "enter")  # open the dispositions and choose the second one
    await pilot.press("tab")
    if burst:
        await type_burst(pilot, notes)
    else:
        await pilot.press(*notes)
    await pilot.pause(0.1)


async def open_details(pilot: Pilot[None], table: str, key: str) -> None:
    """`d` on the row `key` of the supervisor's table `table` (its queue's contacts, or an agent's day)."""
    from agent_desktop.ui.supervisor.live_table import LiveTable

    rows = pilot.app.screen.query_one(table, LiveTable)
    await wait_until(pilot, lambda: key in rows.keys, f"{key} in {table}")
    rows.focus()
    rows.move_cursor(rows.keys.index(key))
    await pilot.press("d")


async def select_contact(pilot: Pilot[None], contact_id: str) -> None:
    """`contact_id` selected on the contacts list with `]`, as the agent moves to it."""
    desk = agent_screen(pilot).desk
    for _ in range(len(desk.held)):
        if desk.selected_id == contact_id:
            return
        await pilot.press("right_square_bracket")
        await pilot.pause()
    assert desk.selected_id == contact_id, "the contact selected with ]"
