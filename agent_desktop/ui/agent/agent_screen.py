"""The agent's work view: one widget per area (agent_areas.py), each drawing what changed once per burst (ui/shared/
redraw_pacer.py); areas post messages up to the controller or a dialog's flow; keys from agent_desk/commands.py."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from textual import events, on, work
from textual.app import ComposeResult
from textual.widgets import DataTable

from agent_desktop.agent_desk.commands import Where, command_named, why_not
from agent_desktop.agent_desk.controller import DeskController
from agent_desktop.ui.agent.agent_areas import AgentAreas, field_about
from agent_desktop.ui.agent.agent_dialogs import AgentDialogs
from agent_desktop.ui.agent.agent_keys import DeskKeys
from agent_desktop.ui.agent.callers.clipboard_copy import copy_from_desk
from agent_desktop.ui.agent.callers.desk_card import DeskCard
from agent_desktop.ui.agent.conversations.agent_conversations import DeskConversation
from agent_desktop.ui.agent.front_of_desk import FrontOfDesk
from agent_desktop.ui.agent.offers.write_on_accept import WriteOnAccept
from agent_desktop.ui.keys.command_bindings import desk_bindings
from agent_desktop.ui.keys.key_turn import KeyTurnScreen
from agent_desktop.ui.messages import DeskDrawn, OutboxChanged, OutboxCountsWanted
from agent_desktop.ui.notices.desktop_notifier import ring
from agent_desktop.ui.plain_text import literal_title, plain, screen_title, toast
from agent_desktop.ui.shared.redraw_pacer import RedrawPacer
from agent_desktop.ui.terminal import input_log
from agent_desktop.writing_aids.quick_responses import QuickResponse

OFFER_WAITS_FOR_LOOKUP_S = 0.05  # an offer's frame waits for its caller's record at most this long, then draws without


class AgentScreen(KeyTurnScreen):
    CSS_PATH = "agent_screen.tcss"
    BINDINGS = desk_bindings()  # type: ignore[assignment]  # a list[Binding] is read as list[BindingType]

    def __init__(
        self,
        controller: DeskController,
        clock: Callable[[], datetime],
        *,
        quick_responses: list[QuickResponse] | None = None,
        status_clock_s: float = 0.5,
    ) -> None:
        """`controller`: the agent's session's (session.py); `status_clock_s`: how often the times are redrawn."""
        super().__init__()
        self.controller, self.desk = controller, controller.desk
        self.pacer = RedrawPacer(self, self._paced, feeds=(self.desk.feed,), lookups_s=OFFER_WAITS_FOR_LOOKUP_S)
        self.keys, self.write_on_accept = DeskKeys(self.desk), WriteOnAccept(self.desk, self.app.notify)
        self.dialogs = AgentDialogs(self.app, controller, run=self.run_use_case, ask=self.ask)
        self.front = FrontOfDesk(self.app, lambda: self in self.app.screen_stack, field_about(self.desk))
        self.areas = areas = AgentAreas(
            controller, self.dialogs, clock, self.front, self.answer_offer, quick_responses or [], status_clock_s
        )
        self.contact_list, self.customer_card, self.wrap_up_form = areas.contacts, areas.card, areas.wrap_up
        self.experts, self.conversation = areas.experts, areas.conversation
        self._resumed, self.restyle_at_first_resume = False, True  # False: the app's first screen, shown at once

    def compose(self) -> ComposeResult:
        yield self.areas

    def on_mount(self) -> None:
        self.title = "Agent desktop"
        if self.desk.agent is not None:  # known before the stream (start-up's access check): in the first frame
            self.redraw()
        self.run_worker(self.controller.follow_contact_center(), group="ccaas-stream", exclusive=True)
        self.run_worker(self.controller.follow_presence(), group="presence-stream", exclusive=True)
        self.action_reconnect_softphone(again=False)  # the softphone's calls, in a worker until its link breaks
        self.post_message(OutboxCountsWanted())  # the app sends the outbox's counts
        self.contact_list.focus()
        if input_log.LOGGING:  # where the focus goes, beside the keys (a key that found no binding)
            input_log.watch_focus(self)

    def on_screen_resume(self, event: events.ScreenResume) -> None:  # the first: styled at its mount a moment ago
        if not self._resumed:
            self._resumed, event.refresh_styles = True, self.restyle_at_first_resume

    @work(group="actions")
    async def run_use_case(self, use_case: Awaitable[object]) -> None:
        await use_case  # the controller turns a backend's refusal into a notice

    def ask(self, flow: Callable[[], Awaitable[None]], group: str) -> None:
        self.run_worker(flow, group=group, exclusive=True)

    def drawn_in_turn(self) -> None:
        """What changed, drawn now if not yet; the app calls it after each key: on screen before the next key."""
        self.pacer.settle()

    def _paced(self) -> None:
        """The pacer's draw: what changed, and the app told it is drawn (the remote control's readers)."""
        self.redraw()
        self.post_message(DeskDrawn())

    def redraw(self) -> None:
        """Draw what changed since the last redraw, and nothing else (not while the app closing takes it down)."""
        if not self.is_attached or not self.areas.is_attached:
            return
        desk, changes = self.desk, self.desk.take_changes()
        if input_log.LOGGING:
            input_log.log_input("redraw", f"{changes!r} classes {sorted(self.classes)}")
        self.areas.draw(changes)
        for why in self.front.close_what_left(desk, changes):  # the overlays a contact took with it (rule 5)
            toast(self, plain(why), title="Closed", severity="information")
        if changes.agent and desk.agent is not None:
            self.sub_title = screen_title(desk.agent.name)
        if changes.ring:  # the bell, or a desktop notification when the terminal is not in front
            ring(self.app, desk.offer)
        for n in changes.notices:
            toast(self, plain(n.text), title=literal_title(n.title), severity=n.severity, timeout=n.timeout)
        self.write_on_accept.hand_over(self.action_reply, lambda: self.conversation.composer)
        self.update_keys()

    def on_resize(self, event: events.Resize) -> None:
        if self.areas.resize(event.size):  # one pane at a time, or all: the keys may differ
            self.update_keys()

    def _where(self) -> Where:
        focused = self.focused.id if self.focused is not None else None
        return Where(focused == "expert-table", focused == "composer", self.areas.panes.one_pane)

    def update_keys(self) -> None:  # the footer is told only when what the agent can do changed
        if self.keys.changed(self._where()):
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:  # False: not shown yet
        return True if command_named(action) is None else self.keys.enabled(self._where())[action]

    def why_not(self, action: str) -> str | None:  # when a command that does not apply would (help, a key in vain)
        return why_not(action, self.desk)

    def reads_key(self, event: events.Key) -> bool:  # before the desk's bindings (agent_desktop/ui/keys/key_turn.py)
        return self.write_on_accept.reads(event)

    def on_key(self, event: events.Key) -> None:
        # A key no widget took, before the app runs the desk's bindings: held for the composer of a chat just
        # accepted (a greeting typed at once is not the desk's h, e, y), or handed on to it once it has the focus.
        self.write_on_accept.on_key(event, self.focused, self.active_bindings, self.conversation.composer)

    @on(DataTable.RowHighlighted, "#contacts")
    def _contact_highlighted(self, event: DataTable.RowHighlighted) -> None:
        # (row_key None: a cursor key on the empty list; another id: a message the list has moved past)
        if (key := event.row_key.value if event.row_key else None) and key == self.contact_list.highlighted_id():
            self.desk.select(key)
            self.redraw()

    def answer_offer(self, action: str) -> None:
        """The offer answered over what was open ("accept", "reject", "go_available"), in the key's turn."""
        {"accept": self.action_accept, "reject": self.action_reject, "go_available": self.action_go_available}[action]()

    @on(OutboxChanged)
    def _on_outbox_changed(self, message: OutboxChanged) -> None:
        self.wrap_up_form.outbox_status.counts = message.counts
        self.run_use_case(self.controller.caller.cases_written())  # a case "sending…" on the card gets its id

    @on(DeskConversation.ReplyWith)
    def _reply_with(self, message: DeskConversation.ReplyWith) -> None:
        self.action_reply()
        self.conversation.composer.insert_text(message.text)

    # One action per command, by whom the table says (`Command.by`): "controller", its use case in a worker.
    # fmt: off
    @on(DeskCard.Created)
    def _caller_created(self) -> None: self.set_focus(self.contact_list)
    def on_unmount(self) -> None: self.pacer.stop()

    def action_go_available(self) -> None: self.run_use_case(self.controller.go_available())
    def action_extend_wrap_up(self) -> None: self.run_use_case(self.controller.extend_wrap_up())
    def action_reject(self) -> None: self.run_use_case(self.front.answering(self.desk.offer, self.controller.reject()))
    def action_stop_auto_accept(self) -> None: self.run_use_case(self.controller.stop_auto_accept())
    def action_hold(self) -> None: self.run_use_case(self.controller.hold())
    def action_resume(self) -> None: self.run_use_case(self.controller.resume())
    def action_complete_consult(self) -> None: self.run_use_case(self.controller.complete_consult())
    def action_cancel_consult(self) -> None: self.run_use_case(self.controller.cancel_consult())
    def action_suggest_again(self) -> None: self.run_use_case(self.controller.suggest_again())
    def action_discard_suggestion(self) -> None: self.run_use_case(self.controller.discard_suggestion())
    def action_toggle_mute(self) -> None: self.run_use_case(self.controller.sound.toggle_mute())
    def action_toggle_recording(self) -> None: self.run_use_case(self.controller.toggle_recording())
    def action_call_back(self) -> None: self.run_use_case(self.controller.call_back())
    def action_play_message(self) -> None: self.run_use_case(self.controller.play_message())
    def action_reconnect_softphone(self, again: bool = True) -> None: self.run_worker(self.controller.sound.follow(again=again), group="softphone", exclusive=True)
    # "dialog": the dialogs' flow of the same name, which asks the agent first.
    def action_not_ready(self) -> None: self.dialogs.not_ready()
    def action_next_not_ready(self) -> None: self.dialogs.next_not_ready()
    def action_end_contact(self) -> None: self.dialogs.end_contact(self.front.ended)
    def action_transfer(self) -> None: self.dialogs.transfer()
    def action_skill_filter(self) -> None: self.experts.skill_filter()
    def action_message_expert(self) -> None: self.experts.message_expert()
    def action_call_colleague(self) -> None: self.experts.call_colleague()
    def action_pick_customer(self) -> None: self.customer_card.pick_customer()
    def action_find_customer(self) -> None: self.dialogs.find_customer()
    def action_case(self) -> None: self.dialogs.case()
    def action_show_outbox(self) -> None: self.dialogs.show_outbox()
    def action_my_day(self) -> None: self.dialogs.my_day()
    def action_schedule_callback(self) -> None: self.dialogs.schedule_callback()
    def action_follow_up(self) -> None: self.dialogs.follow_up()
    def action_flag(self) -> None: self.dialogs.flag()
    def action_snooze(self) -> None: self.dialogs.snooze()
    def action_send_later(self) -> None: self.dialogs.send_later(self.conversation.composer)
    def action_keypad(self) -> None: self.dialogs.keypad()
    def action_dial(self) -> None: self.dialogs.dial()
    def action_next_contact(self) -> None: self._step_selection(1)  # "screen": the screen's, or its areas'.
    def action_previous_contact(self) -> None: self._step_selection(-1)
    def action_awaiting_filter(self) -> None: self.desk.toggle_awaiting_only()  # announced: drawn this turn
    def action_later_filter(self) -> None: self.desk.toggle_later_only()
    def action_send_reply(self) -> None: self.conversation.composer.submit()  # the palette's (enter: the composer's)
    def action_new_line(self) -> None: self.conversation.composer.action_new_line()
    def action_note_mode(self) -> None: self.conversation.toggle_note_mode()
    def action_undo_send(self) -> None: self.conversation.undo_send(then=self.action_reply)
    def action_older_messages(self) -> None: self.conversation.load_older()
    def action_transcript_page(self, step: int) -> None: self.conversation.transcript_page(step)
    def action_quick_responses(self) -> None: self.conversation.open_quick_responses()
    def action_knowledge(self) -> None: self.conversation.open_knowledge()
    def action_ask_assistant(self) -> None: self.conversation.open_ask_box()
    def action_use_suggestion(self) -> None: self.conversation.use_suggestion()
    def action_toggle_original(self) -> None: self.conversation.toggle_original()
    def action_focus_contacts(self) -> None: self.set_focus(self.contact_list)
    def action_pick_disposition(self) -> None: self.wrap_up_form.pick_disposition()
    def action_wrap_up(self) -> None: self.areas.open_wrap_up()
    def action_customer_tab(self, number: int) -> None: self.areas.open_customer_tab(number)
    def action_find_expert(self) -> None: self.areas.open_expert_search()
    def action_next_pane(self) -> None: self.areas.show_pane(self.areas.panes.next_pane())
    def action_copy(self, what: str = "") -> None: copy_from_desk(self.app, self.desk, what)
    # fmt: on

    def action_accept(self) -> None:  # a conversation: what is open steps aside for its composer (rule 4)
        self.front.accepting(self.desk.offer)
        self.write_on_accept.accepting()
        self._accept()

    @work(group="actions")
    async def _accept(self) -> None:
        await self.controller.accept()
        self.front.accept_came_back(self.desk.offer)  # refused, and still offered: it may come up again
        self.write_on_accept.accept_failed()  # (nothing to do if the contact is in hand)
        if self.write_on_accept.contact_id is None and self.focused is not self.conversation.composer:
            self.front.bring_back()  # not accepted: what was set aside for it comes back at once

    def action_leave_composer(self) -> None:  # back to the contacts, and to what a conversation accepted set aside
        self.set_focus(self.contact_list)
        self.front.bring_back()

    def _step_selection(self, step: int) -> None:
        self.desk.step_selection(step)
        self.redraw()

    def action_reply(self) -> None:  # into the selected conversation's composer (escape: back to the contacts)
        if self.areas.open_composer():
            self.update_keys()

    def action_submit_wrap_up(self) -> None:
        # The keys after ctrl+s are the desk's at once (`n` for a break): left in the notes, they were lost.
        if self.wrap_up_form.submit():
            self.set_focus(self.contact_list)
