"""After-contact work: a disposition and notes for the contact just ended."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Select, Static, TextArea

from desktop.backends.models import Contact, Queue
from desktop.ui.plain_text import plain


class WrapUpForm(Vertical):
    BORDER_TITLE = "Wrap-up"

    @dataclass
    class Submitted(Message):
        contact_id: str
        disposition: str
        notes: str

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.contact: Contact | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="wrap-up-contact")
        yield Select[str]([], prompt="Disposition", id="disposition", allow_blank=True)
        yield TextArea(id="notes", soft_wrap=True, show_line_numbers=False)
        yield Static(id="wrap-up-status")

    def on_mount(self) -> None:
        self.query_one("#notes", TextArea).border_title = "Notes"
        self.open(None, None)

    def open(self, contact: Contact | None, queue: Queue | None) -> None:
        """Start wrapping up `contact` (None closes the form). Notes already typed are kept."""
        same_contact = self.contact is not None and contact is not None and self.contact.id == contact.id
        self.contact = contact
        self.set_class(contact is not None, "-active")
        self.disabled = contact is None
        heading = self.query_one("#wrap-up-contact", Static)
        if contact is None:
            heading.update(Content.styled("End a contact with e and its wrap-up opens here.", "dim"))
            self.query_one("#notes", TextArea).text = ""
            self.set_status("")
            return
        heading.update(
            Content.assemble(("Contact ", "dim"), plain(contact.from_address, "bold"), ("  in ", "dim"), plain(contact.queue_name))
        )
        if not same_contact:
            select = self.query_one("#disposition", Select)
            dispositions = queue.dispositions if queue else []
            select.set_options((Text(d), d) for d in dispositions)
            self.query_one("#notes", TextArea).text = ""
            self.set_status("Disposition, notes, then ctrl+s saves to the CRM.")

    def set_status(self, message: str, style: str = "dim") -> None:
        self.query_one("#wrap-up-status", Static).update(plain(message, style))

    def submit(self) -> None:
        if self.contact is None:
            return
        disposition = self.query_one("#disposition", Select).value
        if disposition is Select.NULL:
            self.set_status("Choose a disposition first.", "bold $error")
            self.query_one("#disposition", Select).focus()
            return
        notes = self.query_one("#notes", TextArea).text
        self.post_message(self.Submitted(self.contact.id, str(disposition), notes))
