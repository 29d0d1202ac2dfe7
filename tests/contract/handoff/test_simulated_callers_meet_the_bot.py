"""The simulator's callers on a queue whose calls the virtual agent answers first: past the IVR, the bot answers them
(no model configured: it cannot answer, and hands every caller to a person, `failed`), and the voice contact queued for
the people carries the bot's handoff *and* what the IVR learnt (its menu path: the card an agent sees is the IVR's, as
for a call straight from the IVR). No billing call reaches the queue without the bot having had it first; a queue
without the bot on its calls (sales) gets its calls straight. The demo turns this on with `--bot-calls`."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from agent_desktop_mocks.ccaas.settings import DEMO_SUPERVISOR_TOKEN, MockSettings
from tests.contract.mocks.test_ccaas_api import client, events, serving

WAIT_S = 30.0  # the bound on the simulated floor's first handed-over call (about one a second at this speed)


def test_simulated_callers_on_a_bots_queue_reach_people_through_it_with_the_ivrs_data(tmp_path: Path) -> None:
    settings = MockSettings(
        data_dir=tmp_path,
        seed=11,
        customers=60,
        simulator=True,
        speed=30,
        fresh=True,
        virtual_agent_call_queues=["billing"],
    )
    voice: dict[str, dict[str, Any]] = {}
    with serving(settings) as url, client(url, DEMO_SUPERVISOR_TOKEN) as supervisor:
        deadline = time.monotonic() + WAIT_S
        with events(supervisor, "/v1/supervisor/events") as stream:
            for event in stream:
                if event.event == "contact" and (contact := event.json()["contact"])["channel"] == "voice":
                    voice.setdefault(contact["id"], contact)
                handed = [c for c in voice.values() if c["queue_id"] == "billing" and c["handoff"] and c["attached"]]
                straight = [c for c in voice.values() if c["queue_id"] == "sales" and not c["handoff"]]
                if (handed and straight) or time.monotonic() > deadline:
                    break
        counts = {row["queue_id"]: row for row in supervisor.get("/v1/virtual-agent/counts").json()}

    # The floor's backlog (queued at the start, as callers who had waited) never went through the IVR nor the bot:
    # every call that came through the IVR to billing did meet the bot.
    billing = [c for c in voice.values() if c["queue_id"] == "billing" and c["attached"]]
    assert billing, f"no billing call through the IVR in {WAIT_S:.0f} s: {sorted(voice)}"
    assert all(c["handoff"] for c in billing), [c["id"] for c in billing if not c["handoff"]]
    assert {c["handoff"]["reason"] for c in billing} == {"model_failed"}
    assert all(c["attached"]["menu_path"] for c in billing), "the IVR's data was lost on the way"
    assert any(c["queue_id"] == "sales" and not c["handoff"] for c in voice.values()), "sales has no bot on its calls"
    assert counts["billing"]["failed"] >= len(billing)
