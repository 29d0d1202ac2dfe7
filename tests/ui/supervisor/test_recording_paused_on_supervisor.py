"""The supervisor sees which calls have their recording paused (docs/voice.md "Recording, paused for
card data"): the agent's `P` pauses it at the contact center, which says so on the supervisor's stream, and the
agent's row in the agents table reads `No REC` in the warning colour until the recording resumes."""

from __future__ import annotations

from rich.text import Text

from agent_desktop.ui.supervisor.agent_table import AgentTable
from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import accept, go_available, loaded, receive_offer, wait_until
from tests.support.scenes.pilot_steps import agent_screen, supervisor_screen

AGENT = "agent-001"
PAUSED = "No REC"


def painted(table: AgentTable) -> list[str]:
    """The table's lines as drawn on the screen."""
    return [table.render_line(y).text for y in range(table.size.height)]


async def test_a_paused_recording_marks_the_agents_row_on_the_supervisors_table(mocks: InProcessMocks) -> None:
    app = desk_app(mocks.backends(supervisor=True), clock=mocks.clock.now, desks=("agent", "supervisor"))
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await go_available(pilot)
        await receive_offer(pilot, mocks)
        await accept(pilot)
        contact_id = agent_screen(pilot).desk.selected_id
        assert contact_id is not None
        await pilot.press("P")
        recordings = mocks.ccaas_app.state.voice_leg.recordings
        await wait_until(pilot, lambda: (r := recordings.of(contact_id)) is not None and r.paused, "the pause")
        await pilot.press("f2")
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "SupervisorScreen", "the supervisor screen")
        agents = supervisor_screen(pilot).query_one("#agents", AgentTable)
        await wait_until(pilot, lambda: AGENT in agents, "the agent's row")

        def contacts() -> Text:
            return agents.cell(AGENT, "contacts")

        await wait_until(pilot, lambda: contacts().plain.startswith(PAUSED), "the row to mark the paused recording")
        await pilot.pause()
        assert any(PAUSED in line for line in painted(agents)), painted(agents)
        marked = [span for span in contacts().spans if span.start == 0 and span.end >= len(PAUSED)]
        assert any("yellow" in str(span.style) for span in marked), "not in the warning colour"

        recording = recordings.of(contact_id)
        assert recording is not None
        recording.resume(recordings.now())  # as the agent's `P` again: the contact center resumes it
        await wait_until(pilot, lambda: PAUSED not in contacts().plain, "the mark to go with the pause")
        await pilot.pause()
        assert not any(PAUSED in line for line in painted(agents)), painted(agents)
