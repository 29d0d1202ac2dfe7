"""A summary that travels with a transfer, over the real mock servers on loopback, by keyboard (Pilot): the agent
answers a call, hears the caller ask for their money back, presses `t`; the dialog's note is drafted from what was
said; transferred to a queue, the contact center keeps it on the contact (`handover`), masked and signed with the
agent's name, for whoever is offered the call next. And on the same kind of call, the caller's mood on the call
area's title and a phrase the contact center lists among the supervisor's alerts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from agent_desktop.agent_desk.desk import Desk
from agent_desktop.ui.agent.conversations.desk_call import DeskCall
from agent_desktop.ui.agent.experts.transfer_dialog import TransferDialog
from agent_desktop.ui.shared.call_transcript_view import CallTranscriptView
from agent_desktop.ui.supervisor.alerts.said_alerts_table import SaidAlertsTable
from tests.support.desk_app import desk_app
from tests.support.scenes.pilot_steps import agent_screen, go_available, shows_connected, wait_until
from tests.support.scenes.scenes import SIZE, SceneServers, scene_servers


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[SceneServers]:
    with scene_servers(tmp_path, frozen=False, seed=7, customers=40, speed=2.0, call_transcripts=True) as served:
        yield served


async def answered_billing_call(pilot: Pilot[None], servers: SceneServers) -> Desk:
    """The agent available, a billing call through the IVR offered and answered by `a`; the agent's desk."""
    await go_available(pilot)
    servers.as_supervisor(
        "POST",
        "/v1/contacts",
        {
            "queue_id": "billing",
            "channel": "voice",
            "from_address": servers.caller(3).phone_e164,
            "attached": {"intent": "billing_inquiry"},
        },
    )
    desk = agent_screen(pilot).desk
    await wait_until(pilot, lambda: desk.offer is not None, "the offer")
    await pilot.press("a")
    return desk


async def test_a_calls_drafted_note_reaches_the_contact_center_with_the_transfer(servers: SceneServers) -> None:
    app = desk_app(servers.backends())
    async with app.run_test(size=SIZE) as pilot:
        desk = await answered_billing_call(pilot, servers)
        await wait_until(pilot, lambda: shows_connected(pilot), "the call connected")

        def heard() -> str:
            view = pilot.app.screen.query_one(DeskCall).query_one(CallTranscriptView)
            return " ".join(line.strip() for line in view.plain_lines())

        await wait_until(pilot, lambda: "money back" in heard(), "the caller asking for their money", 60)
        contact_id = desk.selected_id
        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, TransferDialog), "the transfer dialog")
        note = pilot.app.screen.query_one("#transfer-note", Input).value
        assert note.startswith("Intent: Billing dispute: charged twice"), note
        await pilot.press("1", "enter")  # the first queue offered, blind
        await wait_until(pilot, lambda: contact_id not in desk.held, "the call gone to the queue")
    contact: dict[str, Any] | None = servers.as_supervisor("GET", f"/v1/contacts/{contact_id}")
    assert contact is not None
    assert contact["handover"]["note"] == note
    assert contact["handover"]["by"] == "Alex Morgan"


async def test_what_a_caller_says_reads_as_their_mood_and_alerts_the_supervisor(servers: SceneServers) -> None:
    """The same call over the real servers: the caller's annoyance on the call area's title, and a phrase the
    contact center lists ("money back") on the supervisor's status line, the agent's row marked."""
    servers.as_supervisor("PUT", "/v1/said-alert-rules", {"words": ["money back"]})
    app = desk_app(servers.backends(supervisor=True), desks=("agent", "supervisor"))
    async with app.run_test(size=SIZE) as pilot:
        await answered_billing_call(pilot, servers)
        area = pilot.app.screen.query_one(DeskCall)
        await wait_until(pilot, lambda: "mood negative" in str(area.border_title), "the caller's mood", 60)
        await pilot.press("f2")
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "SupervisorScreen", "the supervisor")

        def status() -> str:
            return str(pilot.app.screen.query_one("#floor-status").render())

        def said() -> str:
            table = pilot.app.screen.query_one("#said-alerts", SaidAlertsTable)
            return "\n".join(table.row_text(key) for key in table.keys)

        # Both alerts of the call stay while the caller is there (the mood first, then the phrase): the status line
        # names the oldest and counts the rest, the alerts' table lists each.
        await wait_until(pilot, lambda: "“money back”" in said(), "the phrase among what customers said", 60)
        assert "ALERT Alex Morgan" in status(), status()
