"""One written form of a phone number wherever the desk says one: however the contact center wrote
the caller's number ("+14155550123", "415-555-0123", "1 (415) 555 0123"), reader mode's offer line and the note an
expert receives say it as the screen does, `shown_phone`'s form ("(415) 555-0123"), not as it came."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from agent_desktop.agent_desk.desk import Desk
from agent_desktop.agent_desk.experts.experts import compose_escalation
from agent_desktop.agent_desk.said_aloud import SaidAloud
from agent_desktop.domain.formats.phone_format import shown_phone
from agent_desktop.domain.models import OfferEvent
from tests.support.desk_events import AGENT_ID, offer

WRITTEN = ("+1415555{n}", "415-555-{n}", "1 (415) 555 {n}", "(415)555.{n}", "+1 415 555 {n}")


@st.composite
def numbers(draw: st.DrawFn) -> tuple[str, str]:
    """(the number as the contact center wrote it, its one shown form)."""
    line = f"{draw(st.integers(min_value=100, max_value=9999)):04d}"
    return draw(st.sampled_from(WRITTEN)).format(n=line), f"(415) 555-{line}"


@given(numbers())
def test_reader_mode_says_the_offers_number_in_the_shown_form(number: tuple[str, str]) -> None:
    written, shown = number
    assert shown_phone(written) == shown  # the screen's own form (contact list, card, offer)
    desk, said = Desk(AGENT_ID), SaidAloud()
    offered = offer("c-000001")
    offered = offered.model_copy(update={"contact": offered.contact.model_copy(update={"from_address": written})})
    desk.apply(OfferEvent(offer=offered))
    lines = said.lines(desk, desk.take_changes())
    assert any(f"from {shown} in Billing" in line for line in lines), lines


@given(numbers())
def test_the_experts_note_names_a_caller_not_in_the_crm_in_the_shown_form(number: tuple[str, str]) -> None:
    written, shown = number
    contact = offer("c-000001").contact.model_copy(update={"from_address": written})
    text = compose_escalation(agent_name="Alex Morgan", contact=contact, record=None)
    assert f"Customer: {shown} (not in the CRM)" in text.splitlines(), text
