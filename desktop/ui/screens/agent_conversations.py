"""The agent screen's conversation workspace: the selected chat, SMS or email in the experts' place, its
composer's messages and keys, and quick responses. The desk holds the conversations; this only draws them
and turns keys into the controller's use cases (a part of AgentScreen, as AgentDialogs is)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from textual import on, work

from desktop.conversations.quick_responses import placeholder_values
from desktop.text import strip_controls
from desktop.ui.screens.agent_layout import AgentLayout
from desktop.ui.screens.quick_response_picker import QuickResponsePicker
from desktop.ui.widgets.composer import NOTE, REPLY, Composer
from desktop.ui.widgets.conversation_pane import ConversationPane
from desktop.ui.widgets.transcript_view import TranscriptView


class AgentConversations(AgentLayout):
    clock: Callable[[], datetime]
    _focus_now: Callable[[str], None]
    _update_keys: Callable[[], None]
    run_use_case: Callable[[Awaitable[object]], object]

    # --- drawing the selected conversation -------------------------------------------------

    def _show_conversation(self) -> None:
        """The selected chat, SMS or email in the experts' place (`/` brings the experts back over it)."""
        desk = self.desk
        conversation = desk.selected_conversation()
        pane = self.query_one(ConversationPane)
        self.set_class(conversation is not None and not self._experts_over_conversation, "-conversation")
        if conversation is None:
            if self.focused is not None and pane in self.focused.ancestors:
                self._focus_now("#contacts")  # the conversation left the desk
            pane.show(None, None, "", self.clock())
            return
        contact_id = conversation.contact_id
        pane.show(
            desk.selected_contact(), conversation, desk.composer.get(contact_id, ""), self.clock(),
            note=contact_id in desk.note_mode,
        )  # fmt: skip
        if pane.display and conversation.unread and pane.query_one(TranscriptView).following:
            # In front of the agent now: the customer's messages are read (their "seen" receipt follows).
            # Scrolled up to older lines, the agent has not seen them: they stay unread until the end.
            self.controller.mark_read(conversation.contact_id)

    @on(TranscriptView.ReachedEnd)
    def _transcript_at_end(self, message: TranscriptView.ReachedEnd) -> None:
        conversation = self.desk.selected_conversation()
        if conversation is not None and conversation.contact_id == message.contact_id and conversation.unread:
            self.controller.mark_read(message.contact_id)

    @on(Composer.Edited)
    def _composer_edited(self, message: Composer.Edited) -> None:
        # A draft shown again on switching is not typing: only a change the agent made says "typing".
        if self.controller.keep_composer(message.contact_id, message.text) and message.mode == REPLY and message.text:
            self.controller.typed(message.contact_id)

    @on(Composer.Submitted)
    def _composer_submitted(self, message: Composer.Submitted) -> None:
        self.controller.keep_composer(message.contact_id, "")
        if message.mode == NOTE:
            self.controller.add_note(message.contact_id, message.text)
        else:
            self.send_text(message.contact_id, message.text)

    def send_text(self, contact_id: str, text: str) -> None:
        """Send `text` in a conversation at once (the composer's Enter; quick responses' "send" too)."""
        self.run_worker(self._send(contact_id, text), group=f"send-{contact_id}")

    async def _send(self, contact_id: str, text: str) -> None:
        if await self.controller.send_text(contact_id, text) is None and contact_id in self.desk.conversations:
            # Refused: the text goes back to the agent, before whatever they typed since.
            kept = self.desk.composer.get(contact_id, "")
            restored = f"{text}\n{kept}" if kept else text
            self.controller.keep_composer(contact_id, restored)
            composer = self.query_one(Composer)
            if composer.contact_id == contact_id:
                composer.open(contact_id, restored)

    @on(TranscriptView.NeedOlder)
    def _need_older(self, message: TranscriptView.NeedOlder) -> None:
        self.run_use_case(self.controller.load_older(message.contact_id))

    def action_find_expert(self) -> None:
        self.show_pane("experts")
        self._focus_now("#expert-search")

    def action_reply(self) -> None:
        """Into the selected conversation's composer (escape goes back to the contacts)."""
        if self.desk.selected_conversation() is None:
            return
        self.show_pane("conversation")
        self._focus_now("#composer")
        self._update_keys()

    def action_send_reply(self) -> None:
        """The composer's Enter, from the palette (the key itself reaches the composer first)."""
        self.query_one(Composer).submit()

    def action_new_line(self) -> None:
        self.query_one(Composer).action_new_line()

    def action_note_mode(self) -> None:
        """Reply or private note, for the selected conversation only (each keeps its own)."""
        if (conversation := self.desk.selected_conversation()) is not None:
            contact_id = conversation.contact_id
            self.desk.set_note_mode(contact_id, contact_id not in self.desk.note_mode)
            self._show_conversation()

    def action_older_messages(self) -> None:
        if (conversation := self.desk.selected_conversation()) is not None:
            self.run_use_case(self.controller.load_older(conversation.contact_id))

    def action_transcript_page(self, step: int) -> None:
        """A page up or down in the selected conversation's transcript, wherever the focus is."""
        if self.desk.selected_conversation() is not None:
            self.query_one(TranscriptView).action_page(step)

    def action_leave_composer(self) -> None:
        self._focus_now("#contacts")

    # --- quick responses, in the selected conversation ----------------------------------

    def action_quick_responses(self) -> None:
        self.open_quick_responses()

    @work(group="quick-responses", exclusive=True)
    async def open_quick_responses(self) -> None:
        contact = self.desk.selected_contact()
        if contact is None or self.desk.selected_conversation() is None:
            return
        lookup = self.desk.lookups.get(contact.id)
        values = placeholder_values(lookup.record if lookup else None, self.desk.agent, contact)
        picker = QuickResponsePicker(self.backends.quick_responses, values, contact.channel, contact.queue_id)
        choice = await self.app.push_screen_wait(picker)
        if choice is None or self.desk.selected_id != contact.id:
            return
        if choice.send_now:
            self.send_text(contact.id, choice.text)
        else:
            self.action_reply()
            # Filled from the CRM (a name): into the editor as it will be shown, never with a bidi override.
            self.query_one(Composer).insert_text(strip_controls(choice.text))
