"""Two calls in hand on the real voice path (docs/voice.md "Two calls in hand"): the desk with its own softphone
(`[softphone] start = true`, registered at sign-in) places a call with `D` to a first callee (a baresip this test
starts on the mock's line for that number), holds it with `h`, places a second with `D` to a second callee; both are
answered and carried by the desk's one baresip, each call a contact with its own row. `h` on the first while the second
talks puts the second on hold (a SIP hold of that leg, addressed by `callfind`) and then resumes the first; ending the
second leaves the first talking.

Media is proven by the levels the mock's relay measures on each call (what it passed on, drawn on the call's area as in
test_desk_places_a_call.py): each callee says a sentence over and over; a held call's callee sends nothing (baresip
1.0 sends only on `sendrecv`), so a call's caller level moves only while its leg talks on the softphone. Before the
desk held the talking call first, both legs talked after the switch (the second's level went on moving). Heavy (three
softphones and the mock's relay): run alone."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from agent_desktop.agent_desk.desk import Desk
from agent_desktop.agent_desk.voice.call_media import LinkState, MediaState
from agent_desktop.domain.vocabulary import ContactState
from agent_desktop.ui.agent.conversations.dial_pad import DialPad
from tests.e2e.voice.test_call_rings_the_desk import media_state, mock_servers, softphone_desk
from tests.support.baresip import CtrlLink, running_baresip
from tests.support.scenes.pilot_steps import agent_screen, go_available, screen_text, select_contact, wait_until
from tests.support.speech import speak

pytestmark = pytest.mark.heavy  # three softphones and the mock's relay: run alone (exclusive)

WAIT_S = 30.0  # the bound on every wait for the other processes
LOOK_S = 0.25  # how often the test reads the levels
HEARD_S = 12.0  # the bound on a callee's words being seen on their call's level
QUIET_S = 4.0  # a held call's level is read this long after its hold settled
SETTLE_S = 1.5  # a hold's or a resume's re-INVITE, and the relay's quarter-second meter behind it
FIRST, SECOND = "+12125550100", "+14155550123"  # the seed's first caller (a CRM customer) and another number
TYPED = {FIRST: "(212) 555-0100", SECOND: "(415) 555-0123"}  # as the desk's region (US) writes them


def caller_level(desk: Desk, contact_id: str) -> int:
    media = desk.softphone.media(contact_id)
    return media.caller_level if media is not None else -1


async def levels(desk: Desk, contact_id: str, seconds: float, *, until: Callable[[list[int]], bool]) -> list[int]:
    """The call's caller level as the desk holds it (the mock's relay measured it), read every LOOK_S for at most
    `seconds`, or until `until` holds of what was read."""
    seen: list[int] = []
    for _ in range(round(seconds / LOOK_S)):
        await asyncio.sleep(LOOK_S)
        seen.append(caller_level(desk, contact_id))
        if until(seen):
            break
    return seen


def moved(seen: list[int]) -> bool:
    """The callee's words seen: the level (0..8, steps of 6 dB) reached 2 and moved."""
    return max(seen, default=0) >= 2 and len(set(seen)) >= 2


async def placed_and_answered(pilot: Pilot[None], desk: Desk, number: str, callee: CtrlLink) -> str:
    """`D`, the number as the region writes it, enter; the callee rings and answers; connected on the softphone."""
    before = set(desk.held)
    await pilot.press("D")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, DialPad), "the dial pad")
    await wait_until(pilot, lambda: bool(getattr(pilot.app.screen, "choices", None)), "the caller IDs")
    await pilot.press(*["backspace"] * 20, *TYPED[number], "enter")
    await wait_until(pilot, lambda: len(set(desk.held) - before) == 1, "the call in hand", timeout_s=WAIT_S)
    (contact_id,) = set(desk.held) - before
    await asyncio.to_thread(callee.wait_event, "CALL_INCOMING", WAIT_S)
    answered = await asyncio.to_thread(callee.command, "accept")
    assert answered.get("ok") is True, answered
    await wait_until(
        pilot,
        lambda: media_state(pilot, contact_id) is MediaState.CONNECTED,
        f"{number} connected on the desk's softphone",
        timeout_s=WAIT_S,
    )
    return contact_id


