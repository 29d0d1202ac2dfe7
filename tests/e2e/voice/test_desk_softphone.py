"""The desk driving a real softphone: the desk starts its own baresip (`[softphone] start = true`'s
launcher), a second real baresip calls it as the customer whose voice contact the mock contact center offers, and the
agent's keys act on both. Failures on real processes: the desk's softphone killed mid-call, one that stops answering
(SIGSTOP), and a caller whose SIP display name is hostile.

What is asserted is what the agent sees: the contact's row and the selected contact's panel, the status line, and the
keys offered. Pilot drives the desk; the softphone's events come from baresip itself, not from a hand-written fake.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import stat
import subprocess
import tempfile
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import pytest
from textual.pilot import Pilot

from agent_desktop.adapters.baresip.launcher import BaresipLauncher, LaunchPlan
from agent_desktop.adapters.baresip.softphone import BaresipSoftphone
from agent_desktop.agent_desk.commands import Where, enabled
from agent_desktop.agent_desk.voice.call_media import LinkState, MediaState
from agent_desktop.domain.calls.softphone import EndedBy
from agent_desktop.domain.models import Contact
from agent_desktop.domain.vocabulary import ContactState
from agent_desktop.ui.app import AgentDesktopApp
from agent_desktop.ui.textual_compat import notifications
from agent_desktop_mocks.ccaas.settings import DEMO_AGENT_ID
from tests.support.baresip import CtrlLink, running_baresip
from tests.support.desk_app import desk_app
from tests.support.in_process.contact_center import InProcessContactCenter
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import go_available, loaded, scene_mocks
from tests.support.scenes.pilot_steps import agent_screen, screen_text, wait_until

pytestmark = pytest.mark.heavy  # real softphones beside the desk: run alone (exclusive), as test_call_heard.py

CALLER = "15125550100"  # the caller's SIP user: the number the contact center offers the contact under
WAIT_S = 30.0  # the bound on each wait for the other processes
ANSWER_S = 2.0  # the desk's bound on a softphone command


def silence(path: Path, seconds: float = 120.0) -> Path:
    """A microphone that says nothing, at G.711's rate (aufile ends the call when its WAV ends)."""
    command = ["sox", "-n", "-r", "8000", "-c", "1", "-b", "16", str(path), "trim", "0", str(seconds)]
    subprocess.run(command, check=True, timeout=60)
    return path


class AcceptOnItsWay(InProcessContactCenter):
    """The mock contact center, whose accepts arrive only once `arrive` is set: an accept on a slow network. The mock
    decides on it as it arrives (its refusals included)."""

    def __init__(self, mocks: InProcessMocks, arrive: asyncio.Event) -> None:
        super().__init__(mocks.ccaas_app, DEMO_AGENT_ID)
        self.arrive = arrive

    async def accept_offer(self, offer_id: str) -> Contact:
        await asyncio.wait_for(self.arrive.wait(), WAIT_S)
        return await super().accept_offer(offer_id)


@asynccontextmanager
async def desk_with_softphone(
    tmp_path: Path, *, accepts_arrive: asyncio.Event | None = None
) -> AsyncIterator[tuple[AgentDesktopApp, InProcessMocks, BaresipLauncher]]:
    """The desk on in-process mocks, with the softphone `[softphone] start = true` builds (no sound card: a silent WAV
    as its microphone, no speaker); `accepts_arrive`: the contact center's accepts held on their way until it is set."""
    mocks = scene_mocks(tmp_path / "mocks")
    plan = LaunchPlan(
        tmp_path / "softphone",
        audio_source=f"aufile,{silence(Path(tempfile.mkdtemp(prefix='mic-')) / 'agent.wav')}",
        audio_player="",
    )
    launcher = BaresipLauncher(plan)
    backends = mocks.backends()
    if accepts_arrive is not None:
        backends.contact_center = AcceptOnItsWay(mocks, accepts_arrive)
    backends.softphone = BaresipSoftphone(answer_s=ANSWER_S, launcher=launcher)
    try:
        yield desk_app(backends, clock=mocks.clock.now), mocks, launcher
    finally:
        await launcher.stop()  # (the desk stopped it already, unless the test failed before)
        await mocks.aclose()


