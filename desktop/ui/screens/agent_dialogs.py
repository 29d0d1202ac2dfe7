"""The agent screen's dialogs: a not-ready reason, a transfer, an expert's menu and escalation message, a
customer to pick or create, a case, the outbox. Each asks the agent, then hands the answer to the desk's
controller. `AgentScreen` (agent_screen.py) is built on this; it supplies `desk`, `controller`, `outbox`,
`run_use_case` (its worker) and `_focus_now`.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from textual import on, work
from textual.screen import Screen

from desktop.backends.capabilities import ChannelCapabilities
from desktop.backends.errors import BackendError
from desktop.backends.models import ContactState, Expert, Target, TargetKind
from desktop.experts import compose_escalation, next_best_available
from desktop.outbox.fixes import Fix, fixed_payload
from desktop.outbox.store import EntryKind
from desktop.ui.messages import OutboxChanged
from desktop.ui.plain_text import plain
from desktop.ui.screens.case_dialog import CaseChoice, CaseDialog
from desktop.ui.screens.customer_picker import CustomerPicker
from desktop.ui.screens.end_conversation_dialog import EndConversationDialog
from desktop.ui.screens.escalation_dialog import EscalationDialog
from desktop.ui.screens.expert_actions import ExpertAction, ExpertActions
from desktop.ui.screens.customer_search import CustomerSearch
from desktop.ui.screens.outbox_view import OutboxFix, OutboxView
from desktop.ui.screens.reason_picker import ReasonPicker
from desktop.ui.screens.skill_picker import SkillPicker
from desktop.ui.screens.transcript_viewer import TranscriptViewer
from desktop.ui.screens.transfer_dialog import TransferChoice, TransferDialog, TransferMode
from desktop.ui.widgets.customer_card import CustomerCard
from desktop.ui.widgets.experts_panel import ExpertsPanel
from desktop.ui.widgets.new_caller_form import NewCallerForm

if TYPE_CHECKING:
    from desktop.desk.controller import DeskController
    from desktop.desk.desk import Desk
    from desktop.backends.container import Backends
    from desktop.outbox.store import Outbox


class AgentDialogs(Screen):
    desk: Desk
    controller: DeskController
    outbox: Outbox
    backends: Backends

    # --- the agent's state --------------------------------------------------------

    def _reasons(self) -> list[str]:
        """The not-ready reasons of the contact center's state catalog (read when its link came up)."""
        options = [option.reason or option.label for option in self.desk.not_ready_options()]
        agent = self.desk.agent
        return options or (agent.not_ready_reasons if agent else []) or ["Break"]

    def action_not_ready(self) -> None:
        def chosen(reason: str | None) -> None:
            if reason:
                self.run_use_case(self.controller.not_ready(reason))

        self.app.push_screen(ReasonPicker(self._reasons()), chosen)

    def action_next_not_ready(self) -> None:
        def chosen(reason: str | None) -> None:
            if reason:
                self.run_use_case(self.controller.next_not_ready(reason))

        self.app.push_screen(ReasonPicker(self._reasons()), chosen)

    # --- ending a conversation whose customer waits for an answer ----------------------

    def end_unless_customer_waits(self) -> None:
        """`e`: end the selected contact; a chat, SMS or email whose customer wrote last asks first."""
        conversation = self.desk.selected_conversation()
        waiting = conversation.customer_waiting_since() if conversation is not None else None
        if conversation is None or waiting is None:
            self.run_use_case(self.controller.end())
            return
        contact_id = conversation.contact_id
        last = next(item for item in reversed(conversation.items) if not item.is_system)
        waited = (self.controller.now() - waiting).total_seconds()

        def chosen(end: bool | None) -> None:
            if end and self.desk.selected_id == contact_id:
                self.run_use_case(self.controller.end())

        self.app.push_screen(EndConversationDialog(conversation.customer_name, last.text, max(0.0, waited)), chosen)

    # --- transfers ------------------------------------------------------------------

    def action_transfer(self) -> None:
        contact = self.desk.selected_contact()
        if contact is not None:
            self.open_transfer_dialog(contact.id)

    @work(group="transfer-dialog", exclusive=True)
    async def open_transfer_dialog(self, contact_id: str) -> None:
        colleagues, experts = await self.controller.transfer_options()
        contact = self.desk.selected_contact()
        if contact is None or contact.id != contact_id:
            return
        can = self.desk.capabilities.channel(contact.channel)
        dialog = TransferDialog(contact, list(self.desk.queues.values()), experts, colleagues, can)
        choice: TransferChoice | None = await self.app.push_screen_wait(dialog)
        if choice is not None:
            await self.controller.transfer(choice.target, choice.mode, contact_id, note=choice.note)

    def start_transfer(self, target: Target, mode: TransferMode = "blind") -> None:
        """Transfer the selected contact to `target`: at once ("blind"), or after speaking to the target on a
        second leg while the customer holds ("consult"). Other panels may call this."""
        self.run_use_case(self.controller.transfer(target, mode))

    # --- experts ----------------------------------------------------------------------

    def action_skill_filter(self) -> None:
        panel = self.query_one(ExpertsPanel)

        def chosen(skill: str | None) -> None:
            if skill is not None:
                panel.skill = skill or None

        self.app.push_screen(SkillPicker(sorted(panel.known_skills), list(panel.suggested_skills), panel.skill), chosen)

    def action_message_expert(self) -> None:
        expert = self.query_one(ExpertsPanel).highlighted()
        if expert is None:
            self.notify("No expert to choose: search with / first.", title="Experts", severity="warning")
        elif expert.presence.availability.is_free:
            self.query_one(ExpertsPanel).post_message(ExpertsPanel.MessageRequested(expert))
        else:
            self.offer_expert_actions(expert)  # warns, and offers the next best available one

    @on(ExpertsPanel.ExpertChosen)
    def _expert_chosen(self, message: ExpertsPanel.ExpertChosen) -> None:
        self.offer_expert_actions(message.expert)

    @work(group="expert-actions", exclusive=True)
    async def offer_expert_actions(self, expert: Expert) -> None:
        """The action menu for an expert; if they are not free, with the next best available one."""
        alternative = None
        if not expert.presence.availability.is_free:
            people = await self.controller.alternatives_to(expert)
            alternative = next_best_available(expert, people, self.desk.directory.suggested_skills)
        self.app.push_screen(ExpertActions(expert, alternative, self._transfer_blocked()), self._expert_action_chosen)

    def _transfer_blocked(self) -> str | None:
        contact = self.desk.selected_contact()
        if contact is None or contact.state not in (ContactState.CONNECTED, ContactState.ON_HOLD):
            return "no contact connected"
        return None

    def _expert_action_chosen(self, action: ExpertAction | None) -> None:
        if action is None:
            return
        panel = self.query_one(ExpertsPanel)
        if action.kind == "message":
            panel.post_message(ExpertsPanel.MessageRequested(action.expert))
        else:
            panel.post_message(ExpertsPanel.TransferRequested(action.expert, action.kind))

    @on(ExpertsPanel.MessageRequested)
    def _expert_message_requested(self, message: ExpertsPanel.MessageRequested) -> None:
        contact = self.desk.escalation_contact()
        lookup = self.desk.lookups.get(contact.id) if contact else None
        agent = self.desk.agent
        draft = compose_escalation(
            agent_name=agent.name if agent else None, contact=contact, record=lookup.record if lookup else None
        )
        expert = message.expert

        def send(text: str | None) -> None:
            if text:
                self.run_use_case(self.controller.send_escalation(expert, text))

        self.app.push_screen(EscalationDialog(expert, draft), send)

    @on(ExpertsPanel.TransferRequested)
    def _expert_transfer_requested(self, message: ExpertsPanel.TransferRequested) -> None:
        """Consult or transfer the selected contact to the expert's address, through the CCaaS."""
        expert = message.expert
        if not expert.address:
            self.notify(plain(f"{expert.name} has no address to transfer to."), title="Transfer", severity="warning")
            return
        mode = "consult" if message.mode == "consult" else "blind"
        contact = self.desk.selected_contact()
        can = self.desk.capabilities.channel(contact.channel) if contact is not None else ChannelCapabilities()
        if contact is not None and not (can.consult if mode == "consult" else TargetKind.ADDRESS in can.transfer_to):
            what = "consult an expert" if mode == "consult" else "transfer to an expert's address"
            self.notify(plain(f"This contact center cannot {what} on {contact.channel.value}."), title="Transfer", severity="warning")
            return
        self.start_transfer(Target(kind=TargetKind.ADDRESS, id=expert.address, name=expert.name), mode)

    # --- the caller's customer: pick one, create one, open or link a case ------------------

    def action_pick_customer(self) -> None:
        contact_id = self.desk.popped_contact_id()
        lookup = self.desk.popped_lookup()
        if contact_id is None or lookup is None:
            return
        if lookup.candidates:

            def picked(customer_id: str | None) -> None:
                if customer_id:
                    self.run_use_case(self.controller.choose_customer(contact_id, customer_id))

            self.app.push_screen(CustomerPicker(lookup.candidates, lookup.address), picked)
        elif lookup.done and lookup.record is None:
            self.query_one(NewCallerForm).focus_name()

    def action_find_customer(self) -> None:
        contact_id = self.desk.popped_contact_id()
        if contact_id is None or contact_id not in self.desk.lookups:
            return

        def found(customer_id: str | None) -> None:
            if customer_id:
                self.run_use_case(self.controller.choose_customer(contact_id, customer_id))

        self.app.push_screen(CustomerSearch(self.controller.crm.search_customers), found)

    @on(NewCallerForm.Create)
    def _new_caller_form_submitted(self, message: NewCallerForm.Create) -> None:
        contact_id = self.desk.popped_contact_id()
        if contact_id is not None:
            self.create_customer(contact_id, message.customer)

    @work(group="new-caller", exclusive=True)
    async def create_customer(self, contact_id: str, customer) -> None:
        form = self.query_one(NewCallerForm)
        form.set_hint("Creating…")
        error = await self.controller.create_customer(contact_id, customer)
        if error is not None:
            form.set_hint(error)
        else:
            self._focus_now("#contacts")

    def action_case(self) -> None:
        contact_id = self.desk.popped_contact_id()
        lookup = self.desk.popped_lookup()
        if contact_id is None or lookup is None or lookup.record is None:
            return
        record = lookup.record

        def chosen(choice: CaseChoice | None) -> None:
            if choice is None:
                return
            if choice.action == "create":
                use_case = self.controller.create_case(contact_id, record.customer.id, choice.subject)
            else:
                payload = {"case_id": choice.case_id, "contact_id": contact_id}
                use_case = self.controller.enqueue(EntryKind.CASE_LINK, payload, contact_id, f"link to {choice.case_id}")
            self.run_use_case(use_case)

        # Cases this contact is on already (one it just opened) are not offered again: linking them does nothing.
        open_cases = [case for case in record.cases if case.is_open and contact_id not in case.contact_ids]
        self.app.push_screen(CaseDialog(open_cases, record.customer.name), chosen)

    @on(OutboxChanged)
    def _cases_maybe_written(self) -> None:
        """The sender wrote something: a case on the card that was "sending…" gets its id."""
        self.run_use_case(self.controller.cases_written())

    # --- the outbox ---------------------------------------------------------------------

    def action_show_outbox(self) -> None:
        self.open_outbox()

    @work(group="outbox-view", exclusive=True)
    async def open_outbox(self) -> None:
        entries = await asyncio.to_thread(self.outbox.recent)
        chosen: OutboxFix | None = await self.app.push_screen_wait(OutboxView(entries))
        entry = next((e for e in entries if chosen and e.key == chosen.key), None)
        if chosen is None or entry is None:
            return
        customer_id = None
        if chosen.fix is Fix.ATTACH:
            customer_id = await self.app.push_screen_wait(
                CustomerSearch(self.controller.crm.search_customers, "Attach the refused write to…")
            )
            if not customer_id:
                return
        # Cutting a megabyte of transcript is work for a thread, not for the screen.
        limits = self.controller.crm.limits
        payload = await asyncio.to_thread(fixed_payload, entry, chosen.fix, customer_id, limits)
        await asyncio.to_thread(self.outbox.retry, entry.key, payload)
        self.controller.outbox_written()
        self.notify(plain(f"Sent again: {entry.label}"), title="CRM outbox")

    # --- a past conversation, from the History tab ------------------------------------

    @on(CustomerCard.TranscriptWanted)
    def _transcript_wanted(self, message: CustomerCard.TranscriptWanted) -> None:
        self.open_transcript(message.interaction.id)

    @work(group="transcript-viewer", exclusive=True)
    async def open_transcript(self, interaction_id: str) -> None:
        try:
            interaction = await self.controller.crm.interaction(interaction_id)
        except BackendError as error:
            self.notify(plain(error.message), title="History", severity="error")
            return
        await self.app.push_screen_wait(TranscriptViewer(interaction))

    # --- the experts list's search (typing settles first) ------------------------------------

    @on(ExpertsPanel.SearchChanged)
    def _experts_search(self, message: ExpertsPanel.SearchChanged) -> None:
        self.search_experts(message.query, message.skill)

    @work(group="experts-search", exclusive=True)
    async def search_experts(self, search: str, skill: str | None) -> None:
        if search:
            await asyncio.sleep(0.15)  # let typing settle
        await self.controller.search_experts(search, skill)
