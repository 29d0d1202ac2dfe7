"""The simulator's chat customers on a queue whose chat entry has the virtual agent: each writes what they came for,
reads the bot's answer, then (seeded) thanks it and leaves, asks for a person, or grows angry — so the demo's floor
shows contained, escalated and failed chats, and its agents get handoff offers. Real time only, as the IVR's dip.

Its callers on a queue whose calls the bot answers first: past the IVR, the bot answers them (`answer_call`: a real
call on the real voice path, else their script's lines heard as text), and hands them to the queue with what the IVR
learnt, or they hang up served."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from agent_desktop_mocks.ccaas.core.wire.schemas import AttachedData
from agent_desktop_mocks.ccaas.virtual_agent.service import VirtualAgent

log = logging.getLogger(__name__)

READS_FOR_S = 12.0  # simulated seconds the customer reads the bot's answer before writing again
# The bot answering a call: (queue, the caller's number, subject, what the IVR learnt).
AnswerCall = Callable[[str, str, str, AttachedData | None], Awaitable[object]]
THEN = (
    (0.5, None),  # served: they thank the bot and leave
    (0.3, "Thanks, but can I talk to a person please?"),
    (0.2, "That is wrong and useless, this is ridiculous."),
)


@dataclass(eq=False)
class BotCustomers:
    virtual_agent: Callable[[], VirtualAgent | None]
    rng: random.Random
    speed: float
    answer_call: AnswerCall | None = None  # None: no call goes to the bot
    _chats: set[asyncio.Task[None]] = field(default_factory=set)

    def takes(self, queue_id: str) -> VirtualAgent | None:
        bot = self.virtual_agent()
        return bot if bot is not None and queue_id in bot.queues else None

    def answers_calls(self, queue_id: str) -> bool:
        bot = self.virtual_agent()
        return self.answer_call is not None and bot is not None and queue_id in bot.call_queues

    def call(self, queue_id: str, address: str, subject: str, attached: AttachedData | None) -> None:
        """A caller past the IVR, answered by the bot first."""
        answer = self.answer_call
        if answer is None:
            return

        async def call() -> None:
            try:
                await answer(queue_id, address, subject, attached)
            except Exception:  # a bug here must not stop the simulator
                log.exception("simulated call to the virtual agent failed")

        self._keep(asyncio.get_running_loop().create_task(call()))

    def _keep(self, task: asyncio.Task[None]) -> None:
        self._chats.add(task)
        task.add_done_callback(self._chats.discard)

    def write(self, bot: VirtualAgent, queue_id: str, address: str, subject: str) -> None:
        """A customer opens the chat with the bot; what they do next is drawn now, from the bots' own draws (the
        simulator's stay as they were)."""
        draw = self.rng.random()
        then = next((text for share, text in THEN if (draw := draw - share) < 0), None)

        async def chat() -> None:
            try:
                opened = await bot.open(queue_id, address, f"Hi, {subject[:1].lower()}{subject[1:]}.")
                if opened.outcome != "talking":
                    return
                await asyncio.sleep(READS_FOR_S / self.speed)
                if then is None:
                    bot.leave(opened.id)
                else:
                    await bot.customer_says(opened.id, then)
            except Exception:  # a bug here must not stop the simulator
                log.exception("simulated chat with the virtual agent failed")

        self._keep(asyncio.get_running_loop().create_task(chat()))
