"""Monitoring's "Done when", by keyboard (Pilot) over the real mock servers on loopback: a supervisor monitors a
chat in progress and sees the customer's next message (how fast: `bench_monitor`) while the customer gets no read receipt from
them; a whisper reaches the agent (their screen, with the bell) and never the customer; a barge message reaches
the customer; an agent's token cannot monitor; a supervisor cannot monitor a queue outside their own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from textual.pilot import Pilot

from agent_desktop.adapters.http.supervisor import HttpSupervisorConsole
from agent_desktop.domain.errors import BackendError
from agent_desktop.ui.shared.transcript_view import TranscriptView
from agent_desktop.ui.supervisor.agent_table import AgentTable
from agent_desktop.ui.supervisor.monitoring.monitor_panel import MonitorPanel
from tests.support.desk_app import desk_app
from tests.support.narrowing import present
from tests.support.scenes.pilot_steps import (
    agent_screen,
    back_to_contacts,
    end_and_fill_wrap_up,
    go_available,
    screen_text,
    shows_connected,
    supervisor_screen,
    wait_until,
)
from tests.support.scenes.scenes import SIZE, SceneServers, scene_servers
from tests.support.scenes.supervisor_scene import Floor, supervisor_app, wait_for_floor

AGENT = "agent-002"  # a simulated agent (billing, sales), played here by plain requests: no desk reads for them


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[SceneServers]:
    with scene_servers(tmp_path, frozen=False, seed=7, customers=40, speed=0.05) as served:
        yield served


def chat_in_hand(
    floor: Floor, servers: SceneServers, agent_id: str = AGENT, queue_id: str = "billing"
) -> dict[str, Any]:
    floor.set_state(agent_id, "available")
    servers.place_call(servers.caller(3).email, queue_id=queue_id, channel="chat", subject="Late fee")
    offer = floor.as_agent(agent_id, "GET", f"/v1/agents/{agent_id}/offers")[0]
    answer: dict[str, Any] = floor.as_agent(agent_id, "POST", f"/v1/offers/{offer['id']}/accept")
    return answer


def panel_text(pilot: Pilot[None]) -> str:
    panel = pilot.app.screen.query_one(MonitorPanel)
    lines = []
    for card in panel.query("MonitorCard"):
        if card.display:
            lines.append(f"{card.border_title} / {card.border_subtitle}")  # mode · agent / channel contact
            lines += card.query_one(".monitor-transcript", TranscriptView).plain_lines()
    return "\n".join(lines)


def customer_view(servers: SceneServers, contact_id: str) -> dict[str, Any]:
    return present(servers.as_supervisor("GET", f"/v1/contacts/{contact_id}/customer-view"))


async def say(pilot: Pilot[None], key: str, text: str) -> None:
    """Open the whisper (w) or barge (b) line and write in it once it has the focus: keys typed before would
    reach the Agents table, where l leaves and f filters."""
    await pilot.press(key)
    await wait_until(
        pilot, lambda: pilot.app.focused is not None and pilot.app.focused.id == "monitor-input", "the line"
    )
    await pilot.press(*text, "enter")


async def monitor_agent(pilot: Pilot[None], agent_id: str) -> None:
    await wait_for_floor(pilot)
    await pilot.press("tab", "tab")  # queues → staffing → agents
    table = pilot.app.screen.query_one("#agents", AgentTable)
    await wait_until(
        pilot,
        lambda: (
            agent_id in supervisor_screen(pilot).desk.floor.in_hand
            and supervisor_screen(pilot).desk.floor.in_hand[agent_id]
        ),
        "the contact in hand",
    )
    table.move_cursor(table.keys.index(agent_id))
    await pilot.press("j")


async def test_a_supervisor_sees_the_customer_s_next_message_and_sends_no_read_receipt(
    servers: SceneServers,
) -> None:
    floor = Floor(servers)
    contact = chat_in_hand(floor, servers)
    async with supervisor_app(servers).run_test(size=SIZE) as pilot:
        await monitor_agent(pilot, AGENT)
        await wait_until(
            pilot,
            lambda: contact["id"] in panel_text(pilot) and "Monitoring ·" in panel_text(pilot),
            "the monitor card",
        )
        servers.as_supervisor("POST", f"/v1/contacts/{contact['id']}/customer-messages", {"text": "Hello? Anyone?"})
        await wait_until(pilot, lambda: "Hello? Anyone?" in panel_text(pilot), "the customer's next message")
        view = customer_view(servers, contact["id"])
        assert view["read_up_to_item_id"] is None, "the supervisor read it: the customer got no receipt"
        assert "Riley Chen" not in view["participants"], "a silent monitor is not shown to the customer"
        agent_events = floor.as_agent(AGENT, "GET", f"/v1/contacts/{contact['id']}/participants")
        assert [p["role"] for p in agent_events["participants"]] == ["customer", "agent"], "not announced to the agent"


async def chat_taken_and_monitored(pilot: Pilot[None], servers: SceneServers) -> str:
    """The agent's desk takes a customer's chat, then the supervisor's desk (f2) monitors that agent; the
    contact's id."""
    await go_available(pilot)
    servers.place_call(servers.caller(3).email, channel="chat", subject="Late fee")
    await wait_until(pilot, lambda: "Late fee" in str(pilot.app.screen.query_one("#offer").render()), "the offer")
    await pilot.press("a")
    await wait_until(pilot, lambda: shows_connected(pilot), "the chat connected")
    await back_to_contacts(pilot)
    contact_id = present(agent_screen(pilot).desk.selected_id)
    await pilot.press("f2")
    await monitor_agent(pilot, "agent-001")
    await wait_until(pilot, lambda: "Monitoring ·" in panel_text(pilot), "the monitor card")
    return contact_id


