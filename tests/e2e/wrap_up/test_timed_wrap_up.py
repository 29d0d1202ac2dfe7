"""Done-when on the real mock servers: a time-boxed wrap-up that runs out saves the typed notes with
the queue's default code, written to the CRM once. Nothing is killed, nothing typed is lost: the agent types notes
and chooses no code, the contact center completes the contact at its deadline with the rule's default, the desk
saves what was typed with that code through its outbox, and the CRM holds one interaction for the contact."""

from __future__ import annotations

from pathlib import Path

import httpx

from agent_desktop.domain.models import Interaction
from tests.support.scenes.pilot_steps import accept, type_burst
from tests.support.scenes.scenes import SIZE, go_available, scene_app, scene_servers, screen_text, wait_until

AGENT = {"Authorization": "Bearer demo-agent-token"}
CRM = {"Authorization": "Bearer demo-crm-token"}
TIMEOUT_S = 8  # room to type the notes first


async def test_a_time_boxed_wrap_up_that_runs_out_reaches_the_crm_once_with_the_default_code(tmp_path: Path) -> None:
    with scene_servers(tmp_path, frozen=False, customers=20) as servers:
        servers.as_supervisor(
            "PATCH",
            "/v1/queues/billing",
            {
                "wrap_up": {
                    "voice": {
                        "mode": "time_boxed",
                        "timeout_s": TIMEOUT_S,
                        "extension_s": 0,
                        "default_disposition": "Resolved",
                    }
                }
            },
        )
        async with scene_app(servers, frozen=False).run_test(size=SIZE) as pilot:
            await go_available(pilot)
            caller = servers.caller(4)
            contact = servers.place_call(caller.phone_e164, subject="Timed wrap-up")
            await wait_until(pilot, lambda: "Timed wrap-up" in screen_text(pilot, "#offer"), "the offer")
            await accept(pilot)
            await pilot.press("e")
            await wait_until(pilot, lambda: "Wrap-up" in screen_text(pilot, "#contacts"), "after-contact work")
            # The time box's line once the contact center's end carries its deadline (`e` is on the desk at once).

            def clock() -> str:
                return screen_text(pilot, "#wrap-up-clock")

            await wait_until(pilot, lambda: "then saved as Resolved" in clock(), "the time box's deadline")
            notes = "Caller asked about the late fee; explained it."
            await pilot.press("w", "tab")
            await wait_until(pilot, lambda: getattr(pilot.app.focused, "id", None) == "notes", "the notes focused")
            await type_burst(pilot, notes)  # no code chosen: the rule's default applies
            # The agent's keyboard was in the notes: the desk says it ran out, over the desk's keys, until escape.

            def notice() -> bool:
                return type(pilot.app.screen).__name__ == "TimedOutNotice"

            await wait_until(pilot, notice, "said over the desk", timeout_s=20)
            await pilot.press("escape")
            await wait_until(pilot, lambda: screen_text(pilot, "#contacts") == "", "saved by the timeout")
            await wait_until(pilot, lambda: "1 sent" in screen_text(pilot, "#outbox-status"), "the CRM write")

        completed = httpx.get(f"{servers.ccaas_url}/v1/contacts/{contact['id']}", headers=AGENT, timeout=5).json()
        assert (completed["state"], completed["disposition"]) == ("completed", "Resolved")
        stored = httpx.get(
            f"{servers.crm_url}/v1/customers/cus-{caller.index + 1:06d}/interactions", headers=CRM, timeout=5
        ).json()
        written = [Interaction.model_validate(item) for item in stored if item["contact_id"] == contact["id"]]
        assert [(i.disposition, i.notes) for i in written] == [("Resolved", notes)], "written once, nothing lost"
