"""A call's recording paused by the agent for card data, and a pause that lasts too long said once: a recording left
paused after the card is read loses the rest of the call; a recording the contact center stopped (its folder full)
said once too (docs/voice.md "Recording, paused for card data")."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from agent_desktop.agent_desk.use_case import DeskNotices
from agent_desktop.domain.formats.durations import format_duration
from agent_desktop.domain.models import RecordingEvent

if TYPE_CHECKING:
    from agent_desktop.agent_desk.contacts import HeldContact

LONG_PAUSE_S = 180.0  # a card read out takes under a minute; three is a pause forgotten


class RecordingDesk(DeskNotices, Protocol):
    """The desk as the recording's notices read it (desk/model.py's Desk, which imports this package): the contacts in
    hand, the calls whose recording is paused, and what was said of them."""

    @property
    def held(self) -> dict[str, HeldContact]: ...

    @property
    def recording_paused(self) -> dict[str, datetime]: ...

    @property
    def recording_told_long(self) -> set[str]: ...

    @property
    def recording_told_stopped(self) -> set[str]: ...


def tell_long_pauses(desk: RecordingDesk, now: datetime) -> None:
    """Each call whose recording has been paused past `LONG_PAUSE_S` said to the agent, once a pause."""
    for contact_id, since in desk.recording_paused.items():
        paused_s = (now - since).total_seconds()
        if paused_s >= LONG_PAUSE_S and contact_id not in desk.recording_told_long:
            desk.recording_told_long.add(contact_id)
            desk.notice(
                f"This call's recording has been paused for {format_duration(paused_s)}: P resumes it.",
                "Recording still paused",
                "warning",
            )


def tell_recording_stopped(desk: RecordingDesk, event: RecordingEvent) -> None:
    """A call in the agent's hands that the contact center stopped recording (it could not write it), said once: the
    agent would otherwise take a call for recorded that is not."""
    if event.state != "stopped" or event.contact_id not in desk.held or event.contact_id in desk.recording_told_stopped:
        return
    desk.recording_told_stopped.add(event.contact_id)
    why = f" ({event.stopped_reason})" if event.stopped_reason else ""
    desk.notice(
        f"The contact center stopped recording this call{why}. The call goes on, not recorded.",
        "Recording stopped",
        "warning",
    )