async def test_a_whisper_reaches_the_agent_with_the_bell_never_the_customer_and_a_barge_the_customer(
    servers: SceneServers,
) -> None:
    backends = servers.backends(supervisor=True)
    app = desk_app(backends, desks=("agent", "supervisor"))
    bells: list[int] = []
    app.bell = lambda: bells.append(1)  # type: ignore[method-assign]
    app.NOTIFICATION_TIMEOUT = 120  # type: ignore[misc]  # an error toast stays until a failing step describes the screen
    async with app.run_test(size=SIZE) as pilot:
        contact_id = await chat_taken_and_monitored(pilot, servers)
        before = len(bells)
        await say(pilot, "w", "Offer the 5 dollar credit, card 4111 1111 1111 1111")
        await wait_until(
            pilot, lambda: "Whispering" in panel_text(pilot), lambda: f"whispering (the panel: {panel_text(pilot)!r})"
        )
        await say(pilot, "b", "Hello, I am the team lead")
        await wait_until(pilot, lambda: "Barged in" in panel_text(pilot), "barged in")

        await pilot.press("f2")
        transcript = pilot.app.screen.query_one("#transcript", TranscriptView)
        await wait_until(
            pilot,
            lambda: "Offer the 5 dollar credit" in "\n".join(transcript.plain_lines()),
            "the whisper on the agent's screen",
        )
        lines = "\n".join(transcript.plain_lines())
        assert "Whisper · Riley Chen" in lines
        assert "to the agent only" in lines
        assert "Hello, I am the team lead" in lines
        assert len(bells) > before, "the whisper rang the bell"
        assert "Riley Chen" in str(pilot.app.screen.query_one("#typing").render()), "the supervisor shown on the pane"

        view = customer_view(servers, contact_id)
        texts = [item["text"] for item in view["items"]]
        assert "Offer the 5 dollar credit" not in texts
        assert all(item["kind"] != "whisper" for item in view["items"])
        barge = next(item for item in view["items"] if item["text"] == "Hello, I am the team lead")
        assert (barge["role"], barge["display_name"]) == ("supervisor", "Riley Chen")
        assert "Riley Chen" in view["participants"]

        # Written back: the CRM's interaction has who supervised and when, and the whisper with the private
        # notes, masked; its customer-visible transcript has no whisper.
        await end_and_fill_wrap_up(pilot, "Credit offered.")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "1 sent" in screen_text(pilot, "#outbox-status"), "the CRM write")
    response = httpx.get(
        f"{servers.crm_url}/v1/interactions",
        params={"contact_id": contact_id},
        headers={"Authorization": "Bearer demo-crm-token"},
        timeout=5,
    )
    [written] = response.json()
    private = "\n".join(written["private_notes"])
    assert "Supervisor Riley Chen switched (whisper) at" in private
    assert "Supervisor Riley Chen switched (barge) at" in private
    assert "Whisper from Riley Chen at" in private
    assert "Offer the 5 dollar credit" in private
    assert "4111 1111 1111 1111" not in private, "the card number masked"
    assert "1111" in private, "the card number masked"
    crm_transcript = httpx.get(
        f"{servers.crm_url}/v1/interactions/{written['id']}",
        headers={"Authorization": "Bearer demo-crm-token"},
        timeout=5,
    ).json()["transcript"]
    assert "Hello, I am the team lead" in [line["text"] for line in crm_transcript]
    assert not any("Offer the 5 dollar credit" in line["text"] for line in crm_transcript)


