"""What the agent typed and has not saved or sent, kept on disk as it is typed: each contact's wrap-up, each
conversation's composer and its private notes (desk/drafts.py and desk/conversation_drafts.py are the
stores). Writes run off the event loop, one in flight; keys typed during a write go in the next one.

A write the disk refuses (full, or failing) loses nothing: what was typed stays on the desk and on the screen,
the agent is told at once (`on_problem`), and the write is tried again every `retry_s` until the disk takes it
(then `on_problem(None)`). Quitting never waits for a disk that stays full."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from agent_desktop.agent_desk.drafts.conversation_drafts import ConversationDraftStore
from agent_desktop.agent_desk.drafts.drafts import Draft, DraftStore
from agent_desktop.local.disk_writes import LOCAL_WRITE_ERRORS, why_not_written
from agent_desktop.transcripts.conversation import PrivateNote

log = logging.getLogger(__name__)
# How long a write the disk refused waits before it is tried again.
DISK_RETRY_S = 5.0


@dataclass
class _Batch:
    """One round of writes; each is taken out as it lands, so what is left after a failure is what did not."""

    drafts: dict[str, Draft] = field(default_factory=dict)
    composed: dict[str, str] = field(default_factory=dict)
    notes: list[tuple[str, PrivateNote]] = field(default_factory=list)
    forgotten: set[str] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.drafts or self.composed or self.notes or self.forgotten)


class _Composers(Protocol):
    @property
    def composer(self) -> Mapping[str, str]: ...


class DraftDesk(Protocol):
    """The desk as the keeper reads it (desk/model.py's Desk, which imports this package): each contact's wrap-up
    typed so far, and each conversation's composer (its parts: wrap_up/ and conversations/ import drafts, so they
    are named here by what is read of them)."""

    @property
    def wrap_ups(self) -> Mapping[str, Draft]: ...

    @property
    def conversations(self) -> _Composers: ...


class DraftKeeper:
    def __init__(
        self,
        desk: DraftDesk,
        drafts: DraftStore | None,
        conversation_drafts: ConversationDraftStore | None,
        spawn: Callable[[Awaitable[object]], asyncio.Future[object]],
        *,
        retry_s: float = DISK_RETRY_S,
        on_problem: Callable[[str | None], None] = lambda why: None,
    ) -> None:
        """`spawn`: starts a background task the controller owns (and cancels when it stops). No store: the
        desk keeps what was typed in memory only. `on_problem(why)`: the disk began refusing writes ("disk full"),
        or (None) took them all again."""
        self.desk = desk
        self.drafts = drafts
        self.conversation_drafts = conversation_drafts
        self._spawn = spawn
        self.retry_s = retry_s
        self._on_problem = on_problem
        self.problem: str | None = None  # why the last write failed, until one succeeds
        self._unsaved_drafts: set[str] = set()
        self._unsaved_composer: set[str] = set()
        self._unsaved_notes: list[tuple[str, PrivateNote]] = []
        self._unforgotten: set[str] = set()  # contacts done whose rows the disk has not let go of yet
        self._writer: asyncio.Future[object] | None = None  # writes while anything is unsaved
        self._retry_now = asyncio.Event()
        self._stopping = False

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
            self._unsaved_notes.append((contact_id, note))
            self._start_writer()

    def forget(self, contact_id: str) -> None:
        """The contact is done: nothing of it is kept."""
        self._unsaved_drafts.discard(contact_id)
        self._unsaved_composer.discard(contact_id)
        self._unsaved_notes = [(cid, note) for cid, note in self._unsaved_notes if cid != contact_id]
        if self.drafts is not None or self.conversation_drafts is not None:
            self._unforgotten.add(contact_id)
            self._start_writer()

    def retry_now(self) -> None:
        """Try a write the disk refused again now, rather than at the next retry."""
        self._retry_now.set()

    async def flush(self) -> None:
        """Before stopping: the write in flight finishes (it would land after a newer one written here), then
        what was typed since is written, once: a disk that stays full does not hold the desk open."""
        self._stopping = True
        self._retry_now.set()
        if self._writer is not None:
            await asyncio.gather(self._writer, return_exceptions=True)
        batch = self._take_unsaved()
        try:
            self._write(batch)
        except LOCAL_WRITE_ERRORS as error:
            log.error("drafts not written at quit: %s", why_not_written(error))

    def _start_writer(self) -> None:
        if not self._stopping and (self._writer is None or self._writer.done()):
            self._writer = self._spawn(self._write_while_unsaved())

    def _has_unsaved(self) -> bool:
        return bool(self._unsaved_drafts or self._unsaved_composer or self._unsaved_notes or self._unforgotten)

    async def _write_while_unsaved(self) -> None:
        """Follow the keys: each draft is written as soon as it changes. A crash (even SIGKILL) loses at most
        the keys typed during the last write, a few milliseconds (`make bench`: draft_write)."""
        while self._has_unsaved() and not self._stopping:
            batch = self._take_unsaved()
            try:
                await asyncio.to_thread(self._write, batch)
            except LOCAL_WRITE_ERRORS as error:
                self._put_back(batch)
                self._said(why_not_written(error))
                self._retry_now.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._retry_now.wait(), self.retry_s)
            except BaseException:
                self._put_back(batch)  # cancelled mid-write: rewritten by flush (a draft's row is replaced)
                raise
            else:
                self._said(None)

    def _said(self, why: str | None) -> None:
        """Told once when writes begin to fail (or fail for another reason), once when they land again."""
        if why != self.problem:
            self.problem = why
            self._on_problem(why)

    def _take_unsaved(self) -> _Batch:
        batch = _Batch(
            drafts={cid: self.desk.wrap_ups[cid] for cid in self._unsaved_drafts if cid in self.desk.wrap_ups},
            composed={cid: self.desk.conversations.composer.get(cid, "") for cid in self._unsaved_composer},
            notes=self._unsaved_notes,
            forgotten=self._unforgotten,
        )
        self._unsaved_drafts, self._unsaved_composer = set(), set()
        self._unsaved_notes, self._unforgotten = [], set()
        return batch

    def _put_back(self, batch: _Batch) -> None:
        """What did not land waits for the next write (a draft is read from the desk again then: its newest)."""
        self._unsaved_drafts |= set(batch.drafts)
        self._unsaved_composer |= set(batch.composed)
        self._unsaved_notes[:0] = batch.notes
        self._unforgotten |= batch.forgotten

    def _write(self, batch: _Batch) -> None:
        """Each write taken out of `batch` as it lands (a note must not be added twice on a retry)."""
        for contact_id in list(batch.forgotten):
            if self.drafts is not None:
                self.drafts.forget(contact_id)
            if self.conversation_drafts is not None:
                self.conversation_drafts.forget(contact_id)
            batch.forgotten.discard(contact_id)
        for contact_id, draft in list(batch.drafts.items()):
            if self.drafts is not None:
                self.drafts.save(contact_id, draft)
            del batch.drafts[contact_id]
        for contact_id, text in list(batch.composed.items()):
            if self.conversation_drafts is not None:
                self.conversation_drafts.save_draft(contact_id, text)
            del batch.composed[contact_id]
        while batch.notes:
            contact_id, note = batch.notes[0]
            if self.conversation_drafts is not None:
                self.conversation_drafts.add_note(contact_id, note)
            batch.notes.pop(0)
