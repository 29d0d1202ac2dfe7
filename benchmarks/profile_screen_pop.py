"""Where a screen pop's milliseconds go: pyinstrument over the window from posting a contact to the card
painted, summed over N offers taken and wrapped up by keys (as bench_screen_pop). Not part of `make bench`.

    .venv/bin/pip install pyinstrument
    .venv/bin/python -m benchmarks.profile_screen_pop --customers 1000000 --offers 20

Prints the time inside a few functions that matter (outermost call only) as a share of the window.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

if TYPE_CHECKING:  # (a profiling tool, not a dependency: installed by hand to run this)
    from pyinstrument.frame import Frame
    from pyinstrument.session import Session

from agent_desktop.app.backend_factory import build_backends
from agent_desktop.app.demo import demo_settings
from agent_desktop.ui.agent.callers.customer_card import CustomerCard
from agent_desktop_mocks.demo_people import callers
from benchmarks.bench_screen_pop import SEED, SIZE, SUPERVISOR, Servers, servers, wait_for
from tests.support.desk_app import desk_app
from tests.support.scenes.pilot_steps import accept, end_and_fill_wrap_up, go_available, screen_text, wait_until

WATCH = (
    "AgentScreen.redraw",
    "CustomerCard.show_record",
    "KeyFooter._sync_keys",
    "ExpertsPanel._render_table",
    "DeskController.look_up",
    "DeskController.receive",
    "Screen._refresh_layout",
    "Compositor.render_update",
    "Compositor.render_full",
    "Stylesheet.update_nodes",
    "App._display",
)


async def profile(urls: Servers, customers: int, offers: int) -> Session:
    from pyinstrument import Profiler
    from pyinstrument.session import Session

    rng = random.Random(7)
    people = callers(SEED, customers)
    sessions = []
    with tempfile.TemporaryDirectory() as folder:
        settings = demo_settings(
            urls.ccaas_url, urls.crm_url, urls.presence_url, outbox_path=Path(folder) / "outbox.db"
        )
        app = desk_app(build_backends(settings))
        async with httpx.AsyncClient(base_url=urls.ccaas_url, timeout=10) as ccaas, app.run_test(size=SIZE) as pilot:
            card = pilot.app.screen.query_one(CustomerCard)
            await go_available(pilot)
            for _ in range(offers):
                caller = people[rng.randrange(customers)]
                customer_id = f"cus-{caller.index + 1:06d}"
                await wait_until(pilot, lambda: "● Available" in screen_text(pilot, "#agent-status"), "Available")
                card.rendered_at = None
                profiler = Profiler(async_mode="disabled", interval=0.0005)
                profiler.start()
                body = {"queue_id": "billing", "channel": "voice", "from_address": caller.phone_e164}
                (await ccaas.post("/v1/contacts", json=body, headers=SUPERVISOR)).raise_for_status()

                def painted(customer_id: str = customer_id) -> bool:
                    return card.rendered_customer_id == customer_id and card.rendered_at is not None

                await wait_for(painted)
                sessions.append(profiler.stop())
                await accept(pilot)
                await end_and_fill_wrap_up(pilot, "ok")
                await pilot.press("ctrl+s")
                await wait_until(pilot, lambda: screen_text(pilot, "#contacts") == "", "wrapped up")
    combined = sessions[0]
    for session in sessions[1:]:
        combined = Session.combine(combined, session)
    return combined


def summary(session: Session) -> list[str]:
    totals: dict[str, float] = {}

    def walk(frame: Frame, active: frozenset[str]) -> None:
        key = f"{frame.class_name}.{frame.function}" if frame.class_name else frame.function
        if key in WATCH and key not in active:
            totals[key] = totals.get(key, 0.0) + frame.time
            active = active | {key}
        for child in frame.children:
            walk(child, active)

    walk(session.root_frame(), frozenset())
    lines = [f"window: {session.duration * 1000:.0f} ms wall, {session.cpu_time * 1000:.0f} ms CPU over the offers"]
    lines += [f"{t / session.duration * 100:5.1f} %  {key}" for key, t in sorted(totals.items(), key=lambda kv: -kv[1])]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--offers", type=int, default=20)
    args = parser.parse_args()
    with servers(args.customers) as urls:
        session = asyncio.run(profile(urls, args.customers, args.offers))
    print("\n".join(summary(session)))


if __name__ == "__main__":
    main()
