"""Wrap-up: the form kept as typed, the outbox written first, then the contact completed; the outbox's writes listed and a refused one fixed and sent again.

A wrap-up the disk cannot take (full, or failing) stays open on the desk, saying why, with what was typed; it is
saved by itself when the disk has room again (tried every `disk_retry_s`; ctrl+s tries at once)."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import TYPE_CHECKING, Protocol

from agent_desktop import agent_desk
from agent_desktop.agent_desk.conversations.conversation_use_cases import ConversationUseCases
from agent_desktop.agent_desk.drafts.drafts import Draft
from agent_desktop.agent_desk.follow_ups.follow_up import wrapped_up
from agent_desktop.agent_desk.refusals import logged_refusal
from agent_desktop.agent_desk.use_case import DeskNotices, DeskUseCase, UseCaseHost
from agent_desktop.agent_desk.wrap_up import wrap_up_rules
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.models import Contact, Target
from agent_desktop.domain.vocabulary import ContactState
from agent_desktop.local.disk_writes import LOCAL_WRITE_ERRORS, why_not_written
from agent_desktop.outbox.fixes import fixed_payload
from agent_desktop.outbox.outcome import wrap_up_outcome
from agent_desktop.outbox.payloads import InteractionWrite
from agent_desktop.outbox.store import EntryKind, EntryState, OutboxEntry
from agent_desktop.outbox.wrap_up import enqueue_wrap_up, lines_left_out
from agent_desktop.transcripts.call_coaching import for_the_crm as coaching_for_the_crm

if TYPE_CHECKING:  # the outbox view's rows: loaded with the view (agent_desktop/agent_desk/__init__.py)
    from agent_desktop.agent_desk.callers.lookups import CallerLookups
    from agent_desktop.agent_desk.changes import Effect
    from agent_desktop.agent_desk.contacts import HeldContact
    from agent_desktop.agent_desk.conversations.conversations_in_hand import ConversationsInHand
    from agent_desktop.agent_desk.flags.supervisor_help import SupervisorHelp
    from agent_desktop.agent_desk.follow_ups.follow_up import WrappedUp
    from agent_desktop.agent_desk.wrap_up.wrap_ups import WrapUps
    from agent_desktop.agent_desk.wrap_up.written_rows import FixName, WrittenRow
    from agent_desktop.domain.capabilities import ContactCenterCapabilities
    from agent_desktop.domain.models import Queue, WrapUpRule
    from agent_desktop.transcripts.call_transcript import CallTranscripts

TRANSFERRED = "Transferred"  # the disposition of a transfer's record


class WrapUpDesk(DeskNotices, Protocol):
    """The desk as the wrap-up's use cases read it (desk/model.py's Desk): the contacts in hand and what each part
    keeps of one (its conversation, call, flags, caller's lookup, wrap-up), the queues' rules, the contact last
    wrapped up (which they set), and the desk's own steps of a save."""

    @property
    def capabilities(self) -> ContactCenterCapabilities: ...

    @property
    def held(self) -> dict[str, HeldContact]: ...

    @property
    def queues(self) -> dict[str, Queue]: ...

    @property
    def calls(self) -> CallTranscripts: ...

    @property
    def conversations(self) -> ConversationsInHand: ...

    @property
    def help(self) -> SupervisorHelp: ...

    @property
    def lookups(self) -> CallerLookups: ...

    @property
    def wrap_ups(self) -> WrapUps: ...

    last_wrapped: WrappedUp | None

    def apply_answer(self, contact: Contact) -> list[Effect]: ...

    def begin_save(self, contact_id: str) -> bool: ...

    def save_failed(self, contact_id: str) -> None: ...

    def finish(self, contact_id: str) -> list[Effect]: ...

    def wrap_up_rule(self, contact: Contact) -> WrapUpRule | None: ...


class WrapUpUseCases(DeskUseCase[WrapUpDesk]):
    def __init__(self, controller: UseCaseHost[WrapUpDesk], conversation: ConversationUseCases) -> None:
        super().__init__(controller)
        self.conversation = conversation  # a wrap-up's summary reads the whole conversation first
        # Wrap-ups saved (ctrl+s) that the disk refused: contact id -> (disposition, notes) as submitted; saved
        # again, with what the agent typed since, until the disk takes them.
        self.waiting_for_disk: dict[str, tuple[str, str]] = {}
        # Blind transfers whose record the disk refused (not made yet): contact id -> (target, note); tried again
        # by the same loop until the disk takes the record, while the contact is still the agent's to transfer.
        self.transfers_waiting_for_disk: dict[str, tuple[Target, str | None]] = {}
        # Held transfer records the disk would not release or discard: key -> whether the transfer was made.
        self.records_to_settle: dict[str, bool] = {}
        # Contacts whose blind transfer is under way (its record held): one at a time (two would share one held record, and the
        # second's refusal would discard the record of the first, which was made).
        self.transferring: set[str] = set()
        self._disk_retry: asyncio.Future[object] | None = None

    def keep_draft(self, contact_id: str, draft: Draft) -> None:
        """What the agent typed: on the desk now, on disk at once (draft_keeper.py)."""
        if self.desk.wrap_ups.keep(contact_id, draft):
            self.kept.wrap_up_changed(contact_id)

    async def save_timed_out(self, contact_id: str) -> OutboxEntry | None:
        """A time-boxed wrap-up ran out: what was typed is saved with the code the agent chose, else
        the queue's default, whoever the caller turns out to be (a caller not picked yet is written unattributed)."""
        held = self.desk.held.get(contact_id)
        if held is None or contact_id in self.waiting_for_disk:
            return None
        rule = wrap_up_rules.rule_for(self.desk.queues.get(held.contact.queue_id), held.contact, self.desk.capabilities)
        disposition, notes = wrap_up_rules.on_timeout(rule, self.desk.wrap_ups.get(contact_id))
        entry = await self.save_wrap_up(contact_id, disposition, notes, unpicked_ok=True)
        if entry is not None:
            closed_as = held.contact.disposition  # the contact center's own code for a wrap-up that ran out
            self.desk.notice(wrap_up_rules.timed_out_words(disposition, notes, closed_as), "Wrap-up", "warning")
        return entry

    async def extend(self, contact_id: str) -> None:
        """Ask the contact center for more wrap-up time; a refusal says why on the form."""
        try:
            contact = await self.contact_center.extend_wrap_up(contact_id)
        except BackendError as error:
            self.desk.wrap_ups.say(contact_id, f"No more time: {logged_refusal(error, 'More wrap-up time')}", "warning")
            return
        self._carry_out(self.desk.apply_answer(contact))
        self.desk.wrap_ups.say(contact_id, wrap_up_rules.granted_words(self.desk.wrap_up_rule(contact), contact))

    async def save_wrap_up(
        self, contact_id: str, disposition: str, notes: str, *, unpicked_ok: bool = False
    ) -> OutboxEntry | None:
        """The outbox gets the wrap-up (local, durable), then the contact is completed: the CRM is written in
        the background, so a slow or absent CRM never holds the agent back from the next contact. Returns
        the outbox entry once the contact is done, None if it is not."""
        desk = self.desk
        await self.controller.end_answered(contact_id)  # saved as fast as `e` was pressed: completed after the end
        held = desk.held.get(contact_id)
        if held is None or not held.phase.wrapping_up:
            return None  # (an end refused: the contact is talked to again, its notes kept)
        lookup = desk.lookups.get(contact_id)
        if lookup is not None and lookup.needs_pick and not unpicked_ok:
            desk.wrap_ups.say(contact_id, "Several customers match this caller: p picks one first.", "warning")
            return None
        customer_id = lookup.record.customer.id if lookup is not None and lookup.record is not None else None
        await self.conversation.load_whole_conversation(contact_id)
        transcript, private_notes = desk.conversations.for_the_crm(contact_id)
        if (call := desk.calls.get(contact_id)) is not None:
            transcript = call.for_the_crm()  # what was said on the call, as far as it was heard
            if call.coaching is not None:  # how it was spoken, for quality evaluations
                private_notes = [*private_notes, coaching_for_the_crm(call.coaching)]
        private_notes = [*private_notes, *desk.help.thread_for_the_crm(contact_id)]  # a flag's thread
        conversation = desk.conversations.get(contact_id)
        has_older = conversation is not None and conversation.has_more and bool(conversation.items)
        never_loaded = conversation.items[0].index if has_older and conversation else 0
        earlier_in_crm = lookup.earlier_customer if lookup is not None else None
        try:
            entry = await self.outbox.aio.run(
                partial(
                    enqueue_wrap_up,
                    transcript=transcript,
                    private_notes=private_notes,
                    never_loaded=never_loaded,
                    limits=self.crm.limits,
                    earlier_in_crm=earlier_in_crm,
                ),
                self.outbox,
                held.contact,
                self.contact_center.agent_id,
                disposition,
                notes,
                customer_id,
            )
        except LOCAL_WRITE_ERRORS as error:
            self._wait_for_disk(contact_id, disposition, notes, why_not_written(error))
            return None
        self.waiting_for_disk.pop(contact_id, None)
        left_out = lines_left_out(entry)
        if left_out is not None:
            desk.notice(f"Too long for the CRM: it gets the start and the end. {left_out}", "Wrap-up", "warning")
        if contact_id not in desk.held:
            return entry  # completed meanwhile (a late timeout, saved twice)
        desk.wrap_ups.say(contact_id, "Saved in the outbox; completing the contact…")
        await self.controller.next_state_sent()  # `n` pressed with ctrl+s: the break before the contact is done
        if desk.begin_save(contact_id):
            try:
                completed = await self.contact_center.complete_contact(contact_id, disposition)
            except BackendError as error:
                if not (error.status == 409 and error.state == ContactState.COMPLETED):
                    desk.save_failed(contact_id)
                    desk.wrap_ups.say(
                        contact_id,
                        f"Saved for the CRM, but not completed. {logged_refusal(error, 'Complete')} ctrl+s retries.",
                        "error",
                    )
                    return None
            else:
                self._carry_out(desk.apply_answer(completed))
        # Done here, whatever the contact center said last: the wrap-up is in the outbox.
        self._carry_out(desk.finish(contact_id))
        if lookup is not None and lookup.record is not None:  # what a follow-up confirms
            desk.last_wrapped = wrapped_up(held.contact, lookup.record, disposition)
        # Say what is true now: the sender may have written it (or the CRM refused it) meanwhile.
        latest = await self.outbox.aio.get(entry.key)
        message, severity = wrap_up_outcome(latest or entry)
        desk.notice(message, "Wrap-up", severity)  # type: ignore[arg-type]
        return entry

    def _wait_for_disk(self, contact_id: str, disposition: str, notes: str, why: str) -> None:
        """Nothing reached the outbox: the wrap-up stays open, says why, and is saved again by itself. What was
        submitted is the desk's draft from now on, so a draft asked for before (the assistant's, answering late)
        is not taken for the agent's and saved in its place."""
        self.waiting_for_disk[contact_id] = (disposition, notes)
        self.keep_draft(contact_id, Draft(disposition, notes))
        self.desk.wrap_ups.say(
            contact_id,
            f"Not saved: {why}. Your notes are kept on screen; they are saved by themselves when the disk has room "
            "(ctrl+s tries now).",
            "error",
        )
        self._retry_when_the_disk_has_room()

    def _retry_when_the_disk_has_room(self) -> None:
        if self._disk_retry is None or self._disk_retry.done():
            self._disk_retry = self._spawn(self._save_when_the_disk_has_room())

    async def _save_when_the_disk_has_room(self) -> None:
        while self.waiting_for_disk or self.transfers_waiting_for_disk or self.records_to_settle:
            await asyncio.sleep(self.kept.retry_s)
            for key, made in list(self.records_to_settle.items()):
                await self._settle(key, made)
            for contact_id, (target, note) in list(self.transfers_waiting_for_disk.items()):
                await self.transfer_away(contact_id, target, note)
            for contact_id, (disposition, notes) in list(self.waiting_for_disk.items()):
                if contact_id not in self.desk.held:
                    self.waiting_for_disk.pop(contact_id, None)  # completed meanwhile (the contact center's timeout)
                    continue
                draft = self.desk.wrap_ups.get(contact_id)  # what the agent typed since, if anything
                if draft is not None and draft.disposition:
                    disposition, notes = draft.disposition, draft.notes
                await self.save_wrap_up(contact_id, disposition, notes)

    async def transfer_away(self, contact_id: str, target: Target, note: str | None) -> None:
        """A blind transfer (it left no record): its record for the CRM is written to the outbox first,
        held, then the transfer is asked for; made, the record is released to the sender (the next agent's wrap-up
        of the same contact is a record of its own), not made, it is discarded. As a wrap-up: the outbox first, then
        the contact center, so a full disk or a crash cannot lose it (the contact has left the agent's hands, and
        nothing else holds what was typed for the next agent).

        A disk that refuses the record: the transfer is not made, the contact stays with the agent, said once, and
        it is made by itself when the disk has room (the wrap-up's loop), while the contact is still in the agent's
        hands and talking. To an outside number the contact goes to after-contact work: the agent's own wrap-up is
        the record, this one is discarded."""
        held = self.desk.held.get(contact_id)
        if held is None or held.phase.wrapping_up:
            self.transfers_waiting_for_disk.pop(contact_id, None)
            return
        if contact_id in self.transferring:
            self.desk.notice(f"A transfer of this contact is under way; not sent again to {target.label}.", "Transfer")
            return
        self.transferring.add(contact_id)
        try:
            await self._transfer_away(held.contact, target, note)
        finally:
            self.transferring.discard(contact_id)

    async def _transfer_away(self, contact: Contact, target: Target, note: str | None) -> None:
        contact_id, label = contact.id, target.label
        lookup = self.desk.lookups.get(contact_id)
        customer_id = lookup.record.customer.id if lookup is not None and lookup.record is not None else None
        notes = f"Transferred to {label}." + (f" Note for the next agent: {note}" if note else "")
        dedupe = f"transfer:{contact.id}:{len(contact.transfer_path)}"
        try:
            record = await self.outbox.aio.run(
                partial(enqueue_wrap_up, limits=self.crm.limits, dedupe=dedupe, held=True, ended_by="transfer"),
                self.outbox,
                contact,
                self.contact_center.agent_id,
                TRANSFERRED,
                notes,
                customer_id,
            )
        except LOCAL_WRITE_ERRORS as error:
            first = contact_id not in self.transfers_waiting_for_disk
            self.transfers_waiting_for_disk[contact_id] = (target, note)
            if first:
                self.desk.notice(
                    f"Not transferred to {label} yet: its record for the CRM cannot be kept ({why_not_written(error)}). "
                    "The contact stays with you; the transfer is made by itself when the disk has room.",
                    "Transfer",
                    "error",
                    timeout=30,
                )
            self._retry_when_the_disk_has_room()
            return
        waited = self.transfers_waiting_for_disk.pop(contact_id, None) is not None
        try:
            done = await self.contact_center.transfer_contact(contact_id, target, note)
        except BackendError as error:
            self.desk.notice(logged_refusal(error, "Transfer"), f"Transfer to {label}", "error")
            made = await self._made_anyway(contact_id) if error.retryable else False
            if made is None:
                return  # nobody can say yet: the record stays held, settled at the next start
        else:
            self._carry_out(self.desk.apply_answer(done))
            made = contact_id not in self.desk.held
        await self._settle(record.key, made)
        if made:
            when = "The disk has room again: transferred" if waited else "Transferred"
            self.desk.notice(f"{when} to {label}; recorded for the CRM ({record.label}).", "Transfer")

    async def _made_anyway(self, contact_id: str) -> bool | None:
        """The transfer's answer was lost (a timeout, a 5xx): it may have been made. The contact center's list of
        the agent's contacts says: no longer theirs, it was (None: that could not be read either)."""
        try:
            mine = await self.contact_center.list_contacts()
        except BackendError:
            return None
        return all(contact.id != contact_id for contact in mine)

    async def _settle(self, key: str, made: bool) -> None:
        """A held transfer record released (the transfer was made) or discarded; a disk that refuses that too
        leaves it to the wrap-up's loop (and a restart to `settle_held_records`)."""
        try:
            await self.outbox.aio.run(self._settled, key, made)
        except LOCAL_WRITE_ERRORS:
            self.records_to_settle[key] = made
            self._retry_when_the_disk_has_room()
        else:
            self.records_to_settle.pop(key, None)

    def _settled(self, key: str, made: bool) -> None:
        entry = self.outbox.get(key)
        if entry is None or entry.state is not EntryState.HELD:
            return
        if entry.kind is EntryKind.CASE_LINK:
            if made:  # its contact is done without a wrap-up of this desk's to carry it: sent on its own
                self.outbox.release(key)
            return  # (still the agent's: it waits for the wrap-up)
        if not made:
            self.outbox.discard(key)
            return
        self.outbox.release(key)
        if entry.contact_id is not None and isinstance(entry.payload, InteractionWrite):
            self.outbox.settle_links(entry.contact_id, entry.payload.interaction.case_id)

    async def settle_held_records(self) -> None:
        """At start: records held by a desk that stopped between writing one and settling it. A contact the
        contact center no longer gives this agent was transferred (released); one still theirs was not
        (discarded). A case link held for the wrap-up: sent on its own if the contact is no longer theirs, else it
        waits for the wrap-up. Asked again, in the background, until the contact center answers."""
        held = await self.outbox.aio.held()
        if not held:
            return
        delay = self.kept.retry_s
        while True:
            try:
                mine = {contact.id for contact in await self.contact_center.list_contacts()}
            except BackendError:
                await asyncio.sleep(delay)
                continue
            break
        for entry in held:
            await self._settle(entry.key, entry.contact_id not in mine)

    async def recent_writes(self) -> list[WrittenRow]:
        """The outbox's latest writes, as the outbox view shows them."""
        return [agent_desk.written_row(entry) for entry in await self.outbox.aio.recent()]

    async def fix_write(self, key: str, fix: FixName, customer_id: str | None = None) -> None:
        """Send a refused write again, changed as the agent chose (cutting a megabyte of transcript is
        work for a thread, not for the event loop)."""
        entry = await self.outbox.aio.get(key)
        if entry is None or not agent_desk.written_row(entry).fixes:
            self.desk.notice("Not sent again: that write is no longer refused.", "CRM outbox", "warning")
            return
        payload = await asyncio.to_thread(fixed_payload, entry, agent_desk.fix_named(fix), customer_id, self.crm.limits)
        try:
            await self.outbox.aio.retry(entry.key, payload)
        except LOCAL_WRITE_ERRORS as error:
            why = why_not_written(error)
            self.desk.notice(f"Not sent again: {why}. The write stays as it was; o tries again.", "CRM outbox", "error")
            return
        self.desk.notice(f"Sent again: {entry.label}", "CRM outbox")