@contextmanager
def continued(launcher: BaresipLauncher) -> Iterator[None]:
    """A softphone a test stopped (SIGSTOP) is continued after, whatever happened, so that it can be stopped."""
    try:
        yield
    finally:
        if launcher.process is not None:
            os.killpg(launcher.process.pid, signal.SIGCONT)


async def offered_and_rung(pilot: Pilot[None], mocks: InProcessMocks, ring: object) -> str:
    """The contact offered to the agent, and its call ringing at the desk's softphone (matched to it by the caller's
    number): the offered contact's id."""
    desk = agent_screen(pilot).desk
    await mocks.place_call(f"+{CALLER}", channel="voice")
    await wait_until(pilot, lambda: desk.offer is not None, "the voice offer", timeout_s=WAIT_S)
    assert desk.offer is not None
    contact_id = desk.offer.contact.id
    await asyncio.to_thread(ring)  # type: ignore[arg-type]
    await wait_until(pilot, lambda: desk.softphone.media(contact_id) is not None, "the call matched", timeout_s=WAIT_S)
    return contact_id


def row_state(pilot: Pilot[None], contact_id: str) -> str:
    from agent_desktop.ui.agent.contacts.contact_list import ContactList

    table = pilot.app.screen.query_one("#contacts", ContactList)
    return str(table.get_cell(contact_id, "state"))


async def test_a_softphone_killed_mid_call_is_said_on_the_row_the_contact_stays_and_r_starts_it_again(
    tmp_path: Path,
) -> None:
    source = silence(tmp_path / "caller.wav")
    with running_baresip(tmp_path / "caller", CALLER, source) as caller:
        link = CtrlLink(caller.ctrl_port)
        async with desk_with_softphone(tmp_path) as (app, mocks, launcher):
            async with app.run_test(size=(120, 40)) as pilot:
                await loaded(pilot)
                desk = agent_screen(pilot).desk
                await wait_until(
                    pilot, lambda: desk.softphone.link is LinkState.UP, "the softphone up", timeout_s=WAIT_S
                )
                # Its own folder, the user's only, and its files too.
                assert stat.S_IMODE(os.stat(launcher.plan.folder).st_mode) == 0o700
                assert {stat.S_IMODE(p.stat().st_mode) for p in launcher.plan.folder.iterdir()} == {0o600}
                await go_available(pilot)
                contact_id = await offered_and_rung(pilot, mocks, lambda: link.command("dial", launcher.uri))
                await pilot.press("a")
                await wait_until(
                    pilot,
                    lambda: "☎ connected" in screen_text(pilot, "#contact-detail"),
                    lambda: f"the call connected: {screen_text(pilot, '#contact-detail')!r}",
                    timeout_s=WAIT_S,
                )
                link.wait_event("CALL_ESTABLISHED", WAIT_S)  # the caller's side too: answered by the desk's `a`
                await wait_until(pilot, lambda: "kHz" in screen_text(pilot, "#contact-detail"), "the codec")
                assert "PCMU 8 kHz" in screen_text(pilot, "#contact-detail")

                await pilot.press("M")  # the microphone muted on the softphone: the row and the panel say so
                await wait_until(pilot, lambda: row_state(pilot, contact_id) == "Muted", "the row to say Muted")
                assert "muted" in screen_text(pilot, "#contact-detail")

                assert launcher.process is not None
                os.killpg(launcher.process.pid, signal.SIGKILL)  # the softphone dies mid-call
                await wait_until(
                    pilot, lambda: row_state(pilot, contact_id) == "No sound!", "the row to say so", timeout_s=WAIT_S
                )
                assert "sound lost" in screen_text(pilot, "#contact-detail")
                assert "R reconnects" in screen_text(pilot, "#agent-status")
                held = desk.held[contact_id].contact
                assert held.state is ContactState.CONNECTED  # the contact stays in hand: only its sound is gone
                assert enabled(desk, Where())["reconnect_softphone"]
                assert not enabled(desk, Where())["toggle_mute"]  # no key for a softphone that is not there

                await pilot.press("R")
                await wait_until(
                    pilot, lambda: desk.softphone.link is LinkState.UP, "the softphone again", timeout_s=WAIT_S
                )
                assert "phone ●" in screen_text(pilot, "#agent-status")
                assert not enabled(desk, Where())["reconnect_softphone"]
                started_again = launcher.process
                assert started_again is not None
                assert started_again.returncode is None
            # The desk ended: its softphone with it.
            assert launcher.process is None
            assert started_again.returncode is not None
        link.close()


