"""A scripted shift in its own process: the desktop takes N contacts from the simulator by keys.

Prints the process's peak resident memory (its own address space's high-water mark), so the figure is the
desktop's alone (the mock servers run in another process). bench_desktop runs it with the python of the desk's own
environment (benchmarks/desk_venv.py), so it imports what a user's desk imports.
"""

from __future__ import annotations

import argparse
import asyncio
import ctypes
import gc
import json
import os
import re
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from agent_desktop.app.backend_factory import build_backends
from agent_desktop.app.config import Settings
from agent_desktop.app.demo import demo_settings
from agent_desktop.ui.agent.conversations.end_conversation_dialog import EndConversationDialog
from benchmarks.figures import peak_rss_mb
from tests.support.desk_app import desk_app
from tests.support.scenes.pilot_steps import offer_in_front, text_of, type_burst, wait_until


def desk_text(pilot: Pilot[None], selector: str) -> str:
    """What the agent screen shows at `selector`, whatever is over it: the next offer comes as a dialog
    while the focus is still in the notes just saved (agent_desktop/ui/agent/offers/agent_offers.py), and reading
    `app.screen` then ended the shift with NoMatches before it had a figure."""
    return text_of(pilot.app.get_screen("agent").query_one(selector))


def offered(pilot: Pilot[None]) -> bool:
    return "s left" in desk_text(pilot, "#offer") or offer_in_front(pilot.app) is not None


def connected(pilot: Pilot[None]) -> bool:
    """A contact in hand is connected (its row: "Connected", or a chat's "Waits 0:20" / "Idle 0:12")."""
    return re.search(r"Connected|\| (Waits|Idle) \d", desk_text(pilot, "#contacts")) is not None


async def take_a_contact(pilot: Pilot[None]) -> bool:
    """Answer the next offer with `a`; whether a contact is connected now. One answered too late for the wait
    (a loaded machine) is connected when the next call looks: it is handled then, not left in hand while the
    shift waits for the agent to be Available (which ended a shift with exit 1)."""

    def missed() -> bool:
        return "Missed" in desk_text(pilot, "#agent-status")

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


async def put_offer_aside(pilot: Pilot[None]) -> None:
    """An offer that came as a dialog (the agent takes chats beside a contact; one that rang out stays up,
    missed) takes the keys meant for the desk: escape puts it aside, as an agent would."""
    for _ in range(3):  # (one that takes the agent's typing for what is under it may take the escape too)
        if offer_in_front(pilot.app) is None:
            return
        await pilot.press("escape")
        try:
            await wait_until(pilot, lambda: offer_in_front(pilot.app) is None, "the offer put aside")
        except AssertionError:
            continue


async def desk_press(pilot: Pilot[None], *keys: str) -> None:
    """`keys` to the desk, each after any offer's dialog is put aside; a letter from a text field (a chat
    accepted puts the agent in its composer) after escape has left it, as an agent would."""
    for key in keys:
        await put_offer_aside(pilot)
        if len(key) == 1 and isinstance(pilot.app.screen.focused, Input | TextArea):
            await pilot.press("escape")
            await put_offer_aside(pilot)  # one may have come up in between
        await pilot.press(key)


async def until(pilot: Pilot[None], condition: Callable[[], object], what: str, *keys: str, tries: int = 5) -> None:
    """Press `keys` on the desk until `condition` holds: a dialog that came up between the check and the key
    took the key (seen on a loaded machine), so the key is pressed again."""
    for attempt in range(tries):
        await desk_press(pilot, *keys)
        try:
            await wait_until(pilot, lambda: condition() or offer_in_front(pilot.app) is not None, what, timeout_s=30)
        except AssertionError:
            if attempt == tries - 1:
                raise
        if condition():
            return
    await wait_until(pilot, condition, what, timeout_s=1)  # fails, saying what the screen showed


