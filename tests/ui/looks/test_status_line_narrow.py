"""The agent's status line in a narrow terminal: the links and the assistant's tokens stay in view, and what gives way
is the agent's id first, then their name (between 98 and 110 columns with an assistant, the name used to go with the id; at 80 neither fits)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from textual.app import App, ComposeResult

from agent_desktop.domain.assist.protocol import AssistantFigures
from agent_desktop.domain.models import Agent
from agent_desktop.domain.streams.link_status import LinkStatus
from agent_desktop.domain.vocabulary import AgentState
from agent_desktop.ui.agent.agent_status import AgentStatus

AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


class StatusApp(App[None]):
    def compose(self) -> ComposeResult:
        yield AgentStatus(id="status")


@pytest.mark.parametrize(
    ("width", "shown", "gone"),
    [(140, ["Alex Morgan", "(agent-001)"], []), (104, ["Alex Morgan"], ["agent-001"]), (70, [], ["Alex", "agent-001"])],
)
async def test_the_id_then_the_name_give_way_to_the_links_and_the_tokens(
    width: int, shown: list[str], gone: list[str]
) -> None:
    app = StatusApp()
    async with app.run_test(size=(width, 3)) as pilot:
        status = app.query_one(AgentStatus)
        status.agent = Agent(id="agent-001", name="Alex Morgan", state=AgentState.AVAILABLE, state_since=AT)
        status.now = AT
        status.links = {
            name: LinkStatus(backend=name, connected=True) for name in ("contact center", "CRM", "presence")
        }
        status.assistant = AssistantFigures(answering=True, spent_today=1204, daily_limit=100_000)
        await pilot.pause()
        line = status.render().plain
    assert "presence ●" in line, line
    assert "1,204 tokens" in line, line
    for words in shown:
        assert words in line, line
    for words in gone:
        assert words not in line, line


WORKER_SID = "WK0123456789abcdef0123456789abcdef"


@pytest.mark.parametrize("name", ["Alex Morgan", WORKER_SID], ids=["named", "no friendly name"])
async def test_a_twilio_worker_sid_is_never_shown_as_the_agents_id(name: str) -> None:
    # A new agent read a Worker SID (WK…) as their id. On Twilio the agent's id is their Worker's SID,
    # and a Worker with no friendly name is named by it too.
    app = StatusApp()
    async with app.run_test(size=(140, 3)) as pilot:
        status = app.query_one(AgentStatus)
        status.agent = Agent(id=WORKER_SID, name=name, state=AgentState.AVAILABLE, state_since=AT)
        status.now = AT
        await pilot.pause()
        line = status.render().plain
    assert "WK" not in line, line
    assert "Available" in line, line
    if name != WORKER_SID:
        assert "Alex Morgan" in line, line
