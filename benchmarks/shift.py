"""A scripted shift in its own process: the desktop takes N contacts from the simulator by keys.

Prints the process's peak resident memory, so the figure is the desktop's alone
(the mock servers run in another process).
"""

from __future__ import annotations

# The process is set up as `agent-desktop` sets up its own (desktop/cli.py `main`), before anything is imported:
# the cyclic collector off until the desk's start-up freeze turns it on, and httpx's command line not imported
# (it was, here alone: click and pygments, 3 MB of the figure that no user's desk carries).
import gc

from desktop.cli import skip_httpx_cli

gc.disable()
skip_httpx_cli()

import argparse
import asyncio
import json
import os
import re
import resource
import sys
import tracemalloc

from desktop.backend_factory import build_backends
from desktop.config import Settings
from desktop.demo import demo_settings
from desktop.ui.app import AgentDesktopApp
from desktop.ui.screens.end_conversation_dialog import EndConversationDialog
from desktop.ui.screens.offer_dialog import OfferDialog
from tests.support.scenes.pilot_steps import go_available, text_of, wait_until


def desk_text(pilot, selector: str) -> str:
    """What the agent screen shows at `selector`, whatever is over it: the next offer comes as a dialog
    while the focus is still in the notes just saved (desktop/ui/screens/agent_offers.py), and reading
    `app.screen` then ended the shift with NoMatches before it had a figure."""
    return text_of(pilot.app.get_screen("agent").query_one(selector))


def offered(pilot) -> bool:
    return "s left" in desk_text(pilot, "#offer") or isinstance(pilot.app.screen, OfferDialog)


def connected(pilot) -> bool:
    """A contact in hand is connected (its row: "Connected", or a chat's "Waits 0:20" / "Idle 0:12")."""
    return re.search(r"Connected|\| (Waits|Idle) \d", desk_text(pilot, "#contacts")) is not None


async def take_a_contact(pilot) -> bool:
    """Answer the next offer with `a`; whether a contact is connected now. One answered too late for the wait
    (a loaded machine) is connected when the next call looks: it is handled then, not left in hand while the
    shift waits for the agent to be Available (which ended a shift with exit 1)."""
    missed = lambda: "Missed" in desk_text(pilot, "#agent-status")  # noqa: E731
    if missed():  # an offer rang out before the shift looked (a loaded machine): the agent is not routable
        await pilot.press("v")
    if not connected(pilot):
        await wait_until(pilot, lambda: offered(pilot) or connected(pilot) or missed(), "an offer", timeout_s=120)
    if missed():
        return False
    if not connected(pilot):
        await pilot.press("a")  # on the desk or on the offer's dialog
        try:
            await wait_until(pilot, lambda: connected(pilot) or not offered(pilot), "the offer answered", timeout_s=30)
        except AssertionError:
            return False
    return connected(pilot)  # False: the offer expired or the caller hung up first


async def end_and_fill(pilot, notes: str) -> None:
    """As `end_and_fill_wrap_up`; a chat whose customer wrote last asks first whether to end it unanswered
    (desktop/ui/screens/end_conversation_dialog.py): `y` ends it. An offer that came as a dialog meanwhile (the
    agent takes chats beside a contact) is put aside first (escape), or `e` goes to it and nothing ends."""
    if isinstance(pilot.app.screen, OfferDialog):
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(pilot.app.screen, OfferDialog), "the offer put aside")
    await pilot.press("e")
    await wait_until(pilot, lambda: "Wrap-up" in desk_text(pilot, "#contacts") or isinstance(pilot.app.screen, EndConversationDialog), "after-contact work", timeout_s=30)
    if isinstance(pilot.app.screen, EndConversationDialog):
        await pilot.press("y")
        await wait_until(pilot, lambda: "Wrap-up" in desk_text(pilot, "#contacts"), "after-contact work")
    await pilot.press("w", "enter", "down", "enter")  # open the dispositions and choose the second one
    await pilot.press("tab", *notes)
    await pilot.pause(0.1)


