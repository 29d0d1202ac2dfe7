"""Typing in the composer with its draft on disk after every key (nothing typed is lost).

Three figures, in the same run:
- `composer_key_to_frame_reference`: a bare Textual `TextArea`, nothing of ours: what Textual costs;
- `composer_key_to_frame`: the desk's `Composer`, each key kept by the controller, which writes the draft
  to its SQLite store (PCI-masked, secure_delete) off the event loop as soon as it changes;
- `draft_write`: one such write, the most a crash can lose is the keys typed during one.
Keys come every 30 ms (a fast typist), so frames do not merge; every wait is bounded.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchmarks.bench_transcript import FrameClock
from benchmarks.figures import timing

KEYS = 300
SIZE = (120, 40)
TEXT = "Thanks for waiting, I have refunded the late fee to your card ending 1111 and it shows in 3 days. "


async def _key_to_frame(ours: bool, folder: Path) -> tuple[list[float], list[float]]:
    from textual import events
    from textual.app import App, ComposeResult
    from textual.widgets import TextArea

    from agent_desktop.agent_desk.controller import DeskController
    from agent_desktop.agent_desk.desk import Desk
    from agent_desktop.agent_desk.drafts.conversation_drafts import ConversationDraftStore
    from agent_desktop.outbox.store import Outbox
    from agent_desktop.ui.agent.conversations.composer import Composer

    writes: list[float] = []
    store = ConversationDraftStore(folder / "outbox-conversations.db")
    save = store.save_draft

    def timed_save(contact_id: str, text: str) -> None:
        began = time.perf_counter()
        save(contact_id, text)
        writes.append((time.perf_counter() - began) * 1000)

    store.save_draft = timed_save  # type: ignore[method-assign]
    no_backend = None  # the composer alone: nothing here reaches a contact center, a CRM or a directory
    controller = DeskController(
        Desk("agent-001"),
        no_backend,  # type: ignore[arg-type]
        no_backend,  # type: ignore[arg-type]
        no_backend,  # type: ignore[arg-type]
        Outbox(folder / "outbox.db"),
        conversation_drafts=store,
    )

    class Bench(App[None]):
        def compose(self) -> ComposeResult:
            if ours:
                composer = Composer(id="composer")
                composer.contact_id = "c-1"
                yield composer
            else:
                yield TextArea(id="composer")

        def on_composer_edited(self, message: Composer.Edited) -> None:
            controller.conversation.keep_composer(message.contact_id, message.text)

    latencies: list[float] = []
    app = Bench()
    async with app.run_test(size=SIZE) as pilot:
        frames = FrameClock(app)
        app.query_one("#composer").focus()
        await pilot.pause()
        for n in range(KEYS):
            char = TEXT[n % len(TEXT)]
            frame = frames.next_frame()
            began = time.perf_counter()
            app.post_message(events.Key("space" if char == " " else char, char))
            latencies.append((await asyncio.wait_for(frame, 5) - began) * 1000)
            await asyncio.sleep(0.03)
        await controller.aclose()
    store.close()
    return latencies, writes


def run() -> Iterator[dict[str, Any]]:
    with tempfile.TemporaryDirectory() as reference_folder, tempfile.TemporaryDirectory() as folder:
        reference, _ = asyncio.run(_key_to_frame(False, Path(reference_folder)))
        ours, writes = asyncio.run(_key_to_frame(True, Path(folder)))
    yield timing("composer_key_to_frame_reference", reference, target=50.0, unit="ms", digits=2)
    yield timing("composer_key_to_frame", ours, target=50.0, unit="ms", digits=2)
    yield timing("draft_write", writes, target=20.0, unit="ms", digits=2)
