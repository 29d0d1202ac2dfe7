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
from desktop.ui.screens.end_conversation_dialog import EndConversationDialog
from desktop.ui.screens.offer_dialog import OfferDialog
from tests.support.scenes.pilot_steps import accept, go_available, text_of, wait_until


def desk_text(pilot, selector: str) -> str:
    """What the agent screen shows at `selector`, whatever is over it: the next offer comes as a dialog
    while the focus is still in the notes just saved (desktop/ui/screens/agent_offers.py), and reading
    `app.screen` then ended the shift with NoMatches before it had a figure."""
    return text_of(pilot.app.get_screen("agent").query_one(selector))


def offered(pilot) -> bool:
    return "s left" in desk_text(pilot, "#offer") or isinstance(pilot.app.screen, OfferDialog)


async def end_and_fill(pilot, notes: str) -> None:
    """As `end_and_fill_wrap_up`; a chat whose customer wrote last asks first whether to end it unanswered
    (desktop/ui/screens/end_conversation_dialog.py): `y` ends it."""
    await pilot.press("e")
    await wait_until(pilot, lambda: "Wrap-up" in desk_text(pilot, "#contacts") or isinstance(pilot.app.screen, EndConversationDialog), "after-contact work")
    if isinstance(pilot.app.screen, EndConversationDialog):
        await pilot.press("y")
        await wait_until(pilot, lambda: "Wrap-up" in desk_text(pilot, "#contacts"), "after-contact work")
    await pilot.press("w", "enter", "down", "enter")  # open the dispositions and choose the second one
    await pilot.press("tab", *notes)
    await pilot.pause(0.1)


async def shift(settings: Settings, contacts: int) -> int:
    app = AgentDesktopApp(build_backends(settings))
    handled = 0
    async with app.run_test(size=(120, 40)) as pilot:
        await go_available(pilot)
        while handled < contacts:
            await wait_until(pilot, lambda: offered(pilot), "an offer", timeout_s=120)
            try:
                await accept(pilot)  # `a` answers the offer on the desk or on its dialog
            except AssertionError:
                continue  # the offer expired or the caller hung up first; wait for the next
            await end_and_fill(pilot, f"Contact {handled}: card 4111 1111 1111 1111 mentioned, resolved.")
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: "Wrap-up" not in desk_text(pilot, "#contacts"), "completion")
            status = lambda: desk_text(pilot, "#agent-status")  # noqa: E731
            await wait_until(pilot, lambda: "● Available" in status() or "● Offered" in status(), "Available again")
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
