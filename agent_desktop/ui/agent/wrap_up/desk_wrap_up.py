"""The agent screen's wrap-up area: the form (wrap_up_form.py) opened on the contact the desk wraps up, its save's
status, and the after-contact work's countdown in its border, each tick; the form's draft and save handed to the
controller's wrap-up use cases."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Unpack

from textual import on, work

from agent_desktop.agent_desk.contacts import Phase
from agent_desktop.agent_desk.controller import DeskController
from agent_desktop.agent_desk.drafts.drafts import Draft
from agent_desktop.agent_desk.wrap_up.wrap_ups import NOTES_KEPT
from agent_desktop.domain.formats.durations import format_duration
from agent_desktop.ui.agent.wrap_up.wrap_up_form import WrapUpForm
from agent_desktop.ui.plain_text import literal_title
from agent_desktop.ui.terminal import input_log

if TYPE_CHECKING:
    from agent_desktop.ui.agent.wrap_up.wrap_up_form import WrapUpOptions

STATUS_STYLES = {"information": "dim", "warning": "bold $warning", "error": "bold $error"}


class DeskWrapUp(WrapUpForm):
    def __init__(self, controller: DeskController, **kwargs: Unpack[WrapUpOptions]) -> None:
        super().__init__(**kwargs)
        self.controller = controller
        self.desk = controller.desk
        self.center_now = self.desk.wrap_up_deadlines.center_now
        self._shown: tuple[object, ...] | None = None  # the contact and dispositions the form was opened on

    def desk_changed(self) -> None:
        """Open the form only when the contact it shows changes (or its queue's dispositions arrive)."""
        desk = self.desk
        held = desk.wrap_up()
        queue = desk.queues.get(held.contact.queue_id) if held else None
        shown = (held.id if held else None, tuple(queue.dispositions) if queue else None)
        if shown != self._shown:
            if input_log.LOGGING:
                input_log.log_input("wrap-up", f"opened on {shown[0]} (was {self._shown and self._shown[0]})")
            self._shown = shown
            self._keep_typed(held.id if held else None)
            self.open(held.contact if held else None, queue, desk.wrap_ups.get(held.id) if held else None)
        elif held is not None and (redrafted := desk.wrap_ups.redrafted.pop(held.id, None)) is not None:
            self._show_redrafted(held.id, *redrafted)
        status = desk.wrap_ups.status.get(held.id) if held else None
        if status is not None:
            self.set_status(status[0], STATUS_STYLES[status[1]])

    def _keep_typed(self, next_id: str | None) -> None:
        """The form leaves the contact it shows (wrapped up, its end refused, another selected): what it shows is
        kept first, while the desk still holds that contact. The desk hears of typing through messages that bubble a
        turn or two behind the keys (the notes' `Changed`, then `DraftChanged`); a redraw between the keys and those
        closed the form and its text was lost (an end refused at once: the notes typed behind `e` were read, not
        kept for the next `e`)."""
        shown = self.contact
        if shown is not None and shown.id != next_id and shown.id in self.desk.held:
            self.controller.wrap_up.keep_draft(shown.id, self.current_draft())

    def _show_redrafted(self, contact_id: str, before: Draft, after: Draft) -> None:
        """The assistant's draft in the open form, if it still shows what the desk replaced: keys typed since, not yet
        kept by the desk, are the agent's, and the form's text is kept instead (told to the desk)."""
        if not self.replace_draft(before, after):
            self.controller.wrap_up.keep_draft(contact_id, self.current_draft())
            self.desk.wrap_ups.say(contact_id, NOTES_KEPT)

    def tick(self, now: datetime) -> None:
        """The countdown of the after-contact work in the border, and the queue's wrap-up rule's line (an
        extension moves its deadline: the form is handed the contact as the desk holds it now)."""
        held = self.desk.wrap_up()
        self.show_rule(now, held.contact if held else None)
        countdown_text = ""  # plain text: the border gets it through literal_title
        if held is not None and held.phase is Phase.TIMED_OUT:
            countdown_text = "closed by timeout — not saved yet"
        elif held is not None and (left := self.desk.wrap_up_deadlines.left_s(held.contact, now)) is not None:
            countdown_text = f"closes in {format_duration(max(0, int(left)), 'short')}"
        if getattr(self.border_subtitle, "plain", self.border_subtitle) != countdown_text:
            self.border_subtitle = literal_title(countdown_text)

    @on(WrapUpForm.DraftChanged)
    def _keep_draft(self, message: WrapUpForm.DraftChanged) -> None:
        self.controller.wrap_up.keep_draft(message.contact_id, message.draft)

    @on(WrapUpForm.Submitted)
    def _submitted(self, message: WrapUpForm.Submitted) -> None:
        self.save(message.contact_id, message.disposition, message.notes)

    @work(group="wrap-up", exclusive=True)
    async def save(self, contact_id: str, disposition: str, notes: str) -> None:
        await self.controller.wrap_up.save_wrap_up(contact_id, disposition, notes)
