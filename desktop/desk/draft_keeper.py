"""What the agent typed and has not saved or sent, kept on disk as it is typed: each contact's wrap-up, each
conversation's composer and its private notes (desk/drafts.py and desk/conversation_drafts.py are the
stores). Writes run off the event loop, one in flight; keys typed during a write go in the next one."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from desktop.desk.conversation_drafts import ConversationDraftStore
from desktop.desk.conversations import PrivateNote
from desktop.desk.desk import Desk
from desktop.desk.drafts import DraftStore


class DraftKeeper:
    def __init__(
        self,
        desk: Desk,
        drafts: DraftStore | None,
        conversation_drafts: ConversationDraftStore | None,
        spawn: Callable[[Awaitable[object]], asyncio.Future],
    ) -> None:
        """`spawn`: starts a background task the controller owns (and cancels when it stops). No store: the
        desk keeps what was typed in memory only."""
        self.desk = desk
        self.drafts = drafts
        self.conversation_drafts = conversation_drafts
        self._spawn = spawn
        self._unsaved_drafts: set[str] = set()
        self._unsaved_composer: set[str] = set()
        self._writer: asyncio.Future | None = None  # writes drafts while there are unsaved ones

    def wrap_up_changed(self, contact_id: str) -> None:
        """The desk has a new wrap-up draft for the contact: on disk at once."""
        if self.drafts is not None:
            self._unsaved_drafts.add(contact_id)
            self._start_writer()

    def composer_changed(self, contact_id: str) -> None:
        if self.conversation_drafts is not None:
            self._unsaved_composer.add(contact_id)
            self._start_writer()

    def note_added(self, contact_id: str, note: PrivateNote) -> None:
        if self.conversation_drafts is not None:
            self._spawn(asyncio.to_thread(self.conversation_drafts.add_note, contact_id, note))

    def forget(self, contact_id: str) -> None:
        """The contact is done: nothing of it is kept."""
        self._unsaved_drafts.discard(contact_id)
        self._unsaved_composer.discard(contact_id)
        if self.drafts is not None:
            self._spawn(asyncio.to_thread(self.drafts.forget, contact_id))
        if self.conversation_drafts is not None:
            self._spawn(asyncio.to_thread(self.conversation_drafts.forget, contact_id))

    async def flush(self) -> None:
        """Before stopping: the write in flight finishes (it would land after a newer one written here), then
        what was typed since is written."""
        if self._writer is not None:
            await asyncio.gather(self._writer, return_exceptions=True)
        self._write(*self._take_unsaved())

    def _start_writer(self) -> None:
        if self._writer is None or self._writer.done():
            self._writer = self._spawn(self._write_while_unsaved())

    async def _write_while_unsaved(self) -> None:
        """Follow the keys: each draft is written as soon as it changes. A crash (even SIGKILL) loses at most
        the keys typed during the last write, a few milliseconds (`make bench`: draft_write)."""
        while self._unsaved_drafts or self._unsaved_composer:
            await asyncio.to_thread(self._write, *self._take_unsaved())

    def _take_unsaved(self) -> tuple[dict, dict[str, str]]:
        unsaved = {cid: self.desk.wrap_ups[cid] for cid in self._unsaved_drafts if cid in self.desk.wrap_ups}
        composed = {cid: self.desk.conversations.composer.get(cid, "") for cid in self._unsaved_composer}
        self._unsaved_drafts.clear()
        self._unsaved_composer.clear()
        return unsaved, composed

    def _write(self, unsaved: dict, composed: dict[str, str]) -> None:
        for contact_id, draft in unsaved.items():
            if self.drafts is not None:
                self.drafts.save(contact_id, draft)
        for contact_id, text in composed.items():
            if self.conversation_drafts is not None:
                self.conversation_drafts.save_draft(contact_id, text)
