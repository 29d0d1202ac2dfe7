"""Which contact a softphone call carries (agent_desktop/agent_desk/voice/call_media.py, docs/voice.md): the contact the
`X-Agent-Desktop-Contact` header names, else the voice contact whose number is the caller's, however either is
written; never a chat or email, never a contact that already has a call, and a lost softphone said on every call."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from agent_desktop.agent_desk.changes import DeskChanges
from agent_desktop.agent_desk.voice.call_media import MediaState, SoftphoneCalls, caller_digits
from agent_desktop.domain.calls.softphone import CallEvent, CallEventKind
from agent_desktop.domain.models import Contact
from agent_desktop.domain.vocabulary import Channel, ContactState

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
digits = st.text("0123456789", min_size=7, max_size=15)


def written(number: str, style: int) -> str:
    """A phone number as a contact center or a SIP side may write it."""
    return [
        f"+{number}",
        number,
        f"({number[:3]}) {number[3:6]}-{number[6:]}",
        f"{number[:3]}.{number[3:6]}.{number[6:]}",
    ][style]


def contact(contact_id: str, address: str, channel: Channel = Channel.VOICE) -> Contact:
    return Contact(
        id=contact_id,
        channel=channel,
        queue_id="billing",
        queue_name="Billing",
        from_address=address,
        state=ContactState.OFFERED,
        entered_queue_at=NOW,
    )


def incoming(call_id: str, user: str, hint: str = "") -> CallEvent:
    return CallEvent(CallEventKind.INCOMING, call_id, peer=f"sip:{user}@127.0.0.1:5062", contact_hint=hint)


def calls() -> tuple[SoftphoneCalls, DeskChanges]:
    changes = DeskChanges()
    return SoftphoneCalls(lambda: changes, sound=True), changes


@given(caller=digits, other=digits, style=st.integers(0, 3), sip_style=st.integers(0, 1))
def test_a_call_is_the_voice_contact_whose_number_is_the_callers_however_written(
    caller: str, other: str, style: int, sip_style: int
) -> None:
    phone, changes = calls()
    candidates = [
        contact("chat", written(caller, style), Channel.CHAT),  # a chat from the same number is no call
        contact("other", written(other, style)),
        contact("voice", written(caller, style)),
    ]
    found = phone.apply(incoming("c1", written(caller, sip_style)), candidates)
    expected = "other" if caller_digits(other) == caller_digits(caller) else "voice"
    assert found == expected
    assert found is not None
    media = phone.media(found)
    assert media is not None
    assert media.state is MediaState.RINGING
    assert found in changes.contacts  # its row redrawn


@given(caller=digits)
def test_the_header_names_the_contact_over_the_number_and_a_second_call_waits(caller: str) -> None:
    phone, _ = calls()
    first, second = contact("first", f"+{caller}"), contact("second", f"+{caller}")
    assert phone.apply(incoming("c1", caller, hint="second"), [first, second]) == "second"
    assert phone.apply(incoming("c2", caller, hint="nobody"), [first, second]) is None  # a header names no contact
    assert phone.apply(incoming("c3", caller), [second]) is None  # second has its call: this one waits
    assert "c3" in phone.waiting
    # Once offered: the waiting call its number matches, not the one whose header names another contact.
    assert phone.match_waiting(first) == "c3"


def test_a_lost_softphone_is_said_on_every_live_call_and_nothing_else_changes() -> None:
    phone, changes = calls()
    phone.apply(incoming("c1", "15125550100"), [contact("a", "+15125550100")])
    phone.apply(CallEvent(CallEventKind.ESTABLISHED, "c1"), [])
    phone.apply(incoming("c2", "15125550199"), [contact("b", "+15125550199")])
    phone.apply(CallEvent(CallEventKind.CLOSED, "c2", reason="Connection reset by peer"), [])
    phone.link_lost("the softphone closed its link")
    lost, ended = phone.media("a"), phone.media("b")
    assert lost is not None
    assert lost.words() == "sound lost: the softphone closed its link"
    assert ended is not None
    assert ended.state is MediaState.ENDED
    assert not ended.lost  # a call that had ended lost nothing
    assert changes.links
    assert phone.live_call("a") is None  # no key acts on it until the softphone is back
