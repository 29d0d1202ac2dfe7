"""Pickers a new agent can use by keyboard: transfer to an agent chosen by name from a list
with their queues and state, and escalate to an expert found by department, with arrows, letters and enter.
Against the real mocks on loopback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from textual.widgets import DataTable, Input

from agent_desktop.ui.agent.experts.transfer_dialog import TransferDialog
from tests.e2e.experts.test_presence_panel import directory, options_text, screen_name
from tests.support.narrowing import present
from tests.support.scenes.pilot_steps import accept, agent_screen, go_available, in_front, wait_until
from tests.support.scenes.scenes import SIZE, SceneServers, receive_offer, scene_app, scene_servers

AGENT = {"Authorization": "Bearer demo-agent-token"}
SUPERVISOR = {"Authorization": "Bearer demo-supervisor-token"}


def ccaas(
    servers: SceneServers, method: str, path: str, headers: dict[str, str] = SUPERVISOR, **kwargs: Any
) -> Any:  # the JSON answer
    response = httpx.request(method, f"{servers.ccaas_url}{path}", headers=headers, timeout=5, **kwargs)
    response.raise_for_status()
    return response.json()


def in_hand(servers: SceneServers) -> dict[str, Any]:
    contacts: list[dict[str, Any]] = ccaas(servers, "GET", "/v1/agents/agent-001/contacts", AGENT)
    return contacts[0] if contacts else {}


async def test_a_call_goes_to_an_agent_chosen_by_name_and_the_mode_keys_are_never_typed(tmp_path: Path) -> None:
    with scene_servers(tmp_path, frozen=False, customers=20) as servers:
        async with scene_app(servers, frozen=False).run_test(size=SIZE) as pilot:
            await go_available(pilot)
            await receive_offer(pilot, servers)  # a billing call
            await accept(pilot)
            contact_id = in_hand(servers)["id"]
            # A colleague signs in who takes billing calls: the list shows them by name, with queue and state.
            colleague = ccaas(servers, "GET", "/v1/agents/agent-002", {"Authorization": "Bearer agent-002-token"})
            ccaas(servers, "PUT", "/v1/agents/agent-002/state", json={"state": "available"})

            await pilot.press("t")
            await wait_until(pilot, lambda: screen_name(pilot) == "TransferDialog", "the transfer dialog")
            await pilot.press("2")
            rows = options_text(pilot)
            row = next(r for r in rows if colleague["name"] in r)
            assert "Available" in row, rows
            assert "Billing" in row, rows
            assert not any("Alex Morgan" in r for r in rows), "not oneself"
            dialog = in_front(pilot, TransferDialog)

            # f opens the filter; there b, c and 2 are letters of a name, not the mode or the kind.
            await pilot.press("f", "b", "c", "2")
            assert dialog.query_one("#transfer-filter", Input).value == "bc2"
            assert (dialog.mode, dialog.kind.value) == ("blind", "agent")
            await pilot.press("backspace", "backspace", "backspace", *colleague["name"].split()[-1].lower())
            assert [r for r in options_text(pilot) if r.strip()] == [row]
            await pilot.press("down", "enter")  # into the list, then transfer to the highlighted agent
            await wait_until(pilot, lambda: contact_id not in agent_screen(pilot).desk.held, "the call handed over")
        moved = ccaas(servers, "GET", f"/v1/contacts/{contact_id}")
        assert moved["transfer_path"][-1] == "agent:agent-002"
        assert moved["agent_id"] == "agent-002"


async def test_an_expert_found_by_department_with_arrows_letters_and_enter(tmp_path: Path) -> None:
    with scene_servers(tmp_path, frozen=False, customers=20) as servers:
        async with scene_app(servers, frozen=False).run_test(size=SIZE) as pilot:
            screen = pilot.app.screen
            await wait_until(pilot, lambda: screen.query_one("#expert-table", DataTable).row_count > 0, "the experts")
            # Department and skills are in view in the panel, not scrolled off to its right.
            table = screen.query_one("#expert-table", DataTable)
            widths = [column.get_render_width(table) for column in table.ordered_columns]
            assert sum(widths[:4]) <= table.scrollable_content_region.width, widths

            # A search typed for one contact does not stay for the next.
            await go_available(pilot)
            await pilot.press("slash", *"zzz")
            await wait_until(pilot, lambda: table.row_count == 0, "nobody matches zzz")
            await pilot.press("escape")
            await receive_offer(pilot, servers)
            await wait_until(pilot, lambda: screen.query_one("#expert-search", Input).value == "", "the search cleared")
            await wait_until(pilot, lambda: table.row_count > 1, "the whole directory again")
            await accept(pilot)

            expert = next(
                e for e in directory(servers) if e.presence.availability.is_free and e.department and e.address
            )
            same_department = [e for e in directory(servers) if e.department == expert.department]
            await pilot.press("slash", *present(expert.department).lower())
            await wait_until(pilot, lambda: table.row_count == len(same_department), f"the {expert.department} people")
            await pilot.press("down")  # from the search into the results
            assert pilot.app.focused is table
            assert table.cursor_row == 0
            names = [str(table.get_row_at(i)[1]).removeprefix("★ ") for i in range(table.row_count)]
            await pilot.press(*["down"] * names.index(expert.name), "enter")
            await wait_until(pilot, lambda: screen_name(pilot) == "ExpertActions", "the expert menu")
            assert options_text(pilot)[1] == f"Consult {expert.name}"
            await pilot.press("down", "enter")
            await wait_until(
                pilot,
                lambda: (in_hand(servers).get("consult") or {}).get("target", {}).get("id") == expert.address,
                "the consult leg to the expert",
            )
