"""The agent screen's conversation workspace: the selected chat, SMS or email in the experts' place, its
composer's messages and keys, and quick responses. The desk holds the conversations; this only draws them
and turns keys into the controller's use cases. A part of the agent screen (agent_screen.py), which owns it
and hands it the composer's and the transcript's messages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.conversations.quick_responses import QuickResponse, placeholder_values
from desktop.desk.controller import DeskController
from desktop.text import strip_controls
from desktop.ui.agent.composer import NOTE, REPLY, Composer
from desktop.ui.agent.conversation_pane import ConversationPane

if TYPE_CHECKING:
    from desktop.ui.agent.agent_screen import AgentScreen


class ConversationWorkspace:
    def __init__(self, screen: AgentScreen, controller: DeskController, quick_responses: list[QuickResponse]) -> None:
        self.screen = screen
        self.controller = controller
        self.desk = controller.desk
        self.quick_responses = quick_responses

    # --- drawing the selected conversation -------------------------------------------------

    def show(self) -> None:
        """The selected chat, SMS or email in the experts' place (`/` brings the experts back over it)."""
        screen, desk = self.screen, self.desk
        conversation = desk.selected_conversation()
        pane = screen.query_one(ConversationPane)
        screen.set_class(conversation is not None and not screen.panes.experts_over_conversation, "-conversation")
        if conversation is None:
            if screen.focused is not None and pane in screen.focused.ancestors:
                screen.focus_now("#contacts")  # the conversation left the desk
            pane.show(None, None, "", screen.clock())
            pane.forget_places(desk.conversations)  # (after: the view keeps the last's)
            return
        contact_id = conversation.contact_id
        pane.show(
            desk.selected_contact(), conversation, desk.conversations.composer.get(contact_id, ""), screen.clock(),
            note=contact_id in desk.conversations.note_mode,
        )  # fmt: skip
        pane.forget_places(desk.conversations)
        if pane.display and conversation.unread and pane.transcript.following:
            # In front of the agent now: the customer's messages are read (their "seen" receipt follows).
            # Scrolled up to older lines, the agent has not seen them: they stay unread until the end.
            self.controller.conversation.mark_read(conversation.contact_id)

    # --- the transcript's and the composer's messages ------------------------------------

    def reached_end(self, contact_id: str) -> None:
        conversation = self.desk.selected_conversation()
        if conversation is not None and conversation.contact_id == contact_id and conversation.unread:
            self.controller.conversation.mark_read(contact_id)

    def edited(self, message: Composer.Edited) -> None:
        # A draft shown again on switching is not typing: only a change the agent made says "typing".
        if self.controller.conversation.keep_composer(message.contact_id, message.text) and message.mode == REPLY and message.text:
            self.controller.conversation.typed(message.contact_id)

    def submitted(self, message: Composer.Submitted) -> None:
        self.controller.conversation.keep_composer(message.contact_id, "")
        if message.mode == NOTE:
            self.controller.conversation.add_note(message.contact_id, message.text)
        else:
            self.send_text(message.contact_id, message.text)

    def send_text(self, contact_id: str, text: str) -> None:
        """Send `text` in a conversation at once (the composer's Enter; quick responses' "send" too)."""
        self.screen.run_worker(self._send(contact_id, text), group=f"send-{contact_id}")

    async def _send(self, contact_id: str, text: str) -> None:
        if await self.controller.conversation.send_text(contact_id, text) is None and contact_id in self.desk.conversations:
            # Refused: the text goes back to the agent, before whatever they typed since.
            kept = self.desk.conversations.composer.get(contact_id, "")
            restored = f"{text}\n{kept}" if kept else text
            self.controller.conversation.keep_composer(contact_id, restored)
            composer = self.screen.query_one(ConversationPane).composer
            if composer.contact_id == contact_id:
                composer.open(contact_id, restored)

    # --- keys ------------------------------------------------------------------------------

    def reply(self) -> None:
        """Into the selected conversation's composer (escape goes back to the contacts)."""
        if self.desk.selected_conversation() is None:
            return
        self.screen.panes.show_pane("conversation")
        self.screen.query_one(ConversationPane).mount_parts()  # if no conversation was drawn yet
        self.screen.focus_now("#composer")
        self.screen.update_keys()

    def toggle_note_mode(self) -> None:
        """Reply or private note, for the selected conversation only (each keeps its own)."""
        if (conversation := self.desk.selected_conversation()) is not None:
            contact_id = conversation.contact_id
            self.desk.conversations.set_note_mode(contact_id, contact_id not in self.desk.conversations.note_mode)
            self.show()

    def load_older(self) -> None:
        if (conversation := self.desk.selected_conversation()) is not None:
            self.screen.run_use_case(self.controller.conversation.load_older(conversation.contact_id))

    def transcript_page(self, step: int) -> None:
        """A page up or down in the selected conversation's transcript, wherever the focus is."""
        if self.desk.selected_conversation() is not None:
            self.screen.query_one(ConversationPane).transcript.action_page(step)

    # --- quick responses, in the selected conversation ----------------------------------

    def open_quick_responses(self) -> None:
        self.screen.run_worker(self._quick_responses(), group="quick-responses", exclusive=True)

    async def _quick_responses(self) -> None:
        desk = self.desk
        contact = desk.selected_contact()
        if contact is None or desk.selected_conversation() is None:
            return
        lookup = desk.lookups.get(contact.id)
        values = placeholder_values(lookup.record if lookup else None, desk.agent, contact)
        from desktop.ui.agent.dialogs.quick_response_picker import QuickResponsePicker

        picker = QuickResponsePicker(self.quick_responses, values, contact.channel, contact.queue_id)
        choice = await self.screen.app.push_screen_wait(picker)
        if choice is None or desk.selected_id != contact.id:
            return
        if choice.send_now:
            self.send_text(contact.id, choice.text)
        else:
            self.reply()
            # Filled from the CRM (a name): into the editor as it will be shown, never with a bidi override.
            self.screen.query_one(ConversationPane).composer.insert_text(strip_controls(choice.text))
