"""The experts panel against the real mock presence server: suggestions, skill filter, live presence,
the action menu with the next best available expert, and an escalation message that gets a reply."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from textual.pilot import Pilot
from textual.widgets import OptionList, TextArea

from agent_desktop.agent_desk.experts.experts import matching_skills
from agent_desktop.domain.models import Expert
from agent_desktop.ui.textual_compat import notifications
from tests.conftest import Servers
from tests.support.narrowing import present
from tests.support.scenes.expert_scenes import experts_table_text, focus_expert, set_presence
from tests.support.scenes.scenes import (
    OFFER_SUBJECT,
    SIZE,
    SceneServers,
    accept,
    agent_flow_until,
    receive_offer,
    scene_app,
    scene_servers,
    screen_text,
    wait_until,
)

AUTH = {"Authorization": "Bearer demo-presence-token"}
CCAAS_AUTH = {"Authorization": "Bearer demo-agent-token"}


def directory(servers: Servers | SceneServers) -> list[Expert]:
    return [Expert.model_validate(p) for p in httpx.get(f"{servers.presence_url}/v1/people", headers=AUTH).json()]


def screen_name(pilot: Pilot[None]) -> str:
    return type(pilot.app.screen).__name__


def options_text(pilot: Pilot[None]) -> list[str]:
    options = pilot.app.screen.query_one("OptionList", OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_suggested_experts_live_presence_and_the_skill_filter(tmp_path: Path) -> None:
    with scene_servers(tmp_path, frozen=False, customers=20) as servers:
        app = scene_app(servers, frozen=False)
        async with app.run_test(size=SIZE) as pilot:
            await agent_flow_until(pilot, servers, "connected")  # a billing caller
            panel = pilot.app.screen.query_one("#experts")
            await wait_until(pilot, lambda: "★ for billing" in str(panel.border_title), "billing experts suggested")
            rows = experts_table_text(pilot).splitlines()
            people = {e.name: e for e in directory(servers)}
            # Within each presence, those with the contact's skill come first, marked with a star.
            for row in rows:
                presence, name = (part.strip() for part in row.split(" | ")[:2])
                starred = name.startswith("★ ")
                person = next(p for n, p in people.items() if n.startswith(name.removeprefix("★ ").rstrip("…")))
                assert starred == ("billing" in person.skills), row
            groups = [row.split(" | ")[0] for row in rows]
            stars = [row.split(" | ")[1].startswith("★") for row in rows]
            for group in set(groups):
                in_group = [s for g, s in zip(groups, stars, strict=True) if g == group]
                assert in_group == sorted(in_group, reverse=True), group

            # A presence change pushed by the server moves the person, with a word and a symbol.
            away = next(e for e in people.values() if not e.presence.availability.is_free)
            set_presence(servers, away.id, "Available", status_message="Back from lunch")
            await wait_until(
                pilot,
                lambda: any(
                    away.name in r and r.startswith("●") and "Available · Back from lunch" in r
                    for r in experts_table_text(pilot).splitlines()
                ),
                "the live presence change",
            )

            # s: filter by one skill, chosen from a list with the contact's skills first.
            await pilot.press("slash", "enter")
            await wait_until(pilot, lambda: present(pilot.app.focused).id == "expert-table", "the experts list focused")
            await pilot.press("s")
            await wait_until(pilot, lambda: screen_name(pilot) == "SkillPicker", "the skill picker")
            choices = options_text(pilot)
            assert choices[:2] == ["All skills", "★ billing"]
            await pilot.press(*["down"] * choices.index("fraud"), "enter")
            fraud = [e for e in people.values() if "fraud" in e.skills]
            await wait_until(pilot, lambda: len(experts_table_text(pilot).splitlines()) == len(fraud), "fraud experts")
            assert all("fraud" in row.split(" | ")[3] for row in experts_table_text(pilot).splitlines())
            assert "skill: fraud" in str(panel.border_subtitle)


async def test_a_busy_expert_warns_and_offers_the_next_best_then_the_message_gets_a_reply(tmp_path: Path) -> None:
    with scene_servers(tmp_path, frozen=False, customers=20) as servers:
        app = scene_app(servers, frozen=False)
        async with app.run_test(size=SIZE) as pilot:
            await agent_flow_until(pilot, servers, "connected")
            chosen = next(e for e in directory(servers) if "billing" in e.skills)
            set_presence(servers, chosen.id, "Busy", "InACall")
            await focus_expert(pilot, chosen.name)
            await wait_until(
                pilot,
                lambda: (
                    experts_table_text(pilot).startswith("◆ | ") and "Busy · In a call" in experts_table_text(pilot)
                ),
                "the expert shown busy",
            )
            await pilot.press("enter")
            await wait_until(pilot, lambda: screen_name(pilot) == "ExpertActions", "the expert menu")
            warning = str(pilot.app.screen.query_one("#expert-actions-warning").render())
            assert f"{chosen.name} is not available" in warning

            # The one offered is free and shares the most skills with the chosen expert.
            everyone = directory(servers)
            free = [e for e in everyone if e.presence.availability.is_free and e.id != chosen.id]
            best_overlap = max(matching_skills(e, chosen.skills) for e in free)
            offered = next(e for e in free if f"Next best available: {e.name} " in warning)
            assert matching_skills(offered, chosen.skills) == best_overlap > 0
            choices = options_text(pilot)
            assert choices[0] == f"Message {offered.name} instead…"
            assert f"Transfer to {chosen.name} anyway" in choices

            await pilot.press("enter")  # message the one offered instead
            await wait_until(pilot, lambda: screen_name(pilot) == "EscalationDialog", "the message dialog")
            draft = pilot.app.screen.query_one("TextArea", TextArea).text
            caller = servers.caller(3)
            assert f"Customer: {caller.name}" in draft
            assert f"Intent: {OFFER_SUBJECT}" in draft
            assert draft.startswith("Escalation from Alex Morgan")
            await pilot.press(*"Refund approved?", "ctrl+s")

            def conversation() -> list[dict[str, Any]]:
                url = f"{servers.presence_url}/v1/people/{offered.id}/messages"
                answer: list[dict[str, Any]] = httpx.get(url, headers=AUTH).json()
                return answer

            await wait_until(pilot, lambda: len(conversation()) >= 1, "the message stored by the presence server")
            sent = conversation()[0]
            assert sent["direction"] == "outbound"
            assert sent["text"].endswith("Summary: Refund approved?")
            assert f"Customer: {caller.name}" in sent["text"]
            assert sent["sender"] == "Alex Morgan"
            # A free expert answers within seconds; the reply shows in the panel and as a toast.
            await wait_until(pilot, lambda: len(conversation()) == 2, "the expert's reply", timeout_s=15)
            reply = conversation()[1]["text"]
            await wait_until(
                pilot,
                lambda: any(f"Reply from {offered.name}" == n.title for n in notifications(pilot.app)),
                "the reply toast",
            )
            assert any(n.message == reply for n in notifications(pilot.app))
            await pilot.press("slash", "ctrl+u")  # clear the search: the expert's row shows the reply
            await wait_until(
                pilot,
                lambda: any(offered.name in r and "↩" in r for r in experts_table_text(pilot).splitlines()),
                "the reply in the experts list",
            )


async def test_consult_and_transfer_go_to_the_experts_address_and_need_a_contact(tmp_path: Path) -> None:
    with scene_servers(tmp_path, frozen=False, customers=20) as servers:
        app = scene_app(servers, frozen=False)
        async with app.run_test(size=SIZE) as pilot:
            await agent_flow_until(pilot, servers, "available")  # nothing in hand yet
            expert = next(e for e in directory(servers) if e.presence.availability.is_free)
            await focus_expert(pilot, expert.name)
            await pilot.press("enter")
            await wait_until(pilot, lambda: screen_name(pilot) == "ExpertActions", "the expert menu")
            assert options_text(pilot)[1:] == [
                f"Consult {expert.name}  (no contact connected)",
                f"Transfer to {expert.name}  (no contact connected)",
            ]
            await pilot.press("escape")
            await receive_offer(pilot, servers)
            await accept(pilot)
            pilot.app.screen.set_focus(pilot.app.screen.query_one("#expert-table"))
            await pilot.press("enter")
            await wait_until(pilot, lambda: screen_name(pilot) == "ExpertActions", "the expert menu")
            assert options_text(pilot)[1] == f"Consult {expert.name}"
            await pilot.press("down", "enter")

            def in_hand() -> dict[str, Any]:
                contacts = httpx.get(f"{servers.ccaas_url}/v1/agents/agent-001/contacts", headers=CCAAS_AUTH).json()
                return contacts[0] if contacts else {}

            # The CCaaS rings the expert's address on a consult leg while the customer holds;
            # the mock answers the leg, then k completes the transfer to the expert.
            await wait_until(pilot, lambda: (in_hand().get("consult") or {}).get("state") == "connected", "the leg")
            consult = in_hand()["consult"]
            assert consult["target"]["kind"] == "address"
            assert consult["target"]["id"] == expert.address
            assert in_hand()["state"] == "on_hold"
            await wait_until(
                pilot, lambda: "k completes" in screen_text(pilot, "#contact-detail"), "the complete-transfer key"
            )
            await pilot.press("k")
            await wait_until(pilot, lambda: in_hand().get("state") == "after_contact_work", "the call handed over")
            assert in_hand()["transfer_path"][-1] == f"address:{expert.address}"
