"""Every contact-center command the desk enables is accepted by the contact center in that state.

A seeded random walk (preferring commands not tried yet) drives the desk's controller against the mock contact
center: at each step it picks one of the commands the desk enables now (or lets time pass, or lets a caller
in), carries it out, and asserts the contact center did not refuse it. The desk may be stricter than the
engine (it hides end, hold and transfer during a consult, where x and k apply), never looser.

The contact center is the mock's own engine in-process (tests/support/in_process: its routes, no socket), its
time stepped: a consult leg rings 1-3 s of its clock, which the walk moves on when it waits, and no offer
or ACW runs out under it unless the walk waits that long. (This walk ran over the real servers with the
mock's time 10x faster and 0.2 s of quiet per step, 28 s; the protocol suite, tests/contract/
test_contact_center_protocol.py, proves each of these commands answers the same over HTTP.)
"""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

from agent_desktop.agent_desk.commands import Where, enabled
from agent_desktop.agent_desk.controller import DeskController
from agent_desktop.agent_desk.desk import Desk
from agent_desktop.domain.models import Target, TargetKind
from agent_desktop.outbox.store import Outbox
from agent_desktop_mocks.ccaas.settings import DEMO_AGENT_ID, MockSettings
from tests.support.in_process.mocks import InProcessMocks

CONTACT_CENTER_COMMANDS = {
    "go_available",
    "not_ready",
    "next_not_ready",
    "accept",
    "reject",
    "end_contact",
    "hold",
    "resume",
    "transfer",
    "complete_consult",
    "cancel_consult",
    "submit_wrap_up",
}
WAIT_S = 1.0  # how far the contact center's clock moves when the walk waits (a consult leg rings 1-3 s)


async def settled(desk: Desk) -> None:
    """Until the stream has been quiet for a moment (what the agent sees has stopped changing)."""
    quiet, seen = 0, desk.version
    while quiet < 4:
        await asyncio.sleep(0.005)
        quiet, seen = (quiet + 1, seen) if desk.version == seen else (0, desk.version)


async def test_every_command_the_desk_enables_is_accepted_by_the_contact_center(tmp_path: Path) -> None:
    settings = MockSettings(
        data_dir=tmp_path / "mocks", seed=7, customers=60, experts=20, simulator=False, offer_timeout_s=20, fresh=True
    )
    mocks = InProcessMocks(settings)
    for queue in mocks.engine.read.queues():
        await mocks.set_acw_timeout(queue.id, 3600)  # the walk's wrap-ups are the agent's, not the timer's
    desk = Desk(DEMO_AGENT_ID)
    controller = DeskController(
        desk, mocks.contact_center(), mocks.crm(), mocks.presence(), Outbox(tmp_path / "outbox.db")
    )
    follow = asyncio.create_task(controller.follow_contact_center())
    rng = random.Random(3)
    done: list[str] = []
    callers = 0
    try:
        await settled(desk)
        assert desk.agent is not None
        assert desk.queues
        for _ in range(200):
            if set(done) >= CONTACT_CENTER_COMMANDS:
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
                await mocks.place_call(f"+1415555{callers:04d}", channel=rng.choice(["voice", "chat"]))
            elif name == "wait":
                mocks.time.advance(WAIT_S)
            else:
                await run(controller, desk, name, rng)
                refusals: list[object] = [n for n in desk.take_changes().notices if n.severity == "error"]
                refusals += [s for s in desk.wrap_ups.status.values() if s[1] == "error"]
                assert not refusals, f"{name} was enabled but refused: {refusals}; desk before: {before}"
                done.append(name)
    finally:
        follow.cancel()
        await controller.aclose()
        await mocks.aclose()
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
        await controller.wrap_up.save_wrap_up(held.id, disposition, "Walked through by the contract test.")
    else:
        await getattr(controller, name)()