async def test_an_agent_token_cannot_monitor_nor_a_supervisor_outside_their_queues(servers: SceneServers) -> None:
    floor = Floor(servers)
    sales = chat_in_hand(floor, servers, queue_id="sales")
    as_agent = HttpSupervisorConsole(servers.ccaas_url, "demo-agent-token")
    try:
        with pytest.raises(BackendError) as refused:
            await as_agent.monitor(sales["id"])
        assert refused.value.status == 403
        assert "only a supervisor" in refused.value.message
    finally:
        await as_agent.aclose()

    billing = HttpSupervisorConsole(servers.ccaas_url, "supervisor-billing-token")  # Jordan Blake, billing only
    try:
        with pytest.raises(BackendError) as refused:
            await billing.monitor(sales["id"])
        assert refused.value.status == 403
        assert "outside your queues (billing)" in refused.value.message
    finally:
        await billing.aclose()

    backends = servers.backends(supervisor=True)
    await present(backends.supervisor).aclose()
    backends.supervisor = HttpSupervisorConsole(servers.ccaas_url, "supervisor-billing-token")
    app = desk_app(backends, desks=("supervisor",))
    async with app.run_test(size=SIZE) as pilot:
        # The sales chat is not on a billing supervisor's floor at all: the agent, with nothing to monitor.
        await wait_for_floor(pilot)
        await wait_until(pilot, lambda: AGENT in supervisor_screen(pilot).desk.floor.agents, "the agent on the floor")
        assert not supervisor_screen(pilot).desk.floor.in_hand.get(AGENT), "a contact outside their queues is not shown"
        await pilot.press("tab", "tab")
        table = pilot.app.screen.query_one("#agents", AgentTable)
        table.move_cursor(table.keys.index(AGENT))
        await pilot.press("j")
        await pilot.pause(0.5)
        assert not pilot.app.screen.query_one(MonitorPanel).display
    response = httpx.get(
        f"{servers.ccaas_url}/v1/supervisor/monitoring",
        headers={"Authorization": "Bearer supervisor-billing-token"},
        timeout=5,
    )
    assert response.json() == []


async def test_a_silent_monitor_the_agent_is_not_told_of_is_in_the_crm_interaction_all_the_same(
    servers: SceneServers,
) -> None:
    """Announcing off (the default): the agent's desk is never told of a silent monitor,
    so it cannot write it; the supervisor's desk records its join and leave through its outbox, and the CRM
    gives them with the contact's interaction. The agent sees no supervisor, on screen or in their outbox."""
    backends = servers.backends(supervisor=True)
    app = desk_app(backends, desks=("agent", "supervisor"))
    async with app.run_test(size=SIZE) as pilot:
        contact_id = await chat_taken_and_monitored(pilot, servers)
        servers.as_supervisor("POST", f"/v1/contacts/{contact_id}/customer-messages", {"text": "Still there?"})
        await wait_until(pilot, lambda: "Still there?" in panel_text(pilot), "the customer's message on the card")
        await pilot.press("l")
        await wait_until(pilot, lambda: not pilot.app.screen.query_one(MonitorPanel).display, "left")

        await pilot.press("f2")
        await wait_until(
            pilot,
            lambda: (
                "Still there?" in "\n".join(pilot.app.screen.query_one("#transcript", TranscriptView).plain_lines())
            ),
            "the agent's transcript",
        )
        assert "Riley Chen" not in "\n".join(pilot.app.screen.query_one("#transcript", TranscriptView).plain_lines())
        assert "Riley Chen" not in str(pilot.app.screen.query_one("#typing").render()), "not announced: not shown"
        assert not agent_screen(pilot).desk.conversations[contact_id].supervision, "the agent's desk was never told"
        await pilot.press("e")  # the customer's last line is unanswered: the desk asks first
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "EndConversationDialog", "the question")
        await pilot.press("ctrl+e")
        await wait_until(pilot, lambda: "Wrap-up" in screen_text(pilot, "#contacts"), "after-contact work")
        await pilot.press("w", "enter", "down", "enter", "tab", *"Answered.")
        await pilot.press("ctrl+s")
        await wait_until(
            pilot, lambda: "1 sent" in screen_text(pilot, "#outbox-status"), "the CRM write (the agent's own only)"
        )

        def recorded() -> list[dict[str, Any]]:  # read back as a supervisor: the agents' CRM token reads none
            found = httpx.get(
                f"{servers.crm_url}/v1/interactions",
                params={"contact_id": contact_id},
                headers={"Authorization": "Bearer demo-crm-supervisor-token"},
                timeout=5,
            ).json()
            return found[0]["supervision"] if found else []

        await wait_until(pilot, lambda: len(recorded()) == 2, "the supervision records in the CRM")
    [joined, left] = recorded()
    assert (joined["supervisor_name"], joined["event"], joined["mode"]) == ("Riley Chen", "joined", "monitor")
    assert (left["event"], left["mode"]) == ("left", None)
    assert left["at"] >= joined["at"]
    assert joined["agent_id"] == "agent-001"
    assert joined["channel"] == "chat"
    written = httpx.get(
        f"{servers.crm_url}/v1/interactions",
        params={"contact_id": contact_id},
        headers={"Authorization": "Bearer demo-crm-token"},
        timeout=5,
    ).json()[0]
    assert not any("Riley Chen" in note for note in written["private_notes"]), (
        "the agent's notes: only what they were told"
    )
    assert written["supervision"] == [], "the agents' CRM token does not read back a silent monitor"
