"""Coaching on how a call is spoken (docs/voice.md "Coaching"), on the in-process backends: the
contact center's figures (its own `TalkMeter` fed frame by frame, published by its own `tell_coaching` on the agent's
stream and the supervisor's) read on one dim line under the call's transcript, never over the customer's words; a
long silence and the agent doing most of the talking said in words; fitted to the area at 80x24; the final figures
kept with the interaction in the CRM; the supervisor's monitor card reads the same and marks a paused recording."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Static

from agent_desktop.ui.agent.conversations.desk_call import DeskCall
from agent_desktop.ui.shared.call_transcript_view import CallTranscriptView
from agent_desktop.ui.supervisor.agent_table import AgentTable
from agent_desktop.ui.supervisor.monitoring.monitor_panel import MonitorPanel
from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.ccaas.voice.talk_figures import CallCoachingEvent, CoachingRules, TalkMeter
from agent_desktop_mocks.demo_people import callers
from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import InProcessMocks
from tests.support.scenes.pilot_steps import agent_screen, go_available, shows_connected, supervisor_screen, wait_until

AGENT = "agent-001"
SPEAKING, QUIET = 5, 0


@pytest.fixture
async def mocks(tmp_path: Path) -> AsyncIterator[InProcessMocks]:
    mocks = InProcessMocks(
        MockSettings(data_dir=tmp_path, seed=42, customers=20, experts=30, simulator=False, fresh=True)
    )
    yield mocks
    await mocks.aclose()


def figures(
    contact_id: str, frames: list[tuple[int, int]], *, words: int = 0, final: bool = False
) -> CallCoachingEvent:
    """What the contact center measures of `frames` (each side's level a quarter second), as it tells it."""
    rules = CoachingRules()
    meter = TalkMeter(rules)
    for customer, agent in frames:
        meter.frame(customer, agent)
    meter.words("agent", words)
    return CallCoachingEvent.of(contact_id, AGENT, meter.figures(), rules, final=final)


def talked_over(agent_s: float) -> list[tuple[int, int]]:
    """The agent speaks `agent_s`, the caller starts over them for 1 s and goes on 5 s, the agent again `agent_s`."""
    agent = [(QUIET, SPEAKING)] * round(agent_s * 4)
    return agent + [(SPEAKING, SPEAKING)] * 4 + [(SPEAKING, QUIET)] * 20 + agent


# Talk: the agent 5 + 1 + 0.5 (their hangover) + 5 s, the caller 1 + 5 + 0.5 s: 64% and 36%.
TALKED_OVER = talked_over(5)
# The agent 10 + 1 + 0.5 + 10 s of 28 s: 77%, most of the talk; then nobody speaks for 7 s (after the hangover).
SILENT_NOW = talked_over(10) + [(QUIET, QUIET)] * 30


def tell(mocks: InProcessMocks, event: CallCoachingEvent) -> None:
    mocks.ccaas_app.state.voice_leg.tell_coaching(event)  # the contact center's own publishing of the figures


def unwrapped(text: str) -> str:
    return " ".join(text.split("\n"))


def call_area(pilot: Pilot[None]) -> DeskCall:
    return pilot.app.screen.query_one(DeskCall)


def coaching_line(pilot: Pilot[None]) -> str:
    line = call_area(pilot).query_one("#call-coaching", Static)
    return str(line.render()) if line.display else ""


async def answered_call(pilot: Pilot[None], mocks: InProcessMocks) -> str:
    """A call answered and something said on it (its area in the experts' place): its contact id."""
    caller = callers(mocks.settings.seed, mocks.settings.customers)[3]
    await go_available(pilot)
    contact = await mocks.place_call(caller.phone_e164)
    await wait_until(pilot, lambda: agent_screen(pilot).desk.offer is not None, "the offer")
    await pilot.press("a")
    await wait_until(pilot, lambda: shows_connected(pilot), "the call connected")
    await step_until(pilot, mocks, lambda: agent_screen(pilot).desk.selected_call() is not None, "a line said")
    return contact.id


async def step_until(pilot: Pilot[None], mocks: InProcessMocks, condition: Callable[[], object], what: str) -> None:
    """The mock's time forward a little at a time (its caller and agent speak meanwhile), bounded."""
    for _ in range(150):
        if condition():
            return
        mocks.time.advance(0.4)
        await pilot.pause(0.02)
    raise AssertionError(f"{what}: not after 60 s of the mock's time")


async def test_the_call_area_says_how_the_call_is_spoken_under_the_transcript(mocks: InProcessMocks) -> None:
    app = desk_app(mocks.backends(), clock=mocks.clock.now)
    async with app.run_test(size=(120, 40)) as pilot:
        contact_id = await answered_call(pilot, mocks)
        assert coaching_line(pilot) == "", "no figures yet: no line taken"
        tell(mocks, figures(contact_id, TALKED_OVER, words=50))
        await wait_until(pilot, lambda: "cut in" in coaching_line(pilot), "the coaching line")
        line = coaching_line(pilot)
        assert line == "you 64% · caller 36%  cut in: you 0 · caller 1  0 long silences", line
        transcript = call_area(pilot).query_one(CallTranscriptView)
        coaching = call_area(pilot).query_one("#call-coaching", Static)
        assert coaching.region.y >= transcript.region.bottom, "under what is said, never over it"
        assert coaching.region.height == 1

        tell(mocks, figures(contact_id, SILENT_NOW, words=50))
        await wait_until(pilot, lambda: "silent 7 s" in coaching_line(pilot), "the silence said in words")
        line = coaching_line(pilot)
        assert line.startswith("silent 7 s  you talk most: 77% · caller 23%"), line
        drawn = call_area(pilot).query_one("#call-coaching", Static).render()
        assert isinstance(drawn, Content)
        styles = [str(span.style) for span in drawn.spans]
        assert styles[:2] == ["bold $warning", "bold $warning"], "what needs attention: bold, in its words"
        assert set(styles[2:]) <= {"dim"}, styles


async def test_at_80x24_the_line_keeps_what_needs_attention_and_the_shares(mocks: InProcessMocks) -> None:
    app = desk_app(mocks.backends(), clock=mocks.clock.now)
    async with app.run_test(size=(80, 24)) as pilot:
        contact_id = await answered_call(pilot, mocks)
        for _ in range(4):
            if call_area(pilot).display:
                break
            await pilot.press("f6")
            await pilot.pause(0.05)
        assert call_area(pilot).display, "f6 brings the call"
        tell(mocks, figures(contact_id, SILENT_NOW, words=50))
        await wait_until(pilot, lambda: "silent" in coaching_line(pilot), "the coaching line")
        line = coaching_line(pilot)
        assert line.startswith("silent 7 s  you talk most: 77% · caller 23%"), line
        assert len(line) <= call_area(pilot).content_region.width, "one line, not cut by the border"
        assert "wpm" not in line, "the pace given up first where there is no room"


async def test_the_final_figures_are_kept_with_the_interaction(mocks: InProcessMocks) -> None:
    app = desk_app(mocks.backends(), clock=mocks.clock.now)
    async with app.run_test(size=(120, 40)) as pilot:
        contact_id = await answered_call(pilot, mocks)
        tell(mocks, figures(contact_id, TALKED_OVER, words=50))
        await pilot.press("e")
        await wait_until(pilot, lambda: agent_screen(pilot).desk.wrap_up() is not None, "after-contact work")
        tell(mocks, figures(contact_id, talked_over(10) + [(QUIET, SPEAKING)] * 8, words=60, final=True))
        await wait_until(
            pilot, lambda: (c := agent_screen(pilot).desk.calls[contact_id].coaching) and c.final, "the final figures"
        )
        await pilot.press("w", "enter", "down", "enter", "tab", *"Billing question.", "ctrl+s")
        crm = mocks.crm()
        customer = f"cus-{3 + 1:06d}"

        async def notes() -> list[str]:
            mine = [i for i in await crm.list_interactions(customer) if i.agent_id == AGENT]
            return list((await crm.interaction(mine[0].id)).private_notes) if mine else []

        kept: list[str] = []
        for _ in range(100):
            kept = await notes()
            if kept:
                break
            await pilot.pause(0.05)
        said = [note for note in kept if note.startswith("How the call was spoken:")]
        assert said, kept
        # the final figures: the agent's 23.5 s of 30 s of talk, 60 words over them
        assert "agent talks most: 78% · caller 22%; cut in: agent 0 · caller 1" in said[0], said
        assert "0 long silences (over 5 s); wpm agent 153 · caller –" in said[0], said


async def test_the_supervisors_card_reads_the_figures_and_a_paused_recording(mocks: InProcessMocks) -> None:
    app = desk_app(mocks.backends(supervisor=True), clock=mocks.clock.now, desks=("agent", "supervisor"))
    async with app.run_test(size=(120, 40)) as pilot:
        contact_id = await answered_call(pilot, mocks)
        await pilot.press("P")
        recordings = mocks.ccaas_app.state.voice_leg.recordings
        await wait_until(pilot, lambda: (r := recordings.of(contact_id)) is not None and r.paused, "the pause")
        await pilot.press("f2")
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "SupervisorScreen", "the supervisor")
        screen = supervisor_screen(pilot)
        agents = screen.query_one("#agents", AgentTable)
        agents.focus()
        await wait_until(pilot, lambda: AGENT in screen.desk.floor.in_hand and agents.row_count > 0, "the floor")
        agents.move_cursor(agents.keys.index(AGENT))
        await pilot.pause(0.1)
        await pilot.press("j")
        await wait_until(pilot, lambda: screen.desk.monitored.contacts, "monitoring the call")

        def card() -> str:
            panel = screen.query_one(MonitorPanel)
            return "\n".join(str(call.render()) for call in panel.query(".monitor-call") if call.display)

        await wait_until(pilot, lambda: "No REC" in card(), "the paused recording on the card")
        tell(mocks, figures(contact_id, SILENT_NOW, words=50))  # the next figures (the first came before this desk)
        await wait_until(pilot, lambda: "silent" in card(), "the figures on the card")
        text = card()
        assert "No REC: the agent paused this call's recording" in text, text
        assert "silent 7 s  agent talks most: 77% · caller 23%  cut in: agent 0 · caller 1" in unwrapped(text), text
        assert "1 long silence (over 5 s)" in unwrapped(text), text

        recording = recordings.of(contact_id)
        assert recording is not None
        recording.resume(recordings.now())  # as the agent's `P` again
        await wait_until(pilot, lambda: "No REC" not in card(), "the mark gone with the pause")
