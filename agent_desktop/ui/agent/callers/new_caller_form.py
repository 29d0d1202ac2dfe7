"""A form on the new-caller card: the agent creates the CRM record while talking to the caller."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Unpack

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Static

from agent_desktop.domain.formats.phone_format import shown_phone
from agent_desktop.domain.formats.text import strip_controls
from agent_desktop.domain.models import NewCustomer
from agent_desktop.ui.plain_text import plain

if TYPE_CHECKING:
    from agent_desktop.ui.lines.widget_options import WidgetOptions


class NewCallerForm(Vertical):
    """Hidden until a caller has no record; its fields (four Inputs, each styled with four component styles)
    are mounted the first time it is filled in, not at start-up (docs/benchmarks.md, 2026-11-24)."""

    @dataclass
    class Create(Message):
        customer: NewCustomer

    def __init__(self, **kwargs: Unpack[WidgetOptions]) -> None:
        super().__init__(**kwargs)
        self._mounted_fields = False
        self._phone_as_sent = ""  # the number the caller came from, as sent
        self._filled_for: str | None = None  # the contact whose caller the fields were last filled in for

    def compose(self) -> ComposeResult:
        return iter(())  # the fields: `_mount_fields`, on first use

    def _mount_fields(self) -> bool:
        """Mount the form's fields if they are not yet: they can be queried at once, as composed ones. False when
        the form is on its way out (its screen closing, the card rebuilt): Textual mounts nothing into a widget
        being removed, and the rows' own mount then raised MountError and ended the desk (a server restart under
        load, tests/e2e/backends/test_link_loss.py)."""
        if self._mounted_fields:
            return True
        names, contacts = Horizontal(classes="new-caller-row"), Horizontal(classes="new-caller-row")
        self._name_input = Input(placeholder="Name", id="new-name", max_length=200)
        self._language = Input(placeholder="Language (en)", id="new-language", max_length=8)
        self._phone = Input(placeholder="Phone", id="new-phone", max_length=40)
        self._email = Input(placeholder="Email", id="new-email", max_length=200)
        self._hint = Static("enter creates the customer in the CRM", id="new-caller-hint")
        self.mount_all([names, contacts, self._hint])
        if not names.is_attached:
            return False
        self._mounted_fields = True
        # Into the rows once they are in the DOM: a container's own children are mounted only with it.
        names.mount_all([self._name_input, self._language])
        contacts.mount_all([self._phone, self._email])
        return True

    def prefill(self, address: str, contact_id: str | None = None) -> None:
        """The address the caller came from goes in the phone or email field; the rest starts empty. A number
        reads in the desk's one form, as on the card's line above it ("(212) 555-0042", not "+1 212 555 0042");
        left as it is, the number is created as the caller's network sent it (`_phone_as_sent`). The same contact's
        caller drawn again (the CRM asked again, after a resync) keeps what the agent typed."""
        if not self._mount_fields():
            return
        if contact_id is not None and contact_id == self._filled_for:
            return
        self._filled_for = contact_id
        address = strip_controls(address)  # an Input shows its value raw: no escape sequence may reach the terminal
        is_email = "@" in address
        self._name_input.value = ""
        self._language.value = ""
        self._phone_as_sent = "" if is_email else address
        self._phone.value = "" if is_email else shown_phone(address)
        self._email.value = address if is_email else ""
        self.set_hint("enter creates the customer in the CRM")

    def set_hint(self, text: str) -> None:
        if not self._mount_fields():
            return
        self._hint.update(plain(text, "dim"))

    def focus_name(self) -> None:
        if not self._mount_fields():
            return
        self.screen.set_focus(self._name_input)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = self._name_input.value.strip()
        if not name:
            self.set_hint("A name is needed.")
            self.focus_name()
            return
        phone = self._phone.value.strip()
        if self._phone_as_sent and phone == shown_phone(self._phone_as_sent):
            phone = self._phone_as_sent  # shown in the desk's form, kept as it came: what is stored is not rewritten
        email = self._email.value.strip()
        language = self._language.value.strip().lower() or None
        customer = NewCustomer(
            name=name, phones=[phone] if phone else [], emails=[email] if email else [], language=language
        )
        self.post_message(self.Create(customer))