async def test_the_call_is_answered_as_the_accept_goes_and_hung_up_when_the_late_accept_is_refused(
    tmp_path: Path,
) -> None:
    """Latency: `a` answers the ringing call at once, not after the contact center's answer. The offer runs
    out while the accept is on its way, the contact center refuses it as it arrives: the call is hung up (the caller
    hears it end), the refusal is said, and the agent has no contact."""
    source = silence(tmp_path / "caller.wav")
    arrive = asyncio.Event()
    with running_baresip(tmp_path / "caller", CALLER, source) as caller:
        link = CtrlLink(caller.ctrl_port)
        async with (
            desk_with_softphone(tmp_path, accepts_arrive=arrive) as (app, mocks, launcher),
            app.run_test(size=(120, 40)) as pilot,
        ):
            await loaded(pilot)
            desk = agent_screen(pilot).desk
            await wait_until(pilot, lambda: desk.softphone.link is LinkState.UP, "the softphone up", timeout_s=WAIT_S)
            await go_available(pilot)
            contact_id = await offered_and_rung(pilot, mocks, lambda: link.command("dial", launcher.uri))

            def call_state() -> MediaState | None:
                media = desk.softphone.media(contact_id)
                return None if media is None else media.state

            await pilot.press("a")
            await wait_until(
                pilot,
                lambda: call_state() is MediaState.CONNECTED,
                lambda: f"the call answered while the accept is on its way: {call_state()}",
                timeout_s=WAIT_S,
            )
            await asyncio.to_thread(link.wait_event, "CALL_ESTABLISHED", WAIT_S)  # the caller is talking to the desk
            assert contact_id not in desk.held  # the contact center has not taken the accept yet

            pilot.app.clear_notifications()
            mocks.time.advance(mocks.settings.offer_timeout_s + 1)  # the offer runs out meanwhile
            arrive.set()  # the accept arrives late: refused
            await wait_until(
                pilot,
                lambda: call_state() is MediaState.ENDED,
                lambda: f"the call hung up after the refusal: {call_state()}",
                timeout_s=WAIT_S,
            )
            await asyncio.to_thread(link.wait_event, "CALL_CLOSED", WAIT_S)  # the caller hears it end
            media = desk.softphone.media(contact_id)
            assert media is not None
            assert media.ended_by is EndedBy.LOCAL
            assert contact_id not in desk.held
            assert desk.offer is None
            said = [str(n.title) for n in notifications(pilot.app)]
            assert "Accept" in said, said  # the refusal, as without a softphone
        link.close()


async def test_a_softphone_that_never_answers_is_said_on_the_row_within_its_bound(tmp_path: Path) -> None:
    source = silence(tmp_path / "caller.wav")
    with running_baresip(tmp_path / "caller", CALLER, source) as caller:
        link = CtrlLink(caller.ctrl_port)
        async with desk_with_softphone(tmp_path) as (app, mocks, launcher), app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            desk = agent_screen(pilot).desk
            await wait_until(pilot, lambda: desk.softphone.link is LinkState.UP, "the softphone up", timeout_s=WAIT_S)
            await go_available(pilot)
            contact_id = await offered_and_rung(pilot, mocks, lambda: link.command("dial", launcher.uri))
            assert launcher.process is not None
            with continued(launcher):
                os.killpg(launcher.process.pid, signal.SIGSTOP)  # it hears nothing more, and says nothing
                await pilot.press("a")
                await wait_until(
                    pilot,
                    lambda: contact_id in desk.held and row_state(pilot, contact_id) == "No sound!",
                    lambda: f"the row to say so: {screen_text(pilot, '#contacts')!r}",
                    timeout_s=ANSWER_S + WAIT_S,
                )
                shown = screen_text(pilot, "#contact-detail")
                assert "did not answer" in shown, shown
                assert desk.held[contact_id].contact.state is ContactState.CONNECTED
        link.close()


