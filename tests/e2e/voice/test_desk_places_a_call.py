"""A call the agent places, on the real voice path (docs/voice.md "Calls the agent places"): the
desk with its own softphone (`[softphone] start = true`, registered at sign-in), `D`, a number typed as the region
writes it, enter; the mock contact center places the call and its SIP proxy rings the number's line, a baresip this
test starts (the callee); the callee answers; the call is in hand on the desk's softphone, connected, and the callee's
words move the caller's level bar on the call's area (the mock's relay passes and measures them); `e` hangs up (the
callee's call closes) and the wrap-up is written back to the CRM for the customer of that number; and the callee
hanging up ends the contact as the customer's (the mock's proxy sees the BYE: it owns neither phone of the call); and
the agent ending a call still ringing stops the callee's ring.

The mock contact center, CRM and presence are served over HTTP in this process's threads, as
test_call_rings_the_desk.py serves them. Heavy (two softphones): run alone. No speech recognition: the level is the
proof the audio passed through the contact center (the relay measures only what it passed on)."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from textual.pilot import Pilot

from agent_desktop.agent_desk.desk import Desk
from agent_desktop.agent_desk.voice.call_media import LinkState, MediaState
from agent_desktop.app.backend_factory import build_backends
from agent_desktop.app.config import SoftphoneConfig
from agent_desktop.app.demo import demo_settings
from agent_desktop.domain.models import Interaction
from agent_desktop.domain.protocols import Crm
from agent_desktop.domain.vocabulary import ContactState
from agent_desktop.ui.agent.conversations.dial_pad import DialPad
from tests.e2e.voice.test_call_rings_the_desk import caller_level_shown, media_state, mock_servers
from tests.support.baresip import CtrlLink, running_baresip
from tests.support.desk_app import desk_app
from tests.support.scenes.pilot_steps import agent_screen, go_available, wait_until
from tests.support.speech import speak

pytestmark = pytest.mark.heavy  # two softphones and the mock's relay: run alone (exclusive)

WAIT_S = 30.0  # the bound on every wait for the other processes
NUMBER = "+12125550100"  # the seed's first caller: a customer of the CRM, so the wrap-up has a card to land on
TYPED = "(212) 555-0100"  # as the desk's region (US) writes it
CALLEE_SAYS = "Hello, this is Pat speaking, how can I help you today"
LOOK_S = 0.25


async def written_for(crm: Crm, customer_phone: str, contact_id: str, pilot: Pilot[None]) -> list[Interaction]:
    customers = await crm.search_customers(customer_phone)
    written: list[Interaction] = []
    for _ in range(round(WAIT_S / 0.1)):  # the outbox sends it in the background: bounded
        found = await crm.list_interactions(customers[0].id)
        written = [i for i in found if i.contact_id == contact_id]
        if written:
            break
        await pilot.pause(0.1)
    return written


@dataclass
class PlacedCall:
    pilot: Pilot[None]
    desk: Desk
    contact_id: str
    callee: CtrlLink
    crm: Crm


@asynccontextmanager
async def a_placed_call_answered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, answer: bool = True
) -> AsyncIterator[PlacedCall]:
    """The desk up with its own softphone, Available; `D`, the number typed, enter; the callee's baresip rings and
    (`answer`) answers; the call connected on the desk's softphone."""
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))  # the desk's baresip folder: this test's, no other's
    short = Path(tempfile.mkdtemp(prefix="callee-"))  # baresip 1.0.0 cuts a long `audio_source`
    voice_wav = speak(CALLEE_SAYS, short / "callee.wav", repeats=6, gap_s=0.8, pad_s=60)
    silence = speak(".", short / "agent.wav", repeats=1, gap_s=0.1, pad_s=120)
    with (
        mock_servers(tmp_path / "mocks") as ((ccaas_url, crm_url, presence_url), voice),
        running_baresip(tmp_path / "callee", "callee", voice_wav) as callee,
    ):
        voice.lines.connect(NUMBER, callee.uri)
        link = CtrlLink(callee.ctrl_port, timeout_s=WAIT_S)
        settings = demo_settings(ccaas_url, crm_url, presence_url, outbox_path=tmp_path / "outbox.db")
        softphone = SoftphoneConfig(start=True, audio_source=f"aufile,{silence}", audio_player="")
        backends = build_backends(settings.model_copy(update={"softphone": softphone}))
        app = desk_app(backends)
        try:
            async with app.run_test(size=(120, 40)) as pilot:
                desk = agent_screen(pilot).desk
                await wait_until(pilot, lambda: desk.softphone.link is LinkState.UP, "the softphone", timeout_s=WAIT_S)
                await go_available(pilot)
                await pilot.press("D")
                await wait_until(pilot, lambda: isinstance(pilot.app.screen, DialPad), "the dial pad")
                await wait_until(pilot, lambda: bool(getattr(pilot.app.screen, "choices", None)), "the caller IDs")
                await pilot.press(*TYPED, "enter")
                await wait_until(pilot, lambda: len(desk.held) == 1, "the call in hand", timeout_s=WAIT_S)
                (contact_id,) = desk.held
                incoming = await asyncio.to_thread(link.wait_event, "CALL_INCOMING", WAIT_S)
                assert incoming.get("accountaor") == callee.uri, incoming
                await wait_until(
                    pilot, lambda: media_state(pilot, contact_id) is MediaState.RINGING, "ringing on the desk"
                )
                if not answer:
                    yield PlacedCall(pilot, desk, contact_id, link, backends.crm)
                    return
                answered = await asyncio.to_thread(link.command, "accept")
                assert answered.get("ok") is True, answered
                await wait_until(
                    pilot,
                    lambda: media_state(pilot, contact_id) is MediaState.CONNECTED,
                    "connected on the desk's softphone",
                    timeout_s=WAIT_S,
                )
                yield PlacedCall(pilot, desk, contact_id, link, backends.crm)
        finally:
            link.close()


