"""A scripted shift in its own process: the desktop takes N contacts from the simulator by keys.

Prints the process's peak resident memory, so the figure is the desktop's alone
(the mock servers run in another process).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource

from desktop.backend_factory import build_backends
from desktop.config import Settings
from desktop.demo import demo_settings
from desktop.ui.app import AgentDesktopApp
from tests.support.scenes.pilot_steps import accept, end_and_fill_wrap_up, go_available, routable, screen_text, wait_until


async def shift(settings: Settings, contacts: int) -> int:
    app = AgentDesktopApp(build_backends(settings))
    handled = 0
    async with app.run_test(size=(120, 40)) as pilot:
        await go_available(pilot)
        while handled < contacts:
            await wait_until(pilot, lambda: "s left" in screen_text(pilot, "#offer"), "an offer", timeout_s=120)
            try:
                await accept(pilot)
            except AssertionError:
                continue  # the offer expired or the caller hung up first; wait for the next
            await end_and_fill_wrap_up(pilot, f"Contact {handled}: card 4111 1111 1111 1111 mentioned, resolved.")
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: "Wrap-up" not in screen_text(pilot, "#contacts"), "completion")
            await wait_until(pilot, lambda: routable(pilot), "Available again")
            handled += 1
    return handled


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ccaas")
    parser.add_argument("--crm")
    parser.add_argument("--presence")
    parser.add_argument("--contacts", type=int, default=10)
    args = parser.parse_args()
    handled = asyncio.run(shift(demo_settings(args.ccaas, args.crm, args.presence), args.contacts))
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"contacts": handled, "peak_rss_mb": round(peak_kib / 1024, 1)}))


if __name__ == "__main__":
    main()
