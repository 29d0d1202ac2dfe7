"""A chat the mock contact center's virtual agent handed on, for `make screenshots`: the offer saying why, what the
customer came for and their mood before the agent answers ("agent-handoff-offer", at 120×40 and 80×24); and a call it
answered first, accepted, its area keeping the bot's line and what the two said ("agent-handoff-call"). On the
in-process mocks, the bot answering through the mock model from the CRM's knowledge base: every run the same."""

from __future__ import annotations

import tempfile
from pathlib import Path

from tests.support.in_process.scenes import go_available, loaded, scene_app, scene_mocks, wait_until
from tests.support.scenes.pilot_steps import screen_text
from tests.support.virtual_agent import bot_on, customer, model_app

SIZE = (120, 40)
SAID = (
    "I was charged twice for my bill this month, can you refund the double charge?",
    "That does not help, it is ridiculous. Can I talk to a person?",
)


async def capture_handoff(name: str, folder: Path, *, size: tuple[int, int] = SIZE) -> Path:
    with tempfile.TemporaryDirectory() as data_dir:
        mocks = scene_mocks(Path(data_dir))
        try:
            bot_on(mocks, model_app())
            app = scene_app(mocks)
            async with app.run_test(size=size) as pilot:
                await loaded(pilot)
                await go_available(pilot)
                async with customer(mocks) as web:
                    opened = await web.post(
                        "/v1/virtual-agent/chats",
                        json={"queue_id": "billing", "from_address": "pat.lee@example.net", "text": SAID[0]},
                    )
                    await web.post(f"/v1/virtual-agent/chats/{opened.json()['id']}/messages", json={"text": SAID[1]})
                await wait_until(pilot, lambda: "Bot ›" in screen_text(pilot, "#offer"), "the handoff on the offer")
                await pilot.pause(0.3)
                return Path(app.save_screenshot(filename=f"{name}.svg", path=str(folder)))
        finally:
            await mocks.aclose()


async def capture_handoff_call(name: str, folder: Path, *, size: tuple[int, int] = SIZE) -> Path:
    with tempfile.TemporaryDirectory() as data_dir:
        mocks = scene_mocks(Path(data_dir))
        try:
            bot_on(mocks, model_app(), queues=(), call_queues=("billing",))
            app = scene_app(mocks)
            async with app.run_test(size=size) as pilot:
                await loaded(pilot)
                await go_available(pilot)
                async with customer(mocks) as web:
                    body = {"queue_id": "billing", "from_address": "+14155550123", "said": list(SAID)}
                    await web.post("/v1/virtual-agent/calls", json=body)
                await wait_until(pilot, lambda: "Bot ›" in screen_text(pilot, "#offer"), "the handoff on the offer")
                await pilot.press("a")
                await wait_until(pilot, lambda: "Bot ›" in screen_text(pilot, "#call-handover"), "the call's area")
                await pilot.pause(0.3)
                return Path(app.save_screenshot(filename=f"{name}.svg", path=str(folder)))
        finally:
            await mocks.aclose()