async def test_d_places_a_call_the_callee_answers_its_sound_moves_the_bar_and_it_wraps_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with a_placed_call_answered(tmp_path, monkeypatch) as call:
        pilot, desk, contact_id = call.pilot, call.desk, call.contact_id
        seen: list[int | None] = []
        for _ in range(round(WAIT_S / LOOK_S)):  # the callee's words, seen on the caller's bar (bounded)
            await asyncio.sleep(LOOK_S)
            seen.append(caller_level_shown(pilot))
            drawn = {level for level in seen if level is not None}
            if len(drawn) >= 2 and max(drawn) >= 2:
                break
        heard = [level for level in seen if level is not None]
        assert heard, f"no level bar drawn on the call's area: {seen}"
        assert max(heard) >= 2, f"the callee's words never moved the bar: {seen}"
        assert len(set(heard)) >= 2, f"the bar never moved: {seen}"
        await pilot.press("e")
        await wait_until(
            pilot,
            lambda: desk.held[contact_id].contact.state is ContactState.AFTER_CONTACT_WORK,
            "after-contact work",
            timeout_s=WAIT_S,
        )
        closed = await asyncio.to_thread(call.callee.wait_event, "CALL_CLOSED", WAIT_S)
        assert closed, "the callee's call closed when the agent ended it"
        await pilot.press("w", "enter", "down", "enter", "ctrl+s")
        await wait_until(pilot, lambda: not desk.held, "the call wrapped up", timeout_s=WAIT_S)
        written = await written_for(call.crm, NUMBER, contact_id, pilot)
        assert [i.agent_id for i in written] == ["agent-001"], "written back to the CRM with its wrap-up"


async def test_the_callee_hanging_up_ends_the_placed_call_as_the_customers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with a_placed_call_answered(tmp_path, monkeypatch) as call:
        hung_up = await asyncio.to_thread(call.callee.command, "hangup")
        assert hung_up.get("ok") is True, hung_up
        held = call.desk.held
        await wait_until(
            call.pilot,
            lambda: held[call.contact_id].contact.state is ContactState.AFTER_CONTACT_WORK,
            "the contact ended by the callee's hang-up",
            timeout_s=WAIT_S,
        )
        assert held[call.contact_id].contact.ended_by == "customer"
        assert media_state(call.pilot, call.contact_id) is MediaState.ENDED


async def test_the_agent_ending_a_call_still_ringing_stops_the_callees_ring(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CANCEL keeps the URI the softphone dialled: the proxy sends it on to the number's line, even once the
    contact has ended (before, it went back to the proxy itself and the callee rang on)."""
    async with a_placed_call_answered(tmp_path, monkeypatch, answer=False) as call:
        await call.pilot.press("e")
        closed = await asyncio.to_thread(call.callee.wait_event, "CALL_CLOSED", WAIT_S)
        assert closed, "the callee stopped ringing"
        held = call.desk.held
        assert held[call.contact_id].contact.state is ContactState.AFTER_CONTACT_WORK