HOSTILE_NAME = "[@click=app.quit]x[/] [b]bold[/b] \x1b[31mred\x1b[0m \u202eevil"
LONG_HEADER = "X-Padding: " + "A" * 10_000


def hostile_invite(sip_port: int, local_port: int) -> bytes:
    """An INVITE whose From display name carries markup, an ANSI escape and a bidi override, with a 10 kB header and
    a 10 kB tail on the name: what a hostile or broken SIP side may send. Over TCP: baresip 1.0.0 reads at most 8 kB of
    a UDP datagram, so a 20 kB INVITE over UDP never reaches it."""
    sdp = (
        "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
        "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n"
    )
    name = (HOSTILE_NAME + " " + "N" * 10_000).replace('"', "")
    return (
        f"INVITE sip:agent@127.0.0.1:{sip_port} SIP/2.0\r\n"
        f"Via: SIP/2.0/TCP 127.0.0.1:{local_port};branch=z9hG4bKhostile1;rport\r\n"
        "Max-Forwards: 70\r\n"
        f'From: "{name}" <sip:{CALLER}@127.0.0.1:{local_port}>;tag=hostile\r\n'
        f"To: <sip:agent@127.0.0.1:{sip_port}>\r\n"
        "Call-ID: hostile-1@127.0.0.1\r\nCSeq: 1 INVITE\r\n"
        f"Contact: <sip:{CALLER}@127.0.0.1:{local_port}>\r\n"
        "X-Agent-Desktop-Contact: [red]not-a-contact[/red]\r\n"
        f"{LONG_HEADER}\r\n"
        f"Content-Type: application/sdp\r\nContent-Length: {len(sdp)}\r\n\r\n{sdp}"
    ).encode()


async def test_a_hostile_display_name_is_drawn_literally_on_one_line(tmp_path: Path) -> None:
    async with desk_with_softphone(tmp_path) as (app, mocks, launcher), app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        desk = agent_screen(pilot).desk
        await wait_until(pilot, lambda: desk.softphone.link is LinkState.UP, "the softphone up", timeout_s=WAIT_S)
        await go_available(pilot)
        with socket.create_connection(("127.0.0.1", launcher.sip_port), timeout=WAIT_S) as sip:
            invite = hostile_invite(launcher.sip_port, sip.getsockname()[1])
            contact_id = await offered_and_rung(pilot, mocks, lambda: sip.sendall(invite))
            media = desk.softphone.media(contact_id)
            assert media is not None
            assert media.state is MediaState.RINGING
            assert media.peer_name.startswith("[@click=app.quit]x[/]")  # as the softphone said it
            await pilot.press("a")
            await wait_until(pilot, lambda: contact_id in desk.held, "the contact in hand", timeout_s=WAIT_S)
            await wait_until(pilot, lambda: "from “" in screen_text(pilot, "#contact-detail"), "the caller's name")
            shown = screen_text(pilot, "#contact-detail")
            assert "[@click=app.quit]x[/] [b]bold[/b]" in shown, shown[:300]  # the markup as text, not as an action
            assert "\x1b" not in shown, repr(shown[:300])  # no escape reaches the terminal
            assert "\u202e" not in shown, repr(shown[:300])  # nor a bidi override
            assert "N" * 100 not in shown  # the 10 kB name cut to the line
            assert pilot.app.is_running
