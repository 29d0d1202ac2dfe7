"""Messages an agent sends a customer, kept in the CCaaS database: a send is idempotent on the agent's key (the same
key answers the first message, sent once), and the delivery status is read off the mock's clock, as a CPaaS's
callbacks would move it: queued, sent after `SENT_AFTER_S`, delivered after `DELIVERED_AFTER_S` (both within the
mock's `time_scale`), or failed once out of the queue when the address cannot be one (too few digits, no @)."""

from __future__ import annotations

import re

import sqlite_utils
from fastapi import HTTPException, status

from agent_desktop_mocks.ccaas.messaging.schemas import Message, MessageCreate
from agent_desktop_mocks.common.clock import Clock
from agent_desktop_mocks.common.http.auth import Principal

SENT_AFTER_S = 1.0
DELIVERED_AFTER_S = 2.0
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def deliverable(channel: str, to: str) -> bool:
    """Whether `to` can be an address of the channel: 10 to 15 digits for an SMS, one @ and a domain for an email."""
    if channel == "email":
        return bool(_EMAIL.match(to))
    digits = sum(c.isdigit() for c in to)
    return 10 <= digits <= 15 and not re.search(r"[^\d\s()+.-]", to)


class MessagingService:
    def __init__(self, db: sqlite_utils.Database, clock: Clock, *, time_scale: float = 1.0) -> None:
        self.conn = db.conn
        self.clock = clock
        self.time_scale = time_scale
        self.conn.executescript(
            """
            create table if not exists messages (id text primary key, agent_id text, key text, data text);
            create unique index if not exists messages_by_key on messages (agent_id, key);
            """
        )
        self.conn.commit()

    def replayed(self, who: Principal, body: MessageCreate, key: str) -> Message | None:
        """The message already sent under `key` (None: none was); 409 if it was another message."""
        if who.role != "agent":
            raise HTTPException(status.HTTP_403_FORBIDDEN, "an agent sends follow-ups to their customers")
        found = self.conn.execute(
            "select data from messages where agent_id = ? and key = ?", [who.subject, key]
        ).fetchone()
        if found is None:
            return None
        first = Message.model_validate_json(found[0])
        if (first.channel, first.to, first.body) != (body.channel, body.to, body.body):
            raise HTTPException(status.HTTP_409_CONFLICT, "this Idempotency-Key was used for another message")
        return self._now(first)

    def send(self, who: Principal, body: MessageCreate, key: str) -> tuple[Message, bool]:
        """The message sent under `key` (and whether it is new): the same key again is the first message."""
        first = self.replayed(who, body, key)
        if first is not None:
            return first, False
        (count,) = self.conn.execute("select count(*) from messages").fetchone()
        message = Message(
            id=f"msg-{count + 1:06d}",
            agent_id=who.subject,
            channel=body.channel,
            to=body.to,
            body=body.body,
            status="queued",
            created_at=self.clock.now(),
        )
        with self.conn:
            self.conn.execute(
                "insert into messages values (?, ?, ?, ?)", [message.id, who.subject, key, message.model_dump_json()]
            )
        return message, True

    def sent_by(self, who: Principal, to: str | None = None) -> list[Message]:
        """The caller's messages (to `to` only, if given), oldest first, each with its status now."""
        rows = self.conn.execute("select data from messages where agent_id = ? order by id", [who.subject])
        found = [Message.model_validate_json(row[0]) for row in rows]
        return [self._now(m) for m in found if to is None or m.to == to]

    def get(self, who: Principal, message_id: str) -> Message:
        found = self.conn.execute("select data from messages where id = ?", [message_id]).fetchone()
        if found is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"no message {message_id}")
        message = Message.model_validate_json(found[0])
        if who.role != "agent" or who.subject != message.agent_id:
            raise HTTPException(status.HTTP_403_FORBIDDEN, "not your message")
        return self._now(message)

    def _now(self, message: Message) -> Message:
        """The message with its status as of now."""
        elapsed = (self.clock.now() - message.created_at).total_seconds() * self.time_scale
        if elapsed < SENT_AFTER_S:
            return message
        if not deliverable(message.channel, message.to):
            return message.model_copy(update={"status": "failed", "error": f"not a valid {message.channel} address"})
        return message.model_copy(update={"status": "sent" if elapsed < DELIVERED_AFTER_S else "delivered"})
