"""The follow-up's rules, textual-free: consent is opt-in per channel (SMS: consent_sms; email:
consent_marketing), a record without the channel's address gets nothing either, and the text filled from the
record passes the PCI masker."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from agent_desktop.agent_desk.follow_ups.follow_up import TEMPLATES, WrappedUp, preview, refusal
from agent_desktop.domain.models import Customer
from agent_desktop.domain.vocabulary import Channel

consents = st.sampled_from([True, False, None])


def customer(
    sms: bool | None,
    marketing: bool | None,
    phones: tuple[str, ...] = ("+15125550100",),
    emails: tuple[str, ...] = ("ana@example.com",),
) -> Customer:
    return Customer(
        id="cus-1",
        name="Ana Lima",
        phones=list(phones),
        emails=list(emails),
        consent_sms=sms,
        consent_marketing=marketing,
    )


@given(sms=consents, marketing=consents, channel=st.sampled_from([Channel.SMS, Channel.EMAIL]))
def test_only_a_consent_given_lets_a_follow_up_through(
    sms: bool | None, marketing: bool | None, channel: Channel
) -> None:
    given_consent = sms if channel == Channel.SMS else marketing
    why = refusal(customer(sms, marketing), channel)
    assert (why is None) == (given_consent is True)
    if why is not None:
        assert ("SMS" if channel == Channel.SMS else "email") in why, "the notice names the channel"
        assert ("withdrawn" in why) == (given_consent is False)


def test_no_address_for_the_channel_is_no_follow_up_either() -> None:
    assert "no phone" in (refusal(customer(True, True, phones=()), Channel.SMS) or "")
    assert "no email" in (refusal(customer(True, True, emails=()), Channel.EMAIL) or "")


def test_an_address_with_a_line_break_is_no_follow_up() -> None:
    """A CRM email of `ana@example.com` CR LF `Bcc: …` would add a header line on a real mail backend."""
    injected = customer(True, True, emails=("ana@example.com\r\nBcc: everyone@example.com",))
    assert "not one address" in (refusal(injected, Channel.EMAIL) or "")


def test_each_template_is_filled_from_the_record_and_masked() -> None:
    wrapped = WrappedUp("c-000007", "billing", customer(True, True), "Refund to card 4111 1111 1111 1111", "case-12")
    for template in TEMPLATES:
        text = preview(template, wrapped)
        assert text.startswith("Hi Ana,")
        assert "case-12" in text
        assert "4111 1111 1111 1111" not in text, "the card number masked, its last four kept"
        assert "1111" in text, "the card number masked, its last four kept"


def wrapped_with(disposition: str) -> WrappedUp:
    return WrappedUp("c-000007", "sales", customer(True, True), disposition, "case-12")


def test_the_outcome_template_claims_a_resolution_only_for_a_disposition_that_says_so() -> None:
    first = TEMPLATES[0]
    assert "is resolved (Resolved)" in preview(first, wrapped_with("Resolved"))
    for unresolved in ("Transferred", "Escalated", "Not interested", "Quote sent", "Unresolved", "Ticket opened"):
        text = preview(first, wrapped_with(unresolved))
        assert "resolved" not in text.replace("Unresolved", ""), f"{unresolved}: {text}"
        assert unresolved in text, "the disposition is still said"
    assert "passed to the team best placed to help" in preview(first, wrapped_with("Transferred"))
    assert "escalated" in preview(first, wrapped_with("Escalated"))


@given(sms=st.sampled_from([False, None]), marketing=st.sampled_from([False, None]))
def test_a_refusal_says_the_consent_in_words_never_a_field_name(sms: bool | None, marketing: bool | None) -> None:
    for channel in (Channel.SMS, Channel.EMAIL):
        why = refusal(customer(sms, marketing), channel) or ""
        assert "consent_" not in why, why
    assert marketing is not None or "no marketing consent on file" in (
        refusal(customer(sms, None), Channel.EMAIL) or ""
    )
    assert sms is not None or "no SMS consent on file" in (refusal(customer(None, marketing), Channel.SMS) or "")
