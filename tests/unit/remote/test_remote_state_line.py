"""`agent-desktop remote state` says the caller's number as the screen does ("(512) 555-0100"), while the JSON a
script reads keeps the contact center's form too (E.164)."""

from __future__ import annotations

from datetime import UTC, datetime

from agent_desktop.app.commands.remote import _line
from agent_desktop.domain.models import Channel, Contact, ContactState
from agent_desktop.remote.desk_view import _contact

AT = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def test_the_state_line_shows_a_number_as_the_screen_does_and_the_json_keeps_e164() -> None:
    contact = Contact(
        id="c-1",
        channel=Channel.VOICE,
        queue_id="billing",
        queue_name="Billing",
        from_address="+15125550100",
        state=ContactState.CONNECTED,
        entered_queue_at=AT,
    )
    seen = _contact(contact)
    line = _line({"agent": {"name": "Alex", "state": "busy"}, "contacts": [seen], "selected": "c-1"})
    assert seen["from"] == "+15125550100"
    assert line.splitlines()[1] == "* c-1 voice connected (512) 555-0100"
