"""The transfer dialog's list of agents speaks the desk's one vocabulary of agent states: each state's word is
`AgentState.label` and its colour the one map the status line and the supervisor's tables read
(agent_desktop/ui/shared/agent_state_styles.py), free agents first."""

from __future__ import annotations

from datetime import UTC, datetime

from textual.app import App, ComposeResult
from textual.content import Content
from textual.widgets import OptionList, Static

from agent_desktop.domain.models import Channel, Colleague, Contact, ContactState, Queue
from agent_desktop.domain.vocabulary import AgentState
from agent_desktop.ui.agent.experts.transfer_dialog import TransferDialog
from agent_desktop.ui.shared.agent_state_styles import AGENT_STATE_STYLES
from tests.support.narrowing import of_kind

NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)
CONTACT = Contact(
    id="c-1",
    channel=Channel.VOICE,
    queue_id="billing",
    queue_name="Billing",
    from_address="+15125550100",
    state=ContactState.CONNECTED,
    entered_queue_at=NOW,
)
QUEUE = Queue(id="billing", name="Billing")
COLLEAGUES = [
    Colleague(
        id="a-3", name="Noor Khan", state=AgentState.NOT_READY, reason="Lunch", state_since=NOW, queues=["billing"]
    ),
    Colleague(id="a-2", name="Sam Lee", state=AgentState.AFTER_CONTACT_WORK, state_since=NOW, queues=["billing"]),
    Colleague(id="a-1", name="Ada Park", state=AgentState.AVAILABLE, state_since=NOW, queues=["billing"]),
]


class _Desk(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("desk")


async def test_the_agent_list_shows_each_state_by_its_label_in_the_status_lines_colour() -> None:
    app = _Desk()
    async with app.run_test(size=(100, 30)) as pilot:
        await app.push_screen(TransferDialog(CONTACT, [QUEUE], [], COLLEAGUES))
        await pilot.press("2")
        await pilot.pause()
        targets = app.screen.query_one("#transfer-targets", OptionList)
        rows = [of_kind(targets.get_option_at_index(i).prompt, Content) for i in range(targets.option_count)]
        assert [row.plain[:20].rstrip() for row in rows] == [
            "● Available",
            "◔ After contact work",
            "◑ Not ready — Lunch",
        ]
        for row, colleague in zip(rows, sorted(COLLEAGUES, key=lambda c: c.id), strict=True):
            word = row.plain.index(colleague.state.label)
            styles = {span.style for span in row.spans if span.start <= word < span.end}
            assert styles == {AGENT_STATE_STYLES[colleague.state]}, row.plain
        # The filter finds an agent by the state's word as the list shows it.
        await pilot.press("f", *"after contact")
        await pilot.pause()
        assert [of_kind(targets.get_option_at_index(i).prompt, Content).plain for i in range(targets.option_count)] == [
            rows[1].plain
        ]
