"""The coaching figures' cost on the desk's CPU during a call (docs/voice.md "Coaching on how it is said").

The agent's desk at 120×40 (Pilot, on the in-process mocks; the mock is idle: its simulator off, its time not moved)
with a call answered, up on its softphone (the softphone's events fed as baresip tells them, as the call's screenshot
scene does) and its transcript in the experts' place. A call on the real voice path brings the desk each
side's level four times a second and, with coaching, the figures every 2 s; both arrive here as the stream reader
hands them over (the wire form parsed by the desk's own `TypeAdapter`, then `Desk.apply`), at the same pace, on the
same desk. After a warm-up of both, phases of `PHASE_S` alternate, without the figures and with them (each first every
other round), `ROUNDS` times each, so a drift of the machine falls on both; the desk's process CPU (its threads too)
is read over each.

- `coaching_desk_cpu_call_pct`: the desk's CPU during a call without the figures (the reference), % of one core.
- `coaching_desk_cpu_call_with_figures_pct`: the same with them; `coaching_cpu_with_over_without`: the ratio
  (target ≤ 1.25: the figures cost the desk less than a quarter of what the call's levels and line cost it).
- `coaching_cpu_ms_per_update`: the desk's CPU per set of figures drawn, back to back (`UPDATES` changing sets, each
  awaited until its line is on screen).
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter
from textual.pilot import Pilot
from textual.widgets import Static

from agent_desktop.domain.calls.softphone import CallEvent, CallEventKind
from agent_desktop.domain.models import CallCoachingEvent, CallLevelEvent, ContactCenterEvent
from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.demo_people import callers
from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import InProcessMocks
from tests.support.scenes.pilot_steps import agent_screen, go_available, screen_text, shows_connected, wait_until

PHASE_S = 8.0  # of a call, at its own pace
ROUNDS = 4
LEVELS_EVERY_S = 0.25  # the relay's level tick (the levels change while anyone speaks)
COACHING_EVERY_S = 2.0  # the voice leg's figures
UPDATES = 200


def _wire(event: CallLevelEvent | CallCoachingEvent) -> bytes:
    return event.model_dump_json().encode()


def _figures(contact_id: str, n: int) -> CallCoachingEvent:
    """The `n`th set of a call's figures: each a little different from the last, as a talking call's are."""
    agent_s, customer_s = 2.0 + 0.75 * n, 1.0 + 0.5 * n
    share = round(100 * agent_s / (agent_s + customer_s))
    return CallCoachingEvent(
        contact_id=contact_id,
        agent_id="agent-001",
        customer_share_pct=100 - share,
        agent_share_pct=share,
        customer_talk_s=customer_s,
        agent_talk_s=agent_s,
        customer_interruptions=n // 7,
        agent_interruptions=n // 11,
        long_silences=n // 13,
        long_silence_s=5.0,
        longest_silence_s=1.0,
        silent_now_s=0.0,
        customer_wpm=130 + n % 9,
        agent_wpm=150 + n % 5,
    )


async def _answered_call(pilot: Pilot[None], mocks: InProcessMocks) -> str:
    caller = callers(mocks.settings.seed, mocks.settings.customers)[3]
    await go_available(pilot)
    contact = await mocks.place_call(caller.phone_e164)
    await wait_until(pilot, lambda: agent_screen(pilot).desk.offer is not None, "the offer")
    await pilot.press("a")
    await wait_until(pilot, lambda: shows_connected(pilot), "the call connected")
    for _ in range(150):  # the mock's time forward until a line is said: the call area in the experts' place
        if agent_screen(pilot).desk.selected_call() is not None:
            break
        mocks.time.advance(0.4)
        await pilot.pause(0.02)
    desk = agent_screen(pilot).desk
    assert desk.selected_call() is not None, "no line said on the call"
    # The call up on a softphone, as baresip tells it (call_sound_scene.py): its levels are drawn on its panel.
    desk.softphone.link_up()
    held = [held.contact for held in desk.held.values()]
    peer = f"sip:{caller.phone_e164.lstrip('+')}@127.0.0.1:5062"
    desk.softphone.apply(CallEvent(CallEventKind.INCOMING, "call-1", peer=peer, peer_name=caller.phone_e164), held)
    desk.softphone.apply(CallEvent(CallEventKind.ESTABLISHED, "call-1"), held)
    desk.apply(CallLevelEvent(contact_id=contact.id, customer=6, agent=1))
    await wait_until(pilot, lambda: "caller ███░" in screen_text(pilot, "#contact-detail"), "the call's levels")
    return contact.id


async def _call_phase(pilot: Pilot[None], contact_id: str, coaching: bool, start: int) -> float:
    """The desk's CPU, % of one core, over `PHASE_S` of a call's events at their pace."""
    parse: TypeAdapter[Any] = TypeAdapter(ContactCenterEvent)
    desk = agent_screen(pilot).desk
    ticks = round(PHASE_S / LEVELS_EVERY_S)
    every = round(COACHING_EVERY_S / LEVELS_EVERY_S)
    loop = asyncio.get_running_loop()
    cpu, wall = time.process_time(), loop.time()
    due = wall
    for tick in range(ticks):
        level = (tick % 7) + 1
        desk.apply(parse.validate_json(_wire(CallLevelEvent(contact_id=contact_id, customer=level, agent=8 - level))))
        if coaching and tick % every == 0:
            desk.apply(parse.validate_json(_wire(_figures(contact_id, start + tick // every))))
        due += LEVELS_EVERY_S
        await asyncio.sleep(max(0.0, due - loop.time()))
    return 100 * (time.process_time() - cpu) / (loop.time() - wall)


async def _measure(folder: Path) -> dict[str, float]:
    mocks = InProcessMocks(
        MockSettings(data_dir=folder, seed=42, customers=20, experts=30, simulator=False, fresh=True)
    )
    try:
        app = desk_app(mocks.backends(), clock=mocks.clock.now)
        async with app.run_test(size=(120, 40)) as pilot:
            contact_id = await _answered_call(pilot, mocks)
            await _call_phase(pilot, contact_id, True, 0)  # a warm-up of both (its first draws), not counted
            await _call_phase(pilot, contact_id, False, 0)
            without: list[float] = []
            with_figures: list[float] = []
            for round_ in range(ROUNDS):  # in turn, each first every other round
                for coaching in (False, True) if round_ % 2 else (True, False):
                    cpu = await _call_phase(pilot, contact_id, coaching, 100 * (round_ + 1))
                    (with_figures if coaching else without).append(cpu)
            line = pilot.app.screen.query_one("#call-coaching", Static)
            desk = agent_screen(pilot).desk
            cpu = time.process_time()
            for n in range(UPDATES):
                figures = _figures(contact_id, 1000 + n)
                desk.apply(figures)
                shown = f"you {figures.agent_share_pct}%"
                for _ in range(200):  # bounded: drawn within a few frames
                    await pilot.pause()
                    if shown in str(line.render()):
                        break
                else:
                    raise AssertionError(f"the figures were not drawn: {line.render()!s}")
            per_update_ms = 1000 * (time.process_time() - cpu) / UPDATES
    finally:
        await mocks.aclose()
    return {
        "without": sum(without) / ROUNDS,
        "with": sum(with_figures) / ROUNDS,
        "per_update_ms": per_update_ms,
    }


def run() -> Iterator[dict[str, Any]]:
    with tempfile.TemporaryDirectory() as folder:
        figures = asyncio.run(_measure(Path(folder)))
    without, with_figures = figures["without"], figures["with"]
    yield {"name": "coaching_desk_cpu_call_pct", "unit": "%", "value": round(without, 2), "target": "reference"}
    yield {
        "name": "coaching_desk_cpu_call_with_figures_pct",
        "unit": "%",
        "value": round(with_figures, 2),
        "target": "report",
    }
    yield {
        "name": "coaching_cpu_with_over_without",
        "unit": "x",
        "value": round(with_figures / without, 3) if without > 0 else None,
        "target": "≤ 1.25",
    }
    yield {
        "name": "coaching_cpu_ms_per_update",
        "unit": "ms",
        "value": round(figures["per_update_ms"], 3),
        "target": "report",
    }


if __name__ == "__main__":
    import json

    for row in run():
        print(json.dumps(row))
