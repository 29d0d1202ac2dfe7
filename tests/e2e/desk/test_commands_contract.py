"""Every contact-center command the desk enables is accepted by the mock CCaaS in that state.

A seeded random walk (preferring commands not tried yet) drives the desk's controller against the real mock servers over loopback: at each
step it picks one of the commands the desk enables now (or waits, or lets a caller in), carries it out,
and asserts the contact center did not refuse it. The desk may be stricter than the engine (it hides
end, hold and transfer during a consult, where x and k apply), never looser.
"""

from __future__ import annotations

import asyncio
import random

import httpx
import pytest

from desktop.backend_factory import build_backends
from desktop.backends.models import Target, TargetKind
from desktop.demo import demo_settings
from desktop.desk.commands import Where, enabled
from desktop.desk.controller import DeskController
from desktop.desk.desk import Desk

SUPERVISOR = {"Authorization": "Bearer demo-supervisor-token"}
CONTACT_CENTER_COMMANDS = {
    "go_available", "not_ready", "next_not_ready", "accept", "reject", "end_contact", "hold", "resume",
    "transfer", "complete_consult", "cancel_consult", "submit_wrap_up",
}  # fmt: skip
TIME_SCALE = 10.0  # consult legs ring 0.1-0.3 s instead of 1-3 s


@pytest.fixture
def mock_settings(mock_settings):
    """The mock's time 10x faster for the consult legs; offers still wait 20 s of real time."""
    return mock_settings.model_copy(update={"time_scale": TIME_SCALE, "offer_timeout_s": 20 * TIME_SCALE})


def slow_acw(ccaas_url: str) -> None:
    """ACW times out after 60 s of real time, as before time ran faster: the walk's wrap-ups are the agent's."""
    queues = httpx.get(f"{ccaas_url}/v1/queues", headers=SUPERVISOR, timeout=10).json()
    for queue in queues:
        body = {"acw_timeout_s": int(60 * TIME_SCALE)}
        httpx.patch(f"{ccaas_url}/v1/queues/{queue['id']}", json=body, headers=SUPERVISOR, timeout=10).raise_for_status()


async def settled(desk: Desk) -> None:
    """Until the stream has been quiet for a moment (what the agent sees has stopped changing)."""
    quiet, seen = 0, desk.version
    while quiet < 4:
        await asyncio.sleep(0.05)
        quiet, seen = (quiet + 1, seen) if desk.version == seen else (0, desk.version)


async def changed(desk: Desk, within_s: float) -> None:
    """Until what the agent sees changes (a consult leg answered, a caller gave up), or `within_s` passes."""
    seen, deadline = desk.version, asyncio.get_running_loop().time() + within_s
    while desk.version == seen and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.02)


async def test_every_command_the_desk_enables_is_accepted_by_the_contact_center(servers, tmp_path):
    slow_acw(servers.ccaas_url)
    settings = demo_settings(servers.ccaas_url, servers.crm_url, servers.presence_url, outbox_path=tmp_path / "outbox.db")
    backends = build_backends(settings)
    desk = Desk(settings.agent_id)
    controller = DeskController(desk, backends.contact_center, backends.crm, backends.presence, backends.outbox)
    follow = asyncio.create_task(controller.follow_contact_center())
    rng = random.Random(3)
    done: list[str] = []
    callers = 0
    async with httpx.AsyncClient(base_url=servers.ccaas_url, headers=SUPERVISOR, timeout=10) as ccaas:
        try:
            await settled(desk)
            assert desk.agent is not None and desk.queues
            for _ in range(200):
                if CONTACT_CENTER_COMMANDS <= set(done):
                    break
                await settled(desk)
                desk.take_changes()
                now = enabled(desk, Where())
                choices = sorted(name for name in CONTACT_CENTER_COMMANDS if now[name])
                if desk.offer is None and len(desk.held) < 2:
                    choices.append("caller")
                fresh = [c for c in choices if c not in done and c != "caller"]
                name = rng.choice(fresh) if fresh and rng.random() < 0.6 else rng.choice([*choices, "wait"])
                if now["cancel_consult"] and not now["complete_consult"] and "complete_consult" not in done:
                    name = "wait"  # a consult leg rings: let it answer once, or completing it is never tried
                before = [(h.id, h.contact.state.value, h.phase.value) for h in desk.held.values()]
                if name == "caller":
                    callers += 1
                    channel = rng.choice(["voice", "chat"])
                    body = {"queue_id": "billing", "channel": channel, "from_address": f"+1415555{callers:04d}"}
                    (await ccaas.post("/v1/contacts", json=body)).raise_for_status()
                elif name == "wait":
                    await changed(desk, within_s=0.5)  # a consult leg rings for 1-3 s of the mock's time
                else:
                    await run(controller, desk, name, rng)
                    refusals = [n for n in desk.take_changes().notices if n.severity == "error"]
                    refusals += [s for s in desk.wrap_up_status.values() if s[1] == "error"]
                    assert not refusals, f"{name} was enabled but refused: {refusals}; desk before: {before}"
                    done.append(name)
        finally:
            follow.cancel()
            await controller.aclose()
            await backends.aclose()
    missing = CONTACT_CENTER_COMMANDS - set(done)
    assert not missing, f"the walk never had these enabled: {missing} (walked: {done})"


async def run(controller: DeskController, desk: Desk, name: str, rng: random.Random) -> None:
    reason = (desk.agent.not_ready_reasons or ["Break"])[0] if desk.agent else "Break"
    if name == "not_ready":
        await controller.not_ready(reason)
    elif name == "next_not_ready":
        await controller.next_not_ready(reason)
    elif name == "end_contact":
        await controller.end()
    elif name == "transfer":
        # The dialog offers both: at once, or after a consult leg (the customer waits on hold).
        if rng.random() < 0.5:
            await controller.transfer(Target(kind=TargetKind.QUEUE, id="tech_support"), "blind")
        else:  # an expert's address answers a consult leg (a queue's needs an idle agent)
            await controller.transfer(Target(kind=TargetKind.ADDRESS, id="sip:ada@example.com"), "consult")
    elif name == "submit_wrap_up":
        held = desk.wrap_up()
        assert held is not None
        disposition = desk.queues[held.contact.queue_id].dispositions[0]
        await controller.save_wrap_up(held.id, disposition, "Walked through by the contract test.")
    else:
        await getattr(controller, name)()
