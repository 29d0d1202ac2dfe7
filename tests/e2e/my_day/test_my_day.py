"""My day on the real mock servers, the clock running: the agent takes a call by keys (offer, accept,
end, a disposition and notes, saved), takes a short break and comes back; `d` then shows one contact handled on
voice with its disposition in today's list and time spent not ready, and the panel says what the contact center's
own record of the day says (`GET /v1/agents/{id}/day`, the endpoint the desk reads)."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import httpx
from textual.pilot import Pilot
from textual.widgets import DataTable

from agent_desktop.agent_desk.my_day.my_day import figures
from agent_desktop.domain.vocabulary import AgentState, Channel
from agent_desktop.domain.workforce.agent_day import AgentDay
from agent_desktop.ui.agent.my_day.my_day_view import MyDayView
from tests.support.scenes.pilot_steps import end_and_fill_wrap_up, in_front
from tests.support.scenes.scenes import SIZE, accept, go_available, scene_app, scene_servers, screen_text, wait_until

AGENT = {"Authorization": "Bearer demo-agent-token"}


def status(pilot: Pilot[None]) -> str:
    return screen_text(pilot, "#agent-status")


def seconds_not_ready(pilot: Pilot[None]) -> int:
    """The status line's timer while not ready (`● Not ready — Break  0:02`), in seconds; 0 otherwise."""
    found = re.search(r"Not ready — [^\d]*?(\d+):(\d\d)", status(pilot))
    return int(found[1]) * 60 + int(found[2]) if found else 0


async def test_d_shows_the_day_the_contact_center_kept(tmp_path: Path) -> None:
    with scene_servers(tmp_path, frozen=False, customers=20) as servers:
        async with scene_app(servers, frozen=False).run_test(size=SIZE) as pilot:
            await go_available(pilot)
            contact = servers.place_call(servers.caller(4).phone_e164, subject="My day call")
            await wait_until(pilot, lambda: "My day call" in screen_text(pilot, "#offer"), "the offer")
            await accept(pilot)
            await end_and_fill_wrap_up(pilot, "Explained the late fee.")
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: screen_text(pilot, "#contacts") == "", "saved", timeout_s=20)
            await wait_until(pilot, lambda: "1 sent" in screen_text(pilot, "#outbox-status"), "the CRM write")

            await pilot.press("n")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "ReasonPicker", "the reason picker")
            await pilot.press("enter")  # the first reason
            await wait_until(pilot, lambda: "Not ready" in status(pilot), "on a break")
            # The status line's timer: a couple of whole seconds not ready, so the day's figure is not 0:00.
            await wait_until(pilot, lambda: seconds_not_ready(pilot) >= 2, "a short break")
            await pilot.press("v")
            await wait_until(pilot, lambda: "● Available" in status(pilot), "back from the break")

            await pilot.press("d")
            await wait_until(pilot, lambda: isinstance(pilot.app.screen, MyDayView), "the panel", timeout_s=20)
            panel = in_front(pilot, MyDayView)
            shown = panel.day
            text = screen_text(pilot, "#my-day-figures")
            assert "Handled 1  (voice 1)" in text, text
            assert "accepted 1" in text, text
            assert "missed 0" in text, text
            assert shown.in_state.get(AgentState.NOT_READY, timedelta(0)) >= timedelta(seconds=1), shown.in_state
            assert f"{AgentState.NOT_READY.label} 0:00" not in text, text
            completed = httpx.get(f"{servers.ccaas_url}/v1/contacts/{contact['id']}", headers=AGENT, timeout=5).json()
            assert completed["state"] == "completed", completed
            assert completed["disposition"], completed
            table = panel.query_one("#my-day-contacts", DataTable)
            assert table.row_count == 1
            row = [str(getattr(c, "plain", c)) for c in table.get_row(contact["id"])]
            assert (row[1], row[5]) == ("voice", completed["disposition"]), row

            # The contact center's own answer: the same contacts, dispositions, offers and time not ready.
            answer = httpx.get(f"{servers.ccaas_url}/v1/agents/agent-001/day", headers=AGENT, timeout=5)
            kept = figures(AgentDay.model_validate(answer.json()))
            assert kept.handled == shown.handled
            assert kept.handled[Channel.VOICE] == 1
            assert [(c.id, c.channel, c.disposition) for c in kept.contacts] == [
                (c.id, c.channel, c.disposition) for c in shown.contacts
            ]
            assert kept.offers == shown.offers
            # The break is over: its length is the same whenever the day is read.
            assert kept.in_state[AgentState.NOT_READY] == shown.in_state[AgentState.NOT_READY]
            await pilot.press("escape")
            await wait_until(pilot, lambda: not isinstance(pilot.app.screen, MyDayView), "closed")