async def end_and_fill(pilot: Pilot[None], notes: str) -> None:
    """As `end_and_fill_wrap_up`; a chat whose customer wrote last asks first whether to end it unanswered
    (agent_desktop/ui/agent/conversations/end_conversation_dialog.py): ctrl+e ends it."""

    def in_wrap_up() -> bool:
        return "Wrap-up" in desk_text(pilot, "#contacts")

    def asks() -> bool:
        return isinstance(pilot.app.screen, EndConversationDialog)

    await until(pilot, lambda: in_wrap_up() or asks(), "after-contact work", "e")
    if asks():  # again if the dialog was not yet taking keys, or an offer's came up over it
        await until(pilot, in_wrap_up, "after-contact work", "ctrl+e")
    await desk_press(pilot, "w", "enter", "down", "enter")  # open the dispositions and choose the second one
    await desk_press(pilot, "tab")
    try:
        # One burst of keys, each through the desk's own key handling: `pilot.press` waits after every key for
        # the process to look idle (two 20 ms naps at least, up to 2 s while the floor's events keep it busy),
        # which made the notes most of a contact's ~12 s and kept a 50-contact shift from ending in 900 s.
        await type_burst(pilot, notes)
    except AssertionError:  # an offer's dialog came up and took the keys: the notes are not what is measured
        await put_offer_aside(pilot)
    await pilot.pause(0.1)


def rss_mb() -> float:
    """The process's resident memory now (the peak: `peak_rss_mb`)."""
    with open("/proc/self/statm") as statm:
        return round(int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20, 1)


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena",
            "ordblks",
            "smblks",
            "hblks",
            "hblkhd",
            "usmblks",
            "fsmblks",
            "uordblks",
            "fordblks",
            "keepcost",
        )
    ]


def malloc_in_use_mb() -> float | None:
    """What C code has malloc'ed and not freed (glibc's mallinfo2: SQLite's page caches, Rust's and C
    extensions' buffers, Python's objects of over 512 bytes); None where there is no glibc. Beside the resident
    memory, it tells memory kept from memory merely not returned to the system."""
    try:
        mallinfo2 = ctypes.CDLL(None).mallinfo2
    except (AttributeError, OSError):
        return None
    mallinfo2.restype = _MallInfo2
    info = mallinfo2()
    in_use: float = round((info.uordblks + info.hblkhd) / 2**20, 1)
    return in_use


def strip_owners(objects: list[Any], sample: int = 400) -> Counter[str]:
    """Who holds the Textual strips alive: for a sample, the first object up the referrers that is not a
    list, tuple, dict or cache (its type, and the attribute or cache it keeps the strip in)."""
    from textual.strip import Strip

    # The desk froze its start-up objects (agent_desktop/ui/app.py), and `gc.get_referrers` does not look among frozen
    # objects: the widgets and module-level caches that hold strips were missing from the walk ("(none)"), which
    # hid Textual's `get_inner_outer` cache (a patch in textual_compat.py). Frozen again after the walk.
    gc.unfreeze()
    try:
        return _strip_owners(objects, sample, Strip)
    finally:
        gc.freeze()


