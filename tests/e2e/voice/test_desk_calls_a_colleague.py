"""A call to a colleague from the experts' directory, on the real voice path (docs/voice.md "A call to a
colleague"): the desk with its own softphone (`[softphone] start = true`, registered at sign-in), a free colleague of
the presence directory whose softphone (a baresip this test starts) is bound to their directory address at the mock
contact center; `C` on them in the experts list; the mock's SIP proxy rings the colleague's softphone (CALL_INCOMING),
they answer, and the desk's softphone leg of the contact is established; `e` hangs the colleague's call up.

The mock contact center, CRM and presence are served over HTTP in this process's threads, as
test_desk_places_a_call.py serves them. Heavy (two softphones): run alone."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

import httpx
import pytest
from textual.widgets import Input

from agent_desktop.agent_desk.voice.call_media import LinkState, MediaState
from agent_desktop.domain.vocabulary import Availability, ContactState
from agent_desktop_mocks.ccaas.settings import DEMO_SUPERVISOR_TOKEN
from tests.e2e.voice.test_call_rings_the_desk import media_state, mock_servers, softphone_desk
from tests.support.baresip import CtrlLink, running_baresip
from tests.support.scenes.pilot_steps import agent_screen, go_available, wait_until
from tests.support.speech import speak

pytestmark = pytest.mark.heavy  # two softphones and the mock's relay: run alone (exclusive)

WAIT_S = 30.0  # the bound on every wait for the other processes


def bind_softphone(ccaas_url: str, address: str, contact_uri: str) -> None:
    """The colleague's softphone bound to their directory address, as the directory's administration does."""
    with httpx.Client(base_url=ccaas_url, headers={"Authorization": f"Bearer {DEMO_SUPERVISOR_TOKEN}"}) as boss:
        bound = boss.put("/v1/colleagues/softphone", json={"address": address, "contact_uri": contact_uri})
        assert bound.status_code == 200, bound.text


async def test_c_rings_the_colleagues_softphone_they_answer_and_the_desks_leg_is_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))  # the desk's baresip folder: this test's, no other's
    short = Path(tempfile.mkdtemp(prefix="colleague-"))  # baresip 1.0.0 cuts a long `audio_source`
    colleague_mic = speak("Hi, it is me, what do you need", short / "colleague.wav", repeats=2, gap_s=0.8, pad_s=60)
    silence = speak(".", short / "agent.wav", repeats=1, gap_s=0.1, pad_s=120)
    with (
        mock_servers(tmp_path / "mocks") as ((ccaas_url, crm_url, presence_url), _voice),
        running_baresip(tmp_path / "colleague", "colleague", colleague_mic) as colleague_phone,
    ):
        link = CtrlLink(colleague_phone.ctrl_port, timeout_s=WAIT_S)
        app = softphone_desk([ccaas_url, crm_url, presence_url], tmp_path, silence)
        try:
            async with app.run_test(size=(120, 40)) as pilot:
                desk = agent_screen(pilot).desk
                await wait_until(pilot, lambda: desk.softphone.link is LinkState.UP, "the softphone", timeout_s=WAIT_S)
                await go_available(pilot)  # signed in (no caller waits in these mocks: no offer comes)
                await wait_until(pilot, lambda: len(desk.directory.experts) > 3, "the directory", timeout_s=WAIT_S)
                free = (Availability.AVAILABLE, Availability.AVAILABLE_IDLE)
                colleague = next(e for e in desk.directory.experts.values() if e.presence.availability in free)
                assert colleague.address is not None
                await asyncio.to_thread(bind_softphone, ccaas_url, colleague.address, colleague_phone.uri)

                await pilot.press("slash")
                pilot.app.screen.query_one("#expert-search", Input).value = colleague.name
                await wait_until(pilot, lambda: list(desk.directory.experts) == [colleague.id], "the search")
                await pilot.press("enter")
                highlighted = agent_screen(pilot).experts.highlighted
                await wait_until(pilot, lambda: (h := highlighted()) is not None and h.id == colleague.id, "their row")
                await pilot.press("C")
                await wait_until(pilot, lambda: len(desk.held) == 1, "the call in hand", timeout_s=WAIT_S)
                (contact_id,) = desk.held
                assert desk.held[contact_id].contact.colleague == colleague.name

                incoming = await asyncio.to_thread(link.wait_event, "CALL_INCOMING", WAIT_S)
                assert incoming.get("accountaor") == colleague_phone.uri, incoming
                answered = await asyncio.to_thread(link.command, "accept")
                assert answered.get("ok") is True, answered
                await asyncio.to_thread(link.wait_event, "CALL_ESTABLISHED", WAIT_S)
                await wait_until(
                    pilot,
                    lambda: media_state(pilot, contact_id) is MediaState.CONNECTED,
                    "the desk's softphone leg established",
                    timeout_s=WAIT_S,
                )
                await pilot.press("escape", "e")  # back to the contacts; the call ended
                closed = await asyncio.to_thread(link.wait_event, "CALL_CLOSED", WAIT_S)
                assert closed, "the colleague's call closed when the agent ended it"
                await wait_until(
                    pilot,
                    lambda: desk.held[contact_id].contact.state is ContactState.AFTER_CONTACT_WORK,
                    "after-contact work",
                    timeout_s=WAIT_S,
                )
        finally:
            link.close()
