"""The scenes of tests/support/scenes/scenes.py and tests/support/scenes/conversation_scenes.py on the in-process mocks: the desk brought
into a state by keys, the outside world (a customer calls or writes) acting through the mocks' own routes.

Same steps, same keys and same callers as the scenes over sockets; the waits here poll the app until it is
idle instead of sleeping, and time moves only when a step needs a timer of the contact center (a consult leg
answered): `mocks.time.advance`, not a wait on the real clock.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable

from agent_desktop.domain.models import ParticipantRole
from agent_desktop.ui.app import AgentDesktopApp
from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.demo_people import Caller, callers
from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import InProcessMocks
from tests.support.scenes.pilot_steps import (
    agent_screen,
    back_to_contacts,
    customer_text,
    describe,
    screen_text,
    shows_connected,
    steady_cursors,
)
from tests.support.scenes.scenes import FROZEN_TIME, OFFER_CALLER, OFFER_SUBJECT

SIZE = (120, 40)


def scene_settings(data_dir: Path, *, seed: int = 42, customers: int = 300, speed: float = 1.0) -> MockSettings:
    """As `scene_servers` builds the mocks (frozen clock aside: in-process the test owns the clock)."""
    return MockSettings(
        data_dir=data_dir, seed=seed, customers=customers, experts=30, simulator=False, speed=speed, fresh=True
    )


def scene_mocks(data_dir: Path, **settings: float) -> InProcessMocks:
    """The three mocks of a scene, their clock starting at the scenes' frozen instant."""
    return InProcessMocks(scene_settings(data_dir, **settings), start=FROZEN_TIME)  # type: ignore[arg-type]


def scene_app(mocks: InProcessMocks, *, desks: tuple[str, ...] = ("agent",)) -> AgentDesktopApp:
    """The desk on `mocks`, reading the mocks' clock (so countdowns and deadlines agree); supervisor desk too
    when asked for."""
    backends = mocks.backends(supervisor="supervisor" in desks)
    return desk_app(backends, clock=mocks.clock.now, desks=desks)


def caller(mocks: InProcessMocks, index: int) -> Caller:
    return callers(mocks.settings.seed, mocks.settings.customers)[index]


async def wait_until(
    pilot: Pilot[None],
    condition: Callable[[], object],
    what: str | Callable[[], str],
    *,
    mocks: InProcessMocks | None = None,
    step_s: float = 0.0,
    timeout_s: float = 10.0,
) -> None:
    """Let the app work until `condition` holds; with `mocks` and `step_s`, the contact center's time moves
    `step_s` between looks (a timer the condition waits for). The deadline only bounds a broken run."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            said = what() if callable(what) else what
            raise AssertionError(f"timed out waiting for {said}; the screen showed:\n{describe(pilot)}")
        if mocks is not None and step_s:
            mocks.time.advance(step_s)
        await pilot.pause()


def routable(pilot: Pilot[None]) -> bool:
    status = screen_text(pilot, "#agent-status")
    return "● Available" in status or "● Offered" in status


async def loaded(pilot: Pilot[None]) -> None:
    """Everything the first screen loads: the agent (Offline), the experts and the queues."""
    steady_cursors(pilot)
    await wait_until(pilot, lambda: "Offline" in screen_text(pilot, "#agent-status"), "the agent to show Offline")
    await wait_until(pilot, lambda: pilot.app.screen.query_one("#expert-table", DataTable).row_count > 0, "the experts")
    await wait_until(pilot, lambda: bool(agent_screen(pilot).desk.queues), "the queues")


async def go_available(pilot: Pilot[None]) -> None:
    await pilot.press("v")
    await wait_until(pilot, lambda: routable(pilot), "the agent to be Available")


async def accept(pilot: Pilot[None]) -> None:
    await pilot.press("a")
    await wait_until(pilot, lambda: shows_connected(pilot), "the contact to be connected")
    if getattr(pilot.app.focused, "id", None) == "composer":  # a chat, SMS or email: back to the contacts
        await pilot.press("escape")


async def receive_offer(pilot: Pilot[None], mocks: InProcessMocks) -> Caller:
    """tests/support/scenes/scenes.py's `receive_offer`: the seeded caller with history rings, written as a person would."""
    who = caller(mocks, OFFER_CALLER)
    digits = who.phone_e164[2:]
    await mocks.place_call(f"({digits[:3]}) {digits[3:6]}-{digits[6:]}", subject=OFFER_SUBJECT)
    await wait_until(pilot, lambda: OFFER_SUBJECT in screen_text(pilot, "#offer"), "the offer")
    await wait_until(pilot, lambda: who.name in customer_text(pilot), "the screen pop")
    return who


async def end_and_fill_wrap_up(pilot: Pilot[None], notes: str) -> None:
    await pilot.press("e")
    await wait_until(pilot, lambda: "Wrap-up" in screen_text(pilot, "#contacts"), "after-contact work")
    await pilot.press("w", "enter", "down", "enter")  # open the dispositions and choose the second one
    await pilot.press("tab")
    await pilot.press(*notes)
    await pilot.pause()


async def agent_flow_until(pilot: Pilot[None], mocks: InProcessMocks, step: str) -> None:
    """tests/support/scenes/scenes.py's `agent_flow_until` for 'available', 'offer', 'connected', 'on-hold', 'consult' and
    'wrap-up'."""
    await loaded(pilot)
    await go_available(pilot)
    if step == "available":
        return
    await receive_offer(pilot, mocks)
    if step == "offer":
        return
    await accept(pilot)
    if step == "connected":
        return
    if step == "on-hold":
        await pilot.press("h")
        await wait_until(pilot, lambda: "On hold" in screen_text(pilot, "#contacts"), "the call on hold")
        return
    if step == "consult":  # the transfer dialog on the experts, set to consult, to expert 3; its leg answered
        await pilot.press("t")
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "TransferDialog", "the transfer dialog")
        await pilot.press("3", "c", "enter")
        connected = lambda: "connected" in screen_text(pilot, "#contact-detail")  # noqa: E731
        await wait_until(pilot, connected, "the consult answered", mocks=mocks, step_s=0.5)
        return
    if step == "wrap-up":
        await end_and_fill_wrap_up(pilot, "Refunded the duplicate charge; customer happy.")
        return
    raise ValueError(f"no such step: {step!r}")


async def take(
    pilot: Pilot[None],
    mocks: InProcessMocks,
    address: str,
    channel: str,
    subject: str,
    attached: dict[str, Any] | None = None,
) -> str:
    """tests/support/scenes/conversation_scenes.py's `take`: the customer writes in, `a` accepts; the contact id once their
    first message shows."""
    desk = agent_screen(pilot).desk
    await mocks.place_call(address, channel=channel, subject=subject, attached=attached)
    await wait_until(pilot, lambda: desk.offer is not None and desk.offer.contact.from_address == address, "the offer")
    await pilot.press("a")

    def in_hand() -> str | None:
        return next((cid for cid, held in desk.held.items() if held.contact.from_address == address), None)

    await wait_until(pilot, lambda: in_hand() is not None, "the contact in hand")
    await back_to_contacts(pilot)
    contact_id = in_hand()
    assert contact_id is not None
    await wait_until(
        pilot,
        lambda: any(i.role is ParticipantRole.CUSTOMER for i in desk.conversations[contact_id].items),
        "the customer's first message",
    )
    return contact_id
