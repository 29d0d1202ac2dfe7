"""After-contact work: a disposition and notes for the contact just ended.

Under the notes, the text as it will leave the desktop (card numbers masked, security
codes removed) whenever masking changes it, and the CRM outbox's status line. What the agent
chooses and types goes up as `DraftChanged` (the desk keeps drafts, on disk too); the screen
opens the form on a contact with its draft. Above them, the queue's rule for the wrap-up (
agent_desktop/agent_desk/wrap_up/wrap_up_rules.py): its mode, the countdown of a time-boxed one and the code it is saved
with when time runs out; ctrl+o picks the disposition from its categories by typing part of it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Unpack

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Select, Static, TextArea

from agent_desktop.agent_desk.drafts.drafts import Draft
from agent_desktop.agent_desk.wrap_up import wrap_up_rules
from agent_desktop.domain.formats.phone_format import shown_phone
from agent_desktop.domain.formats.text import strip_controls
from agent_desktop.domain.models import Contact, Queue, WrapUpRule
from agent_desktop.domain.pci import mask_pci
from agent_desktop.ui import agent as agent_ui
from agent_desktop.ui.agent.outbox.outbox_status import OutboxStatus
from agent_desktop.ui.keys.key_turn import PickingSelect
from agent_desktop.ui.plain_text import cell, plain

RuleOf = Callable[[Contact], WrapUpRule | None]
CenterNow = Callable[[Contact, datetime], datetime]

if TYPE_CHECKING:
    from agent_desktop.ui.lines.widget_options import WidgetOptions

    class WrapUpOptions(WidgetOptions, total=False):
        """A WrapUpForm's keywords, for a subclass that hands them on (DeskWrapUp)."""

        rule_of: RuleOf
        clock: Callable[[], datetime] | None
        center_now: CenterNow


def _same_clock(_: Contact, now: datetime) -> datetime:
    return now


def _no_rule(_: Contact) -> WrapUpRule | None:
    return None


