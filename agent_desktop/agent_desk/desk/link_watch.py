"""The backends' links as the desk's status line shows them, and what a link coming back asks for: the contact
center's queues, states and transcripts read again (said once where the desk itself was paused), the experts'
search again. The assistant's figures are shown beside them."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Protocol

from agent_desktop.agent_desk.changes import (
    DeskChanges,
    Effect,
    LoadConversation,
    LoadQueues,
    LoadStateCatalog,
    SearchExperts,
)
from agent_desktop.domain.assist.protocol import AssistantFigures
from agent_desktop.domain.streams.link_status import LinkStatus

if TYPE_CHECKING:
    from agent_desktop.agent_desk.conversations.conversations_in_hand import ConversationsInHand
    from agent_desktop.agent_desk.experts.directory import ExpertDirectory
    from agent_desktop.domain.changes import Severity

log = logging.getLogger(__package__)  # the desk's log, as when its rules were one module


class LinkDesk(Protocol):
    """The desk as the link watch sees it (model.py's Desk, which builds it): the links and the assistant's figures it
    sets, the conversations and the experts' search a link coming back reloads, and its notices. The desk builds its
    rules; they never import it."""

    links: dict[str, LinkStatus]
    assistant: AssistantFigures | None

    @property
    def conversations(self) -> ConversationsInHand: ...

    @property
    def directory(self) -> ExpertDirectory: ...

    def changed(self) -> DeskChanges: ...

    def notice(
        self, text: str, title: str, severity: Severity = "information", timeout: float | None = None
    ) -> None: ...


class LinkWatch:
    def __init__(self, desk: LinkDesk) -> None:
        self.desk = desk
        self._paused_links: set[str] = set()  # lost because the desk was paused, not back yet

    def set_link(self, status: LinkStatus, kind: str) -> list[Effect]:
        desk = self.desk
        before = desk.links.get(status.backend)
        desk.links = {**desk.links, status.backend: status}
        desk.changed().links = True
        if not status.connected:
            if before is None or before.connected:
                log.warning("%s: link lost: %s", status.backend, status.detail)
            if status.paused:
                self._paused_links.add(status.backend)  # said when it is back, whatever failed on the way
            return []
        if before is not None and not before.connected:
            log.warning("%s: link back", status.backend)
        elif before is None:
            log.info("%s: connected", status.backend)
        if before is not None and before.connected and status.unreadable > before.unreadable:
            # Still up, but an event could not be read (logged, counted on the status line): if it was one
            # of a conversation's, re-reading the transcripts brings it back.
            return [LoadConversation(cid) for cid in desk.conversations] if kind == "contact_center" else []
        if status.backend in self._paused_links and kind == "contact_center":
            # The desk itself was stopped or asleep: said for a while (the gap itself may be too short to be drawn),
            # once (the other links resume quietly), since what is on screen may have changed meanwhile.
            desk.notice(
                f"The desk was paused; what it shows was read again from {status.backend}.", "Resumed", timeout=10
            )
        self._paused_links.discard(status.backend)
        # Back after a gap: what was fetched before may be stale (a transcript re-read merges by id).
        if kind == "contact_center":
            return [LoadQueues(), LoadStateCatalog(), *(LoadConversation(cid) for cid in desk.conversations)]
        return [SearchExperts(desk.directory.search, desk.directory.skill)]

    def set_assistant(self, figures: AssistantFigures) -> None:
        """The assistant answered, failed or spent tokens: the status line shows it (with the links)."""
        if figures != self.desk.assistant:
            self.desk.assistant = figures
            self.desk.changed().links = True
