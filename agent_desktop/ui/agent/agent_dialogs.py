"""The agent screen's dialogs: a not-ready reason, a transfer, an expert's menu and escalation message, a
customer to pick or create, a case, the outbox, a past conversation. Each asks the agent, then hands the
answer to the desk's controller (no backend is called from here). The screen runs a flow for a key the table
of commands gives to the dialogs (`Command.by == "dialog"`) or for a widget's message; a flow opens its dialog
with `push_screen(..., callback)` (at once, in the key's turn: the keys typed behind it go to the dialog), or
awaits it with `push_screen_wait` in a worker when it must fetch something first, and hands the answer to the
controller. It holds the app (to open dialogs) and the controller, never the screen nor a widget: the widgets a
flow reads or fills in are handed to it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any, Literal

from textual.app import App

from agent_desktop.agent_desk.controller import DeskController
from agent_desktop.agent_desk.conversations.wait_times import read_wait_time, wait_choices
from agent_desktop.agent_desk.experts.experts import compose_escalation, next_best_available
from agent_desktop.agent_desk.my_day.break_limits import limit_words
from agent_desktop.domain.capabilities import ChannelCapabilities
from agent_desktop.domain.formats.phone_format import shown_phone
from agent_desktop.domain.models import Expert, NewCustomer, Target
from agent_desktop.domain.vocabulary import TALKING, TargetKind
from agent_desktop.ui import agent as agent_ui
from agent_desktop.ui import shared
from agent_desktop.ui.plain_text import plain, toast
from agent_desktop.writing_aids.summary import call_handover_note, handover_note

if TYPE_CHECKING:
    from agent_desktop.ui.agent.callers.case_dialog import CaseChoice
    from agent_desktop.ui.agent.callers.new_caller_form import NewCallerForm
    from agent_desktop.ui.agent.conversations.composer import Composer
    from agent_desktop.ui.agent.experts.expert_actions import ExpertAction
    from agent_desktop.ui.agent.experts.experts_panel import ExpertsPanel
    from agent_desktop.ui.agent.experts.transfer_dialog import TransferChoice, TransferDialog, TransferMode
    from agent_desktop.ui.agent.outbox.outbox_view import OutboxFix

Run = Callable[[Awaitable[object]], object]  # runs a use case in a worker
Ask = Callable[[Callable[[], Awaitable[None]], str], object]  # runs a flow in a worker, one at a time per group

# Each dialog is read from its package (`agent_ui.ReasonPicker`): the package imports it when it first opens.


class AgentDialogs:
    def __init__(self, app: App[Any], controller: DeskController, *, run: Run, ask: Ask) -> None:
        """`run`: a use case, in a worker of the screen's; `ask`: a flow that waits for a dialog's answer, in a
        worker of the screen's, one at a time per group (given as a callable, so a flow replaced before it
        started is never created: no un-awaited coroutine)."""
        self.app = app
        self.controller = controller
        self.desk = controller.desk
        self._run = run
        self._ask = ask

    # --- the agent's state --------------------------------------------------------

    def _reasons(self) -> list[str]:
        """The not-ready reasons of the contact center's state catalog (read when its link came up)."""
        options = [option.reason or option.label for option in self.desk.not_ready_options()]
        agent = self.desk.agent
        return options or (agent.not_ready_reasons if agent else []) or ["Break"]

    def _limit_notes(self) -> dict[str, str]:
        """Each reason's limit, as the picker says it beside the reason ("30 min")."""
        if not self.desk.capabilities.break_limits:
            return {}
        return {option.reason or option.label: limit_words(option.limit) for option in self.desk.not_ready_options()}

    def not_ready(self) -> None:
        def chosen(reason: str | None) -> None:
            if reason:
                self._run(self.controller.not_ready(reason))

        self.app.push_screen(agent_ui.ReasonPicker(self._reasons(), self._limit_notes()), chosen)

    def next_not_ready(self) -> None:
        # `n` on a contact, often just after ctrl+s saved the last one: the break is asked for at once, with the
        # first reason, or the contact center makes the agent Available as the contact is done and offers the
        # next one while they read the reasons. The reason picked replaces it; escape takes it back.
        agent = self.desk.agent
        reasons = self._reasons()
        asked = agent is not None and agent.next_state is None
        if asked:
            self.controller.ask_next_state_now(reasons[0])

        def chosen(reason: str | None) -> None:
            if not reason:
                if asked:
                    self._run(self.controller.take_back_break())
                return
            # Done by the time a reason is picked: the break is now, not a next state with nothing to follow.
            if self.desk.has_contacts_in_hand():
                self._run(self.controller.next_not_ready(reason))
            else:
                self._run(self.controller.not_ready(reason))

        self.app.push_screen(agent_ui.ReasonPicker(reasons, self._limit_notes()), chosen)

    # --- ending a conversation whose customer waits for an answer ----------------------

    def end_contact(self, ended: Callable[[str], object]) -> None:
        """`e`: end the selected contact (`ended` is told its id once the end is on its way); a chat, SMS or email
        whose customer wrote last asks first."""
        conversation = self.desk.selected_conversation()
        waiting = conversation.customer_waiting_since() if conversation is not None else None
        if conversation is None or waiting is None:
            if (selected := self.desk.selected_id) is not None:
                self._run(self.controller.end())
                ended(selected)
            return
        contact_id = conversation.contact_id
        last = next(item for item in reversed(conversation.items) if not item.is_system)
        waited = (self.controller.now() - waiting).total_seconds()

        def chosen(end: bool | None) -> None:
            if end and self.desk.selected_id == contact_id:
                self._run(self.controller.end())
                ended(contact_id)

        self.app.push_screen(
            agent_ui.EndConversationDialog(conversation.customer_name, last.text, max(0.0, waited)), chosen
        )

    # --- transfers ------------------------------------------------------------------

    def transfer(self) -> None:
        contact = self.desk.selected_contact()
        if contact is not None:
            self._ask(partial(self._transfer, contact.id), "transfer-dialog")

    async def _transfer(self, contact_id: str) -> None:
        colleagues, experts = await self.controller.transfer_options()
        contact = self.desk.selected_contact()
        if contact is None or contact.id != contact_id:
            return

        can = self.desk.capabilities.channel(contact.channel)
        conversation = self.desk.selected_conversation()
        call = self.desk.calls.get(contact_id)
        # The next agent starts from what happened: the conversation (or the call) so far, drafted, in the note.
        if conversation is not None:
            note = handover_note(conversation.items)
        else:
            note = call_handover_note(call.lines) if call is not None else ""
        drafting = bool(note) and self.controller.ports.assist.suggests_replies
        dialog = agent_ui.TransferDialog(
            contact, list(self.desk.queues.values()), experts, colleagues, can, note, model_drafting=drafting
        )
        if drafting:
            self._run(self._model_note(dialog, contact_id))
        choice: TransferChoice | None = await self.app.push_screen_wait(dialog)
        if choice is not None:
            await self.controller.transfer(choice.target, choice.mode, contact_id, note=choice.note)

    async def _model_note(self, dialog: TransferDialog, contact_id: str) -> None:
        """The assistant's summary into the open transfer dialog's note (the rules' draft meanwhile)."""
        drafted = await self.controller.model_handover_note(contact_id)
        if dialog.is_attached:
            dialog.model_drafted(*(drafted or (None, "")))

    def start_transfer(self, target: Target, mode: TransferMode = "blind") -> None:
        """Transfer the selected contact to `target`: at once ("blind"), or after speaking to the target on a
        second leg while the customer holds ("consult")."""
        self._run(self.controller.transfer(target, mode))

    # --- experts ----------------------------------------------------------------------

    def skill_filter(self, panel: ExpertsPanel) -> None:
        def chosen(skill: str | None) -> None:
            if skill is not None:
                panel.skill = skill or None

        self.app.push_screen(
            agent_ui.SkillPicker(sorted(panel.known_skills), list(panel.suggested_skills), panel.skill), chosen
        )

    def message_expert(self, expert: Expert | None) -> None:
        """`m` on the experts list: a message to the expert under the cursor (`expert`)."""
        if expert is None:
            self.app.notify("No expert to choose: search with / first.", title="Experts", severity="warning")
        elif expert.presence.availability.is_free:
            self.escalate(expert)
        else:
            self.expert_actions(expert)  # warns, and offers the next best available one

    def call_colleague(self, expert: Expert | None) -> None:
        """`C` on the experts list: the colleague under the cursor called at their softphone (refusals said)."""
        if expert is None:
            self.app.notify("No colleague to call: search with / first.", title="Experts", severity="warning")
        else:
            self._run(self.controller.dialling.call_colleague(expert.id))

    def expert_actions(self, expert: Expert) -> None:
        """The action menu for an expert; if they are not free, with the next best available one."""
        self._ask(partial(self._expert_actions, expert), "expert-actions")

    async def _expert_actions(self, expert: Expert) -> None:
        alternative = None
        if not expert.presence.availability.is_free:
            people = await self.controller.experts.alternatives_to(expert)
            alternative = next_best_available(expert, people, self.desk.directory.suggested_skills)

        self.app.push_screen(
            agent_ui.ExpertActions(expert, alternative, self._transfer_blocked()), self._expert_action_chosen
        )

    def _transfer_blocked(self) -> str | None:
        contact = self.desk.selected_contact()
        if contact is None or contact.state not in TALKING:
            return "no contact connected"
        return None

    def _expert_action_chosen(self, action: ExpertAction | None) -> None:
        if action is None:
            return
        if action.kind == "message":
            self.escalate(action.expert)
        else:
            self.transfer_to_expert(action.expert, action.kind)

    def escalate(self, expert: Expert) -> None:
        """A message to the expert, drafted from the contact (the one offered, else the selected one)."""
        contact = self.desk.escalation_contact()
        lookup = self.desk.lookups.get(contact.id) if contact else None
        agent = self.desk.agent
        draft = compose_escalation(
            agent_name=agent.name if agent else None, contact=contact, record=lookup.record if lookup else None
        )

        def send(text: str | None) -> None:
            if text:
                self._run(self.controller.experts.send_escalation(expert, text))

        self.app.push_screen(agent_ui.EscalationDialog(expert, draft), send)

    def transfer_to_expert(self, expert: Expert, mode: str) -> None:
        """Consult or transfer the selected contact to the expert's address, through the CCaaS."""
        if not expert.address:
            toast(
                self.app, plain(f"{expert.name} has no address to transfer to."), title="Transfer", severity="warning"
            )
            return
        kind: Literal["blind", "consult"] = "consult" if mode == "consult" else "blind"
        contact = self.desk.selected_contact()
        can = self.desk.capabilities.channel(contact.channel) if contact is not None else ChannelCapabilities()
        if contact is not None and not (can.consult if kind == "consult" else TargetKind.ADDRESS in can.transfer_to):
            what = "consult an expert" if kind == "consult" else "transfer to an expert's address"
            toast(
                self.app,
                plain(f"This contact center cannot {what} on {contact.channel.value}."),
                title="Transfer",
                severity="warning",
            )
            return
        self.start_transfer(Target(kind=TargetKind.ADDRESS, id=expert.address, name=expert.name), kind)

    def search_experts(self, search: str, skill: str | None) -> None:
        self._ask(partial(self._search_experts, search, skill), "experts-search")

    async def _search_experts(self, search: str, skill: str | None) -> None:
        if search:
            await asyncio.sleep(0.15)  # let typing settle
        await self.controller.experts.search_experts(search, skill)

    # --- the caller's customer: pick one, create one, open or link a case ------------------

    def pick_customer(self, form: NewCallerForm) -> None:
        """`p`: one of the customers the lookup found, or the new-caller `form` to fill in."""
        contact_id = self.desk.popped_contact_id()
        lookup = self.desk.popped_lookup()
        if contact_id is None or lookup is None:
            return
        if lookup.candidates:

            def picked(customer_id: str | None) -> None:
                if customer_id:
                    self._run(self.controller.caller.choose_customer(contact_id, customer_id))

            picker = agent_ui.CustomerPicker(lookup.candidates, lookup.address)
            picker.contact_id = contact_id  # about this contact: an offer of it does not come over it
            self.app.push_screen(picker, picked)
        elif lookup.done and lookup.record is None:
            form.focus_name()

    def find_customer(self) -> None:
        contact_id = self.desk.popped_contact_id()
        if contact_id is None or contact_id not in self.desk.lookups:
            return

        def found(customer_id: str | None) -> None:
            if customer_id:
                self._run(self.controller.caller.choose_customer(contact_id, customer_id))

        search = agent_ui.CustomerSearch(self.controller.caller.search_customers)
        search.contact_id = contact_id  # about this contact: an offer of it does not come over it
        self.app.push_screen(search, found)

    def create_customer(self, form: NewCallerForm, customer: NewCustomer, created: Callable[[], object]) -> None:
        """The new-caller `form` was filled in: the customer is created, and `created` (back to the contacts)."""
        contact_id = self.desk.popped_contact_id()
        if contact_id is not None:
            self._ask(partial(self._create_customer, form, contact_id, customer, created), "new-caller")

    async def _create_customer(
        self, form: NewCallerForm, contact_id: str, customer: NewCustomer, created: Callable[[], object]
    ) -> None:
        form.set_hint("Creating…")
        error = await self.controller.caller.create_customer(contact_id, customer)
        if error is not None:
            form.set_hint(error)
        else:
            created()

    def case(self) -> None:
        contact_id = self.desk.popped_contact_id()
        lookup = self.desk.popped_lookup()
        if contact_id is None or lookup is None or lookup.record is None:
            return
        record = lookup.record

        def chosen(choice: CaseChoice | None) -> None:
            if choice is None:
                return
            if choice.action == "create":
                self._run(self.controller.caller.create_case(contact_id, record.customer.id, choice.subject))
            else:
                self._run(self.controller.caller.link_case(contact_id, choice.case_id))

        # Cases this contact is on already (one it just opened) are not offered again: linking them does nothing.
        open_cases = [case for case in record.cases if case.is_open and contact_id not in case.contact_ids]

        self.app.push_screen(agent_ui.CaseDialog(open_cases, record.customer.name), chosen)

    # --- my day ---------------------------------------------------------------------------

    def my_day(self) -> None:
        self._ask(self._my_day, "my-day")

    async def _my_day(self) -> None:
        figures = await self.controller.my_day.read()
        if figures is not None:
            callbacks = await self.controller.callbacks.today()  # None: none served, no section
            schedule = await self.controller.my_day.schedule()  # None: no WFM, no strip
            evaluations = await self.controller.evaluations.read()  # None: none kept, no section
            uses = self.controller.evaluations
            view = agent_ui.MyDayView(
                figures,
                callbacks,
                schedule=schedule,
                evaluations=evaluations,
                acknowledge=uses.acknowledge,
                dispute=uses.dispute,
            )
            await self.app.push_screen_wait(view)

    # --- a callback the agent owns ----------------------------------------------------------

    def schedule_callback(self) -> None:
        callbacks = self.controller.callbacks
        draft, contact = callbacks.first_draft(), self.desk.selected_contact()
        if draft is None or contact is None:
            return
        who = f"Call back {shown_phone(contact.from_address)} ({contact.channel.value}, {contact.queue_name})"
        dialog = agent_ui.CallbackDialog(draft, who, callbacks.schedule)

        def closed(scheduled: bool | None) -> None:  # escape keeps what was typed for the contact, and says so
            callbacks.closed(contact.id, draft, dialog.typed(), bool(scheduled))

        self.app.push_screen(dialog, closed)

    # --- snooze and send later ---------------------------------------

    def _pick_time(self, title: str, contact_id: str, chosen: Callable[[datetime], object]) -> None:
        waits = self.controller.waits
        zone, now = waits.own_zone(), self.controller.now()
        dialog = agent_ui.WaitTimeDialog(
            title, wait_choices(now, zone), zone, lambda typed: read_wait_time(typed, self.controller.now(), zone)
        )
        dialog.contact_id = contact_id

        def picked(at: datetime | None) -> None:
            if at is not None:
                chosen(at)

        self.app.push_screen(dialog, picked)

    def snooze(self) -> None:
        """`z`: the selected conversation snoozed until a time picked or typed; on a snoozed one, woken now."""
        contact_id, conversation = self.desk.selected_id, self.desk.selected_conversation()
        if contact_id is None or conversation is None:
            return
        if conversation.snoozed:
            self._run(self.controller.waits.wake(contact_id))
            return
        title = f"Snooze {conversation.customer_name or contact_id} until"
        self._pick_time(title, contact_id, lambda at: self._run(self.controller.waits.snooze(contact_id, at)))

    def send_later(self, composer: Composer) -> None:
        """ctrl+f: the composer's text scheduled for a time picked or typed; with a reply scheduled and nothing
        typed, that reply is taken back to the composer."""
        contact_id, conversation = self.desk.selected_id, self.desk.selected_conversation()
        if contact_id is None or conversation is None:
            return
        kept = self.desk.conversations.composer.get(contact_id, "")
        text = composer.text if composer.contact_id == contact_id else kept  # the widget's, else what the desk kept
        if not text.strip():
            if conversation.reply_scheduled:
                self._run(self.controller.waits.cancel_send_later(contact_id))
            else:
                self.desk.notice("Write the reply first, then ctrl+f picks when it goes.", "Send later", "warning")
            return
        self._pick_time(
            "Send this reply at",
            contact_id,
            lambda at: self._run(self.controller.waits.send_later(contact_id, text, at)),
        )

    # --- the follow-up after wrap-up -------------------------------------------

    def follow_up(self) -> None:
        wrapped = self.desk.last_wrapped
        if wrapped is not None and self.desk.follow_up_channels:
            self.app.push_screen(
                agent_ui.FollowUpDialog(wrapped, self.desk.follow_up_channels, self.controller.follow_ups.schedule)
            )

    # --- help from the supervisor ----------------------------------------------

    def flag(self) -> None:
        """The selected contact's flag: raise it with a line, or read its thread and reply."""
        contact = self.desk.selected_contact()
        if contact is None:
            return

        def send(text: str | None) -> None:
            if text:
                self._run(self.controller.flags.say(contact.id, text))

        help_ = self.desk.help
        raised = help_.open_flag_on(contact.id) is not None
        title = f"Flag to your supervisor · {contact.id}"
        placeholder = "Reply to your supervisor" if raised else "Why you need help (enter raises the flag)"
        self.app.push_screen(shared.FlagThreadDialog(title, lambda: help_.flag_on(contact.id), placeholder), send)

    # --- the call's keypad ----------------------------------------------------------------

    def keypad(self) -> None:
        """Digits for the selected call's softphone (a payment line, an IVR), sent as DTMF tones."""
        contact_id = self.desk.selected_id
        if contact_id is None:
            return

        def send(digits: str | None) -> None:
            if digits:
                self._run(self.controller.sound.send_dtmf(digits))

        dialog = agent_ui.KeypadDialog(contact_id)
        dialog.contact_id = contact_id
        self.app.push_screen(dialog, send)

    # --- a call the agent places -----------------------------------------------------------

    def dial(self) -> None:
        """`D`: the dial pad, open at once with the number kept or the card's; its caller IDs load inside it."""
        dialling = self.controller.dialling
        dialog = agent_ui.DialPad(dialling.first_number(), dialling.caller_ids, dialling.place, dialling.kept_choice)

        def closed(placed: bool | None) -> None:  # escape keeps what was typed for next time
            if not placed:
                dialling.closed(dialog.typed(), dialog.chosen())

        self.app.push_screen(dialog, closed)

    # --- the outbox ---------------------------------------------------------------------

    def show_outbox(self) -> None:
        self._ask(self._outbox, "outbox-view")

    async def _outbox(self) -> None:
        rows = await self.controller.wrap_up.recent_writes()
        chosen: OutboxFix | None = await self.app.push_screen_wait(agent_ui.OutboxView(rows))
        if chosen is None:
            return
        customer_id = None
        if chosen.fix == "attach":
            customer_id = await self.app.push_screen_wait(
                agent_ui.CustomerSearch(self.controller.caller.search_customers, "Attach the refused write to…")
            )
            if not customer_id:
                return
        await self.controller.wrap_up.fix_write(chosen.key, chosen.fix, customer_id)

    # --- a past conversation, from the History tab ------------------------------------

    def timeline_wanted(self, contact_id: str, older: bool) -> None:
        self._run(self.controller.caller.timeline_wanted(contact_id, older))

    def open_transcript(self, interaction_id: str) -> None:
        self._ask(partial(self._transcript, interaction_id), "transcript-viewer")

    async def _transcript(self, interaction_id: str) -> None:
        interaction = await self.controller.caller.interaction(interaction_id)
        if interaction is not None:
            viewer = agent_ui.TranscriptViewer(interaction)
            # about the customer of the card it was opened from: read before answering, an offer of that contact
            # stays on its card under it (attention rule 1)
            viewer.contact_id = self.desk.popped_contact_id()
            await self.app.push_screen_wait(viewer)