def rss_mb() -> float:
    """The process's resident memory now (the peak is ru_maxrss)."""
    with open("/proc/self/statm") as statm:
        return round(int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20, 1)


class Growth:
    """What one contact leaves behind: the resident memory after each contact, and with --tracemalloc N, the
    allocations still alive after contact N compared with those alive after the last one (printed to stderr)."""

    def __init__(self, from_contact: int | None, to_contact: int) -> None:
        self.from_contact, self.to_contact = from_contact, to_contact
        self.rss: list[float] = []
        self.first: tracemalloc.Snapshot | None = None
        self.last: tracemalloc.Snapshot | None = None

    def after(self, handled: int) -> None:
        self.rss.append(rss_mb())
        if self.from_contact is not None and handled in (self.from_contact, self.to_contact):
            gc.collect()
            snapshot = tracemalloc.take_snapshot()
            if handled == self.from_contact:
                self.first = snapshot
            else:
                self.last = snapshot

    def report(self) -> None:
        if self.first is None or self.last is None:
            return
        last = self.last
        keep = [tracemalloc.Filter(False, tracemalloc.__file__)]
        diff = last.filter_traces(keep).compare_to(self.first.filter_traces(keep), "traceback")
        grown = sum(stat.size_diff for stat in diff)
        print(f"tracemalloc: {grown / 1024:+.0f} KiB alive from contact {self.from_contact} to the last", file=sys.stderr)
        for stat in diff[:15]:
            print(f"  {stat.size_diff / 1024:+8.1f} KiB {stat.count_diff:+6d} blocks", file=sys.stderr)
            for line in stat.traceback.format(limit=6, most_recent_first=True):
                print(f"      {line}", file=sys.stderr)


async def shift(settings: Settings, contacts: int, growth: Growth | None = None) -> int:
    app = AgentDesktopApp(build_backends(settings))
    handled = 0
    growth = growth or Growth(None, contacts)
    async with app.run_test(size=(120, 40)) as pilot:
        await go_available(pilot)
        while handled < contacts:
            if not await take_a_contact(pilot):
                continue
            await end_and_fill(pilot, f"Contact {handled}: card 4111 1111 1111 1111 mentioned, resolved.")
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: "Wrap-up" not in desk_text(pilot, "#contacts"), "completion", timeout_s=30)
            status = lambda: desk_text(pilot, "#agent-status")  # noqa: E731
            await wait_until(pilot, lambda: any(word in status() for word in ("● Available", "● Offered", "Missed")) or connected(pilot), "Available again", timeout_s=30)
            handled += 1
            growth.after(handled)
    return handled


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ccaas")
    parser.add_argument("--crm")
    parser.add_argument("--presence")
    parser.add_argument("--contacts", type=int, default=10)
    parser.add_argument("--timeout-s", type=float, default=600.0, help="the whole shift's bound")
    parser.add_argument(
        "--tracemalloc", type=int, metavar="N",
        help="compare what is allocated and alive after contact N with after the last (stderr; slows the shift)",
    )  # fmt: skip
    args = parser.parse_args()
    growth = Growth(args.tracemalloc, args.contacts)
    if args.tracemalloc is not None:
        tracemalloc.start(5)
    settings = demo_settings(args.ccaas, args.crm, args.presence)
    try:
        handled = asyncio.run(asyncio.wait_for(shift(settings, args.contacts, growth), args.timeout_s))
    except TimeoutError:
        print(f"shift: not done after {args.timeout_s:.0f} s ({len(growth.rss)} contacts handled)", file=sys.stderr)
        sys.exit(1)
    growth.report()
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"contacts": handled, "peak_rss_mb": round(peak_kib / 1024, 1), "rss_mb_after_each": growth.rss}))


if __name__ == "__main__":
    main()