def _strip_owners(objects: list[Any], sample: int, strip_type: type) -> Counter[str]:
    frame = sys._getframe()
    strips = [o for o in objects if type(o) is strip_type]
    found: Counter[str] = Counter()
    containers = (list, tuple, dict, set)
    sampled = strips[:: max(1, len(strips) // sample)]
    for strip in sampled:
        path: list[str] = []
        node, seen = strip, 0
        while seen < 8:
            seen += 1
            referrers = []
            for r in gc.get_referrers(node):  # (a loop, not a comprehension: that would make `node` a cell of ours)
                if (
                    r is not objects
                    and r is not frame
                    and r is not strips
                    and r is not sampled
                    and r is not path
                    and type(r).__name__ != "cell"
                ):
                    referrers.append(r)
            if not referrers:
                path.append("(none)")
                break
            holder = referrers[0]
            if isinstance(holder, dict):  # an object's __dict__ or a cache's dict: name the key
                owner = None
                for r in gc.get_referrers(holder):
                    if getattr(r, "__dict__", None) is holder:
                        owner = r
                if owner is not None:
                    attr = "?"
                    for k, v in holder.items():
                        if v is node:
                            attr = k
                    path.append(f"{type(owner).__qualname__}.{attr}")
                    if type(owner).__module__.startswith("textual.cache") or type(owner) is strip_type:
                        node = owner
                        continue
                    break
            if isinstance(holder, containers):
                path.append(type(holder).__name__)
                node = holder
                continue
            if type(holder).__name__ == "cell":  # a closure's variable: name the function (and what holds it)
                function = next((r for r in gc.get_referrers(holder) if type(r) is tuple), None)
                function = (
                    next((r for r in gc.get_referrers(function) if getattr(r, "__closure__", None) is function), None)
                    if function
                    else None
                )
                path.append(
                    f"closure of {getattr(function, '__qualname__', '?')} {getattr(getattr(function, '__code__', None), 'co_filename', '')}"
                )
                break
            path.append(type(holder).__qualname__)
            break
        found[" <- ".join(path[-3:])] += 1
    return found


class Growth:
    """What one contact leaves behind: the resident memory after each contact, and with --tracemalloc N, the
    allocations still alive after contact N compared with those alive after the last, and the objects the
    collector tracks by type (printed to stderr)."""

    def __init__(self, from_contact: int | None, to_contact: int, types_only: bool = False) -> None:
        self.from_contact, self.to_contact, self.types_only = from_contact, to_contact, types_only
        self.rss: list[float] = []
        self.started = time.monotonic()
        self.seconds: list[float] = []  # since the shift began, after each contact
        self.python_blocks: list[int] = []  # Python's allocated blocks (objects) after each contact
        self.malloc_mb: list[float | None] = []
        self.snapshots: list[tuple[tracemalloc.Snapshot | None, Counter[str]]] = []

    def after(self, handled: int) -> None:
        self.rss.append(rss_mb())
        self.seconds.append(round(time.monotonic() - self.started, 1))
        self.python_blocks.append(sys.getallocatedblocks())
        self.malloc_mb.append(malloc_in_use_mb())
        if self.from_contact is not None and handled in (self.from_contact, self.to_contact):
            gc.collect()
            objects = gc.get_objects()
            types = Counter(f"{type(o).__module__}.{type(o).__qualname__}" for o in objects)
            # Coroutines by function, and what holds the strips: a pending task left behind a contact shows here.
            types.update(f"coroutine {o.cr_code.co_qualname}" for o in objects if type(o).__name__ == "coroutine")
            types.update(
                f"partial {getattr(o.func, '__qualname__', o.func)}" for o in objects if type(o).__name__ == "partial"
            )
            if handled == self.to_contact and self.types_only:
                self.strip_owners = strip_owners(objects)
            del objects
            if handled == self.from_contact and not self.types_only:
                # Traced from here on only: what is allocated after contact N and still alive after the last is
                # the growth, and the contacts before N run at full speed (traced from the start, the shift
                # was 3-5x slower and never reached its last contact on a loaded machine).
                tracemalloc.start(8)
            self.snapshots.append((tracemalloc.take_snapshot() if tracemalloc.is_tracing() else None, types))

    def report(self) -> None:
        if len(self.snapshots) < 2:
            return
        (first, first_types), (last, last_types) = self.snapshots[0], self.snapshots[-1]
        if first is None or last is None:  # --count-types: the collector's objects by type only
            last_types.subtract(first_types)
            print(
                "objects by type, last - first:",
                [(t, n) for t, n in last_types.most_common(25) if n > 0],
                file=sys.stderr,
            )
            owners: Counter[str] = getattr(self, "strip_owners", None) or Counter()
            print("strips held by (a sample):", owners.most_common(15), file=sys.stderr)
            print(
                "coroutines and partials, last - first:",
                [(t, n) for t, n in last_types.most_common() if n and t.startswith(("coroutine ", "partial "))],
                file=sys.stderr,
            )
            return
        keep = [tracemalloc.Filter(False, tracemalloc.__file__)]
        diff = last.filter_traces(keep).compare_to(first.filter_traces(keep), "traceback")
        by_file = last.filter_traces(keep).statistics("filename")
        print("alive, allocated after contact N, by file:", file=sys.stderr)
        for stat in by_file[:15]:
            print(f"  {stat.size / 1024:8.1f} KiB {stat.count:6d} blocks {stat.traceback[0].filename}", file=sys.stderr)
        grown = sum(stat.size_diff for stat in diff)
        print(
            f"tracemalloc: {grown / 1024:+.0f} KiB alive from contact {self.from_contact} to {self.to_contact}",
            file=sys.stderr,
        )
        for change in diff[:20]:
            print(f"  {change.size_diff / 1024:+8.1f} KiB {change.count_diff:+6d} blocks", file=sys.stderr)
            for line in change.traceback.format(limit=8, most_recent_first=True):
                print(f"      {line}", file=sys.stderr)
        last_types.subtract(first_types)
        print(
            "objects by type, last - first:", [(t, n) for t, n in last_types.most_common(25) if n > 0], file=sys.stderr
        )


class ShiftTooLong(Exception):
    pass


async def shift(settings: Settings, contacts: int, growth: Growth | None = None, timeout_s: float = 600.0) -> int:
    """Handles `contacts` contacts; ShiftTooLong past `timeout_s`, raised between two contacts so the desk closes
    as it would (cancelling it from outside mid-step ended in Textual's 'No screens on stack' instead)."""
    app = desk_app(build_backends(settings))
    handled = 0
    growth = growth or Growth(None, contacts)
    deadline = time.monotonic() + timeout_s
    failure: BaseException | None = None
    async with app.run_test(size=(120, 40)) as pilot:
        try:
            await wait_until(
                pilot, lambda: "Offline" in desk_text(pilot, "#agent-status"), "the agent, Offline", timeout_s=60
            )
            await desk_press(pilot, "v")  # Available: the offers' wait (take_a_contact) follows
            while handled < contacts:
                if time.monotonic() > deadline:
                    raise ShiftTooLong(f"shift: not done after {timeout_s:.0f} s ({handled} contacts handled)")
                if not await take_a_contact(pilot):
                    continue
                await end_and_fill(pilot, f"Contact {handled}: card 4111 1111 1111 1111 mentioned, resolved.")
                await until(pilot, lambda: "Wrap-up" not in desk_text(pilot, "#contacts"), "completion", "ctrl+s")

                def status() -> str:
                    return desk_text(pilot, "#agent-status")

                def available_again(status: Callable[[], str] = status) -> bool:
                    return any(word in status() for word in ("● Available", "● Offered", "Missed")) or connected(pilot)

                await wait_until(pilot, available_again, "Available again", timeout_s=30)
                handled += 1
                growth.after(handled)
        except (ShiftTooLong, AssertionError) as error:  # kept for after the desk has closed as it would:
            failure = error  # raised inside, Textual's teardown ends on "No screens on stack" in its place
    if failure is not None:
        raise failure
    return handled


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ccaas")
    parser.add_argument("--crm")
    parser.add_argument("--presence")
    parser.add_argument("--contacts", type=int, default=10)
    parser.add_argument("--timeout-s", type=float, default=600.0, help="the whole shift's bound")
    parser.add_argument(
        "--tracemalloc",
        type=int,
        metavar="N",
        help="trace allocations from contact N on and say which are alive after the last (stderr; slows the later contacts)",
    )
    parser.add_argument(
        "--count-types",
        type=int,
        metavar="N",
        help="count the collector's objects by type after contact N and after the last, without tracemalloc (stderr)",
    )
    args = parser.parse_args()
    if args.count_types is not None:
        growth = Growth(args.count_types, args.contacts, types_only=True)
    else:
        growth = Growth(args.tracemalloc, args.contacts)
    settings = demo_settings(args.ccaas, args.crm, args.presence)
    try:
        # The deadline is checked between contacts; wait_for only bounds a step that never returns (a bit later).
        handled = asyncio.run(
            asyncio.wait_for(shift(settings, args.contacts, growth, args.timeout_s), args.timeout_s + 60)
        )
    except (ShiftTooLong, AssertionError) as failure:
        print(f"{failure}; {len(growth.rss)} contacts handled, RSS after each: {growth.rss}", file=sys.stderr)
        sys.exit(1)
    except TimeoutError:
        print(
            f"shift: not done after {args.timeout_s + 60:.0f} s ({len(growth.rss)} contacts handled)", file=sys.stderr
        )
        sys.exit(1)
    growth.report()
    print(
        json.dumps(
            {
                "contacts": handled,
                "peak_rss_mb": peak_rss_mb(),
                "shift_s": growth.seconds[-1],
                "rss_mb_after_each": growth.rss,
                "seconds_after_each": growth.seconds,
                "python_blocks_after_each": growth.python_blocks,
                "malloc_mb_after_each": growth.malloc_mb,
            }
        )
    )


if __name__ == "__main__":
    main()
