"""What a script reads of the desk (`remote state`, `remote watch`: agent_desktop/remote/desk_view.py) never holds a
security code, however it was said (in words, or before more digits)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from agent_desktop.domain.models import Channel, Contact, ContactState
from agent_desktop.remote.desk_view import _contact

AT = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("subject", "code"),
    [
        ("Payment: the security code is five five five", "five five five"),
        ("cvv five five five, card ends 1111", "five five five"),
        ("cvv 555 12/28", "555"),
        ("cvv 555 1228", "555"),
        ("code 555 12", "555"),
    ],
)
def test_a_contacts_subject_reaches_a_script_without_its_security_code(subject: str, code: str) -> None:
    contact = Contact(
        id="c-1",
        channel=Channel.VOICE,
        queue_id="billing",
        queue_name="Billing",
        from_address="+15125550199",
        subject=subject,
        state=ContactState.CONNECTED,
        entered_queue_at=AT,
    )
    seen = _contact(contact)
    assert code not in seen["subject"], seen
    assert "[security code removed]" in seen["subject"]
    assert code not in json.dumps({**seen, "from": None, "from_shown": None}), seen
