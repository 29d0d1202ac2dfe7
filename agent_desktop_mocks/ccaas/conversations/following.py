"""The conversations following the routing engine: after each commit, on its typed domain events, and catching
up from the event log after a failure or a restart.

The engine tells its listeners after it committed (`Engine.listen`), so nothing here can undo a routing
change. Each unit of work's digital contact changes are taken in (`ConversationService.contact_changed`) in
one transaction of the conversations, with the engine's event id reached saved beside them (the cursor). A
failure rolls that back whole and leaves the service behind; it then catches up from the event log's stored
`contact` events after the cursor: on the engine's next change, on a retry (`on_behind`: timeline.py
schedules one) and at start (`attach`: a restart replays what was missed, and nothing twice).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from agent_desktop_mocks.ccaas.conversations.schemas import DIGITAL
from agent_desktop_mocks.ccaas.conversations.service import ConversationService
from agent_desktop_mocks.ccaas.core.domain_events import ContactChanged, DomainEvent
from agent_desktop_mocks.ccaas.core.wire.schemas import Contact
from agent_desktop_mocks.ccaas.shell.engine import SUPERVISOR_TOPIC
from agent_desktop_mocks.ccaas.shell.sse_events import ContactEvent

log = logging.getLogger(__name__)


class EngineFollower:
    def __init__(self, service: ConversationService) -> None:
        self.service = service
        self.on_behind: Callable[[], None] = lambda: None  # told when taking the engine's changes in failed
        self._cursor = 0  # the engine's event id up to which its changes are taken in (saved with digital ones)

    def attach(self) -> None:
        """Follow the engine's committed changes, and take in those made since the saved cursor (a restart,
        or a failure the server stopped before catching up from). A database from before the cursor was kept
        is taken up from the engine's contacts as they are now."""
        service = self.service
        service.engine.listen(self.on_engine_events)
        cursor = service.store.cursor()
        if cursor is not None:
            self._cursor = cursor
            self.catch_up()
            return
        self._cursor = service.engine.last_event_id
        with service.transaction():
            for contact in service.engine.read.contacts():
                if contact.channel in DIGITAL:
                    service.contact_changed(contact)
            service.store.save_cursor(self._cursor)

    def on_engine_events(self, events: list[DomainEvent]) -> None:
        """A unit of work of the engine was committed: take in its digital contacts' changes (one transaction)."""
        if self.service.behind:
            if events:
                self.catch_up()  # the log holds this unit's events too, after the ones missed
            return
        reached = self.service.engine.last_event_id
        contacts = [
            event.contact for event in events if isinstance(event, ContactChanged) and event.contact.channel in DIGITAL
        ]
        if contacts:
            self._take_in(lambda: (contacts, reached))
        else:
            self._cursor = reached  # nothing of ours: saved with the next change that is

    def catch_up(self) -> None:
        """Take in the `contact` events the event log holds after the cursor, as they were published."""
        self._take_in(self._missed)

    def _missed(self) -> tuple[list[Contact], int]:
        stored = self.service.events.stored(SUPERVISOR_TOPIC, "contact", self._cursor)
        contacts = [ContactEvent.model_validate_json(data).contact for _, data in stored]
        reached = max(self._cursor, stored[-1][0]) if stored else self._cursor
        return [c for c in contacts if c.channel in DIGITAL], reached

    def _take_in(self, changes: Callable[[], tuple[Iterable[Contact], int]]) -> None:
        """The contacts' changes taken in, and the cursor saved, in one transaction; or, failing, none of it."""
        service = self.service
        try:
            with service.transaction():
                contacts, reached = changes()
                for contact in contacts:
                    service.contact_changed(contact)
                service.store.save_cursor(reached)
        except Exception as error:  # rolled back whole: the routing change stands, the log keeps what to take in
            if service.behind:  # still failing: the first failure's traceback is in the log already
                log.warning("the conversations still cannot take in the engine's changes: %r", error)
            else:
                log.exception("the conversations could not take in the engine's changes; they catch up later")
            service.behind = True
            self.on_behind()
            return
        self._cursor = reached
        service.behind = False
