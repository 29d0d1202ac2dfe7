"""A wrap-up's time box on the desk's own clock (agent_desktop/agent_desk/wrap_up/wrap_up_deadline.py), whatever the contact
center's clock says: an extension moves its end, a desk in step reads the deadline as it is."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from agent_desktop.agent_desk.wrap_up.wrap_up_deadline import WrapUpDeadlines
from agent_desktop.domain.models import Contact
from agent_desktop.domain.vocabulary import Channel, ContactState

CC_NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)


def wrapping_up(box_s: float = 60, ended_at: datetime = CC_NOW) -> Contact:
    return Contact(
        id="c-1",
        channel=Channel.VOICE,
        queue_id="billing",
        queue_name="Billing",
        from_address="+1",
        state=ContactState.AFTER_CONTACT_WORK,
        entered_queue_at=ended_at - timedelta(minutes=5),
        ended_at=ended_at,
        acw_deadline=ended_at + timedelta(seconds=box_s),
    )


def test_in_step_with_the_contact_center_it_reads_the_deadline_as_it_is() -> None:
    deadlines = WrapUpDeadlines()
    assert deadlines.left_s(wrapping_up(), CC_NOW + timedelta(seconds=40)) == 20  # first seen 40 s in (a restart)
    assert deadlines.left_s(wrapping_up(), CC_NOW + timedelta(seconds=70)) == -10


@pytest.mark.parametrize("skew", [timedelta(minutes=10), -timedelta(minutes=10)], ids=["ahead", "behind"])
def test_a_skewed_desk_counts_the_whole_box_down_and_an_extension_adds_to_it(skew: timedelta) -> None:
    deadlines = WrapUpDeadlines()
    desk_now = CC_NOW + skew
    assert deadlines.left_s(wrapping_up(), desk_now) == 60
    assert deadlines.left_s(wrapping_up(), desk_now + timedelta(seconds=15)) == 45
    assert deadlines.left_s(wrapping_up(box_s=120), desk_now + timedelta(seconds=15)) == 105, "60 s more"
    assert deadlines.left_s(wrapping_up().model_copy(update={"acw_deadline": None}), desk_now) is None, "no box"