class WrapUpForm(Vertical):
    BORDER_TITLE = "Wrap-up"
    BINDINGS = [Binding("tab", "next_field", show=False)]

    @dataclass
    class Submitted(Message):
        contact_id: str
        disposition: str
        notes: str

    @dataclass
    class DraftChanged(Message):
        """The agent chose a disposition or typed: the desk keeps it (and the disk, soon after)."""

        contact_id: str
        draft: Draft

    def __init__(
        self,
        *,
        rule_of: RuleOf = _no_rule,
        clock: Callable[[], datetime] | None = None,
        center_now: CenterNow = _same_clock,
        **kwargs: Unpack[WidgetOptions],
    ) -> None:
        # Disabled as `open(None)` leaves it (no contact to wrap up): composed so, the form's first `open` at
        # mount restyles nothing; disabling it there restyled its nodes before the first frame (bench_desktop).
        kwargs.setdefault("disabled", True)
        self.rule_of: RuleOf = rule_of  # the queue's wrap-up rule for a contact
        self.clock: Callable[[], datetime] | None = clock  # the desk's: is a deadline past?
        # The desk's clock as the contact center's reads it, for a contact's time box (agent_desk/wrap_up/wrap_up_deadline.py).
        self.center_now: CenterNow = center_now
        super().__init__(**kwargs)
        self.contact: Contact | None = None
        self.queue: Queue | None = None
        self._now: datetime | None = None
        self._submitted_id: str | None = None  # the contact whose wrap-up the agent saved (ctrl+s) last
        self._noticed_id: str | None = None  # the contact whose running out was said
        self._keys_here = False  # the keyboard was in the form, as of the last focus message handled
        self._tab_stays = False  # a pick just took the cursor into the notes: the tab typed behind it keeps it there
        # Its parts, kept rather than queried for.
        self.contact_line, self.rule_line = Static(id="wrap-up-contact"), Static(id="wrap-up-clock")
        self.disposition = PickingSelect([], prompt="Disposition", id="disposition", allow_blank=True)
        self.disposition.then = self._to_the_notes  # a pick from its list (enter) leads on as the picker's does
        self.notes = TextArea(id="notes", soft_wrap=True, show_line_numbers=False)
        self.notes_preview, self.status_line = Static(id="notes-preview"), Static(id="wrap-up-status")
        self.outbox_status = OutboxStatus(id="outbox-status")

    def compose(self) -> ComposeResult:
        yield self.contact_line
        yield self.rule_line
        yield self.disposition
        yield self.notes
        yield self.notes_preview
        yield self.status_line
        yield self.outbox_status

    def on_mount(self) -> None:
        self.notes.border_title = "Notes"
        self.open(None, None)

    def open(self, contact: Contact | None, queue: Queue | None, draft: Draft | None = None) -> None:
        """Show the wrap-up of `contact` (None: no contact to wrap up), with what was chosen and typed so far."""
        select, notes = self.disposition, self.notes
        if not select.is_attached:  # a worker finishing while the app shuts down and the form's children are gone
            return
        same_contact = contact is not None and self.contact is not None and contact.id == self.contact.id
        previous = self.contact
        if previous is not None and not same_contact and (self.has_focus_within or self._keys_here):
            self._say_it_ran_out(previous)
        self.contact = contact
        self.queue = queue
        self.set_class(contact is not None, "-active")
        self.disabled = contact is None
        heading = self.contact_line
        if contact is None:
            heading.update(Content.styled("End a contact with e and its wrap-up opens here.", "dim"))
            select.set_options([])  # nothing of the contact just saved (its disposition) lingers
            notes.text = ""
            self._show_preview("")
            self.set_status("")
            self.show_rule(self._now, None)
            return
        heading.update(
            Content.assemble(
                ("Contact ", "dim"),
                plain(shown_phone(contact.from_address), "bold"),
                ("  in ", "dim"),
                plain(contact.queue_name),
            )
        )
        dispositions = queue.dispositions if queue else []
        if same_contact:
            # The queue's dispositions changed under an open form: what the agent chose stays chosen, and the
            # notes are not touched (setting them again would move the cursor to the start mid-typing).
            chosen = select.value
            select.set_options((cell(d, limit=80), d) for d in dispositions)
            if chosen in dispositions:
                select.value = chosen
            return
        select.set_options((cell(d, limit=80), d) for d in dispositions)
        draft = draft or Draft()
        if draft.disposition in dispositions:
            select.value = draft.disposition
        # A TextArea draws its text raw, and drafted notes quote the customer: made safe for the terminal here.
        notes.text = strip_controls(draft.notes)
        self._show_preview(notes.text)
        self.set_status("Disposition, notes, then ctrl+s saves to the CRM.")
        self.show_rule(self._now, contact)  # the rule's line at once, not at the next second

    def on_descendant_focus(self, _: events.DescendantFocus) -> None:
        self._keys_here = True

    def _say_it_ran_out(self, contact: Contact) -> None:
        """Closed under the agent's fingers, not by their ctrl+s: its time ran out and it was saved. The
        keys they go on typing land on the notice, not on the desk's keys."""
        if contact.id != self._noticed_id and self._ran_out(contact):
            self._noticed_id = contact.id
            self.app.push_screen(agent_ui.TimedOutNotice(shown_phone(contact.from_address)))

    def _ran_out(self, contact: Contact) -> bool:
        """The wrap-up of `contact` left the form because its time-boxed rule's deadline passed (not by ctrl+s)."""
        deadline, now = contact.acw_deadline, self.clock() if self.clock is not None else self._now
        now = self.center_now(contact, now) if now is not None else None
        return (
            contact.id != self._submitted_id
            and wrap_up_rules.saves_on_timeout(self.rule_of(contact))
            and deadline is not None
            and now is not None
            and now >= deadline
        )

    def show_rule(self, now: datetime | None, contact: Contact | None) -> None:
        """The rule's line, with the countdown of a time-boxed wrap-up (`contact` as the desk holds it now: an
        extension moves its deadline)."""
        self._now = now
        if contact is not None and self.contact is not None and contact.id == self.contact.id:
            self.contact = contact
        line = self.rule_line
        rule = self.rule_of(contact) if contact is not None else None
        countdown = (
            wrap_up_rules.countdown(rule, contact, self.center_now(contact, now))
            if contact is not None and now is not None
            else None
        )
        line.display = rule is not None
        if rule is None:
            return
        mode = wrap_up_rules.MODE_WORDS[rule.mode]
        if countdown is None:
            # A rule with a time box whose deadline the contact center has not given yet (the end on its way): not
            # "no time limit", which would be read as the rule's.
            waiting = rule.timeout_s and contact is not None and contact.acw_deadline is None
            said = "  its time starts as the contact center ends the contact" if waiting else "  no time limit"
            text = Content.assemble((f"{mode.capitalize()}", "bold"), (said, "dim"))
            level = "ok"
        else:
            text = Content.assemble((f"{mode.capitalize()}: ", "bold"), plain(countdown.text))
            level = countdown.level
        for name in ("ok", "near", "due"):
            line.set_class(level == name, f"-{name}")
        line.update(text)

    def pick_disposition(self) -> None:
        """The disposition picker over the queue's tree; the code picked is chosen on the form."""
        if self.contact is None or self.queue is None:
            return
        select = self.disposition
        chosen = None if select.value is Select.NULL else str(select.value)

        def picked(code: str | None) -> None:
            if code is not None and code in (self.queue.dispositions if self.queue else []):
                select.value = code
                self._to_the_notes()

        picker = agent_ui.DispositionPicker(list(self.queue.dispositions), dict(self.queue.disposition_groups), chosen)
        picker.contact_id = self.contact.id
        self.app.push_screen(picker, picked)

    def _to_the_notes(self) -> None:
        """A disposition was picked (from the picker, or the field's own list): the cursor goes into the notes. The
        `tab` that led there before, typed right behind the pick, keeps it there (`action_next_field`)."""
        self.screen.set_focus(self.notes)
        self._tab_stays = True

    def action_next_field(self) -> None:
        """tab: the next field, as everywhere; but the first tab right after a pick took the cursor into the notes is
        the agent's way there, already made: the notes typed behind it land in them."""
        if self._tab_stays and self.screen.focused is self.notes:  # (`has_focus` waits for its Focus message)
            self._tab_stays = False
            return
        self._tab_stays = False
        self.screen.focus_next()

    def on_descendant_blur(self, _: events.DescendantBlur) -> None:
        # Handled after the redraw that empties the form: at 80×24 the pane switched away first, and the focus with it.
        # A blur from one field of the form to another (a pick: the disposition to the notes) keeps the keys here; its
        # message may come after the notes' focus.
        self._keys_here = self.has_focus_within

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self._tab_stays = False  # typed into: a tab now leaves the notes
        self._show_preview(event.text_area.text)
        self._draft_changed()

    def on_select_changed(self, event: Select.Changed) -> None:
        self._draft_changed()

    def _draft_changed(self) -> None:
        # Setting a draft's own values on open echoes here too: the desk ignores a draft it already has.
        if self.contact is None:
            return
        self.post_message(self.DraftChanged(self.contact.id, self.current_draft()))

    def current_draft(self) -> Draft:
        """The disposition chosen and the notes typed, as the form shows them now."""
        value = self.disposition.value
        return Draft(None if value is Select.NULL else str(value), self.notes.text)

    def replace_draft(self, before: Draft, after: Draft) -> bool:
        """`after` in place of `before` if the form still shows `before` (False: the agent changed it since)."""
        if self.contact is None or self.current_draft() != Draft(before.disposition, strip_controls(before.notes)):
            return False
        if after.disposition in (self.queue.dispositions if self.queue else []):
            self.disposition.value = after.disposition
        self.notes.text = strip_controls(after.notes)
        self._show_preview(self.notes.text)
        return True

    def _show_preview(self, notes: str) -> None:
        """What the CRM will get, when it differs from what was typed (PCI masking)."""
        preview = self.notes_preview
        masked = mask_pci(notes)
        preview.display = masked != notes
        if masked != notes:
            preview.update(Content.assemble(("Sent as (card data masked): ", "bold $warning"), plain(masked)))

    def set_status(self, message: str, style: str = "dim") -> None:
        self.status_line.update(plain(message, style), layout=False)  # one line, always (.tcss)

    def submit(self) -> bool:
        """Post the wrap-up to save; False if there is none, or no disposition is chosen yet (said on the form)."""
        if self.contact is None:
            return False
        value = self.disposition.value
        chosen = None if value is Select.NULL else str(value)
        rule = self.rule_of(self.contact)
        now = self.center_now(self.contact, self._now) if self._now is not None else self.contact.entered_queue_at
        decision = wrap_up_rules.on_save(rule, chosen, self.contact, now)
        if decision.disposition is None:
            self.set_status(decision.why_not, "bold $error")
            if chosen is None:
                self.screen.set_focus(self.disposition)  # now, before the next key
            return False
        notes = self.notes.text
        self._submitted_id = self.contact.id
        self.post_message(self.Submitted(self.contact.id, decision.disposition, notes))
        return True
