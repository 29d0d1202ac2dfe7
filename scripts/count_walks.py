"""Count the walk of an offer and of a customer's message through the desk: the desk's own modules and functions
that run from the moment the outside world acts (a caller rings, a customer writes) until the agent sees it on
screen, measured with `sys.setprofile` on the in-process mocks (the real engine without sockets).

Usage: `python -m scripts.count_walks` from a tree's root (its own `tests/support` drives it, so an older tree can be
counted with the same script: `cd old-tree && PYTHONPATH=. /work/main/.venv/bin/python /work/main/scripts/count_walks.py`).

Counted: calls of functions defined under `agent_desktop/` (the mocks, Textual and the standard library left out),
the distinct functions, and the distinct modules they are in. Everything the desk does in the window is counted,
a clock's tick included: the median of several walks is printed, one JSON object per walk kind.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import tempfile
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path
from types import FrameType
from typing import Any

ROOT = Path.cwd()
DESK = str(ROOT / "agent_desktop") + "/"
WALKS = 5


class Walk:
    """The desk's functions called while it is on."""

    def __init__(self) -> None:
        self.calls = 0
        self.functions: set[tuple[str, str]] = set()

    def __call__(self, frame: FrameType, event: str, arg: Any) -> None:
        if event != "call":
            return
        filename = frame.f_code.co_filename
        if filename.startswith(DESK):
            self.calls += 1
            self.functions.add((filename[len(DESK) :], frame.f_code.co_qualname))

    def figures(self) -> dict[str, Any]:
        modules = {module for module, _ in self.functions}
        return {
            "calls": self.calls,
            "functions": len(self.functions),
            "modules": len(modules),
            "by_package": dict(Counter(module.rsplit("/", 1)[0] if "/" in module else "." for module in modules)),
        }


async def counted(act: Callable[[], Awaitable[object]]) -> dict[str, Any]:
    walk = Walk()
    sys.setprofile(walk)
    try:
        await act()
    finally:
        sys.setprofile(None)
    return walk.figures()


async def an_offer(data_dir: Path) -> dict[str, Any]:
    """A caller with a history rings; counted until the offer and the caller's card are on screen."""
    from tests.support.in_process.scenes import agent_flow_until, receive_offer, scene_app, scene_mocks, wait_until

    mocks = scene_mocks(data_dir)
    try:
        async with scene_app(mocks).run_test(size=(120, 40)) as pilot:
            await agent_flow_until(pilot, mocks, "available")
            await wait_until(pilot, lambda: True, "")
            return await counted(lambda: receive_offer(pilot, mocks))
    finally:
        await mocks.aclose()


async def messages(data_dir: Path) -> list[dict[str, Any]]:
    """A chat in hand; each customer message counted until its words are in the conversation on screen."""
    from tests.support.in_process.scenes import agent_flow_until, scene_app, scene_mocks, take, wait_until
    from tests.support.scenes.pilot_steps import agent_screen

    mocks = scene_mocks(data_dir)
    found = []
    try:
        async with scene_app(mocks).run_test(size=(120, 40)) as pilot:
            await agent_flow_until(pilot, mocks, "available")
            contact_id = await take(pilot, mocks, "+15550100777", "chat", "Walk")
            conversation = agent_screen(pilot).desk.conversations[contact_id]
            for n in range(WALKS):
                words = f"walked message number {n}"

                async def message() -> None:  # until the desk holds it, and the app is idle again: drawn
                    await mocks.customer_says(contact_id, words)  # noqa: B023  # awaited at once
                    await wait_until(pilot, lambda: conversation.items[-1].text == words, "the message")  # noqa: B023
                    await pilot.pause()

                found.append(await counted(message))
    finally:
        await mocks.aclose()
    return found


def median(walks: list[dict[str, Any]]) -> dict[str, Any]:
    """The median of each count, and the modules by package of the walk with the median number of modules."""
    figures: dict[str, Any] = {
        key: statistics.median(walk[key] for walk in walks) for key in ("calls", "functions", "modules")
    }
    middle = sorted(walks, key=lambda walk: walk["modules"])[len(walks) // 2]
    return {**figures, "modules_by_package": dict(sorted(middle["by_package"].items()))}


async def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        offers = [await an_offer(Path(scratch) / f"offer-{n}") for n in range(WALKS)]
        sent = await messages(Path(scratch) / "messages")
    for name, walks in (("an offer to the screen", offers), ("a customer's message to the screen", sent)):
        print(json.dumps({"walk": name, "walks": len(walks), **median(walks)}))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    asyncio.run(main())