async def test_a_second_call_while_the_first_holds_then_switched_back_one_leg_talking_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))  # the desk's baresip folder: this test's, no other's
    short = Path(tempfile.mkdtemp(prefix="callees-"))  # baresip 1.0.0 cuts a long `audio_source`
    first_says = speak("Hello, this is Pat speaking, how can I help you", short / "first.wav", repeats=8, pad_s=90)
    second_says = speak("Good morning, Sam here, what can I do for you", short / "second.wav", repeats=8, pad_s=90)
    silence = speak(".", short / "agent.wav", repeats=1, gap_s=0.1, pad_s=180)
    with (
        mock_servers(tmp_path / "mocks") as ((ccaas_url, crm_url, presence_url), voice),
        running_baresip(tmp_path / "first", "first", first_says) as first_phone,
        running_baresip(tmp_path / "second", "second", second_says) as second_phone,
    ):
        voice.lines.connect(FIRST, first_phone.uri)
        voice.lines.connect(SECOND, second_phone.uri)
        first_callee = CtrlLink(first_phone.ctrl_port, timeout_s=WAIT_S)
        second_callee = CtrlLink(second_phone.ctrl_port, timeout_s=WAIT_S)
        app = softphone_desk([ccaas_url, crm_url, presence_url], tmp_path, silence)
        try:
            async with app.run_test(size=(120, 40)) as pilot:
                desk = agent_screen(pilot).desk
                await wait_until(pilot, lambda: desk.softphone.link is LinkState.UP, "the softphone", timeout_s=WAIT_S)
                await go_available(pilot)

                first = await placed_and_answered(pilot, desk, FIRST, first_callee)
                seen = await levels(desk, first, HEARD_S, until=moved)
                assert moved(seen), f"the first callee's words never moved its level: {seen}"
                await pilot.press("h")
                await wait_until(
                    pilot, lambda: media_state(pilot, first) is MediaState.ON_HOLD, "the first held", timeout_s=WAIT_S
                )

                second = await placed_and_answered(pilot, desk, SECOND, second_callee)
                assert desk.held[first].contact.state is ContactState.ON_HOLD, "the first still on hold"
                rows = screen_text(pilot, "#contacts")
                assert "On hold" in rows, rows
                assert "Connected" in rows, rows
                seen = await levels(desk, second, HEARD_S, until=moved)
                assert moved(seen), f"the second callee's words never moved its level: {seen}"
                assert caller_level(desk, first) == 0, "the held first call sends nothing"

                await select_contact(pilot, first)
                await pilot.press("h")  # the first resumed: the second held first
                await wait_until(
                    pilot,
                    lambda: (
                        media_state(pilot, first) is MediaState.CONNECTED
                        and media_state(pilot, second) is MediaState.ON_HOLD
                    ),
                    "the second held and the first resumed",
                    timeout_s=WAIT_S,
                )
                assert desk.held[second].contact.state is ContactState.ON_HOLD
                assert desk.held[first].contact.state is ContactState.CONNECTED
                await asyncio.sleep(SETTLE_S)
                seen = await levels(desk, first, HEARD_S, until=moved)
                assert moved(seen), f"the resumed first callee's words never moved its level: {seen}"
                quiet = await levels(desk, second, QUIET_S, until=lambda _: False)
                assert max(quiet) == 0, f"the held second call talked on: {quiet}"

                await select_contact(pilot, second)
                await pilot.press("e")  # the held second ended: the first talks on
                await wait_until(
                    pilot,
                    lambda: desk.held[second].contact.state is ContactState.AFTER_CONTACT_WORK,
                    "the second ended",
                    timeout_s=WAIT_S,
                )
                assert await asyncio.to_thread(second_callee.wait_event, "CALL_CLOSED", WAIT_S)
                assert desk.held[first].contact.state is ContactState.CONNECTED, "the first as it was"
                assert media_state(pilot, first) is MediaState.CONNECTED
                seen = await levels(desk, first, HEARD_S, until=moved)
                assert moved(seen), f"the first call went quiet when the second ended: {seen}"
                calls = await asyncio.to_thread(first_callee.command, "listcalls")  # its events read meanwhile
                assert "ESTABLISHED" in str(calls.get("data")), calls
                assert not [e for e in first_callee.events if e.get("type") == "CALL_CLOSED"], "the first still up"
        finally:
            first_callee.close()
            second_callee.close()
