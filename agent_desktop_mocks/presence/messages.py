"""Instant messages to people in the directory, and the replies they send back (simulated).

A message is stored and published as a `message` event; then the person answers the
way their presence suggests: someone free replies in a few seconds, someone busy or away
sends an automatic reply at once, someone presenting (DoNotDisturb) or offline does not answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from dataclasses import dataclass, field
from typing import Any

from agent_desktop_mocks.presence.directory import TOPIC, Directory
from agent_desktop_mocks.presence.schemas import Availability, ChatMessage, Expert, MessageCreate, MessageEvent

A = Availability
_FREE_REPLIES = [
    "Sure, I can take this. Send them over when you're ready.",
    "Happy to help. Consult me first so I can hear the details.",
    "On it. Give me a minute to pull up the account.",
]
_AUTO_REPLY = {
    A.BUSY: "Automatic reply: I'm busy ({activity}). I'll get back to you as soon as I can.",
    A.BUSY_IDLE: "Automatic reply: I'm busy ({activity}). I'll get back to you as soon as I can.",
    A.BE_RIGHT_BACK: "Automatic reply: I'll be right back.",
    A.AWAY: "Automatic reply: I'm away from my desk.",
}
# Seconds (divided by the server's speed) before a free person answers.
FREE_REPLY_DELAY_S = (1.0, 3.0)
AUTO_REPLY_DELAY_S = (0.2, 0.6)


@dataclass
class Messenger:
    directory: Directory
    rng: random.Random = field(default_factory=random.Random)
    _pending: set[asyncio.Task[None]] = field(default_factory=set)

    def create_tables(self) -> None:
        if "messages" in self.directory.db.table_names():
            return
        self.directory.db.table("messages").create(
            {"seq": int, "person_id": str, "direction": str, "text": str, "sender": str, "sent_at": str}, pk="seq"
        )
        self.directory.db.table("messages").create_index(["person_id", "seq"])

    def conversation(self, person_id: str) -> list[ChatMessage]:
        rows = self.directory.db.query("select * from messages where person_id = ? order by seq", [person_id])
        return [_message(row) for row in rows]

    def send(self, person: Expert, body: MessageCreate) -> ChatMessage:
        """Store and publish the message, and schedule the person's reply (if they would reply)."""
        message = self._store(person.id, "outbound", body.text, body.sender)
        reply = self._reply_for(person)
        if reply is not None:
            delay, text = reply
            task = asyncio.get_running_loop().create_task(self._reply_later(person.id, delay, text))
            self._pending.add(task)
            task.add_done_callback(self._pending.discard)
        return message

    async def aclose(self) -> None:
        for task in list(self._pending):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def _reply_for(self, person: Expert) -> tuple[float, str] | None:
        speed = self.directory.settings.actor_speed
        availability = person.presence.availability
        if availability.value in (A.AVAILABLE, A.AVAILABLE_IDLE):
            return self.rng.uniform(*FREE_REPLY_DELAY_S) / speed, self.rng.choice(_FREE_REPLIES)
        template = _AUTO_REPLY.get(availability)
        if template is None:  # DoNotDisturb, Offline, unknown: no answer
            return None
        activity = _words(person.presence.activity.value if person.presence.activity else availability.value)
        return self.rng.uniform(*AUTO_REPLY_DELAY_S) / speed, template.format(activity=activity)

    async def _reply_later(self, person_id: str, delay_s: float, text: str) -> None:
        await asyncio.sleep(delay_s)
        person = self.directory.person(person_id)
        self._store(person_id, "inbound", text, person.name if person else None)

    def _store(self, person_id: str, direction: str, text: str, sender: str | None) -> ChatMessage:
        table = self.directory.db.table("messages")
        seq = table.insert(
            {
                "person_id": person_id,
                "direction": direction,
                "text": text,
                "sender": sender,
                "sent_at": self.directory.clock.now().isoformat(),
            }
        ).last_pk
        assert seq is not None  # the insert just made sets it
        message = _message(table.get(seq))
        self.directory.events.publish([TOPIC], "expert_message", MessageEvent(message=message).model_dump(mode="json"))
        return message


def _words(camel: str) -> str:
    """InAMeeting -> in a meeting."""
    out = "".join(f" {c.lower()}" if c.isupper() else c for c in camel).strip()
    return out


def _message(row: dict[str, Any]) -> ChatMessage:
    return ChatMessage(
        id=f"m-{row['seq']:06d}",
        person_id=row["person_id"],
        direction=row["direction"],
        text=row["text"],
        sender=row["sender"],
        sent_at=row["sent_at"],
    )
