"""The mock's call transcription event (agent_desktop_mocks/ccaas/call_transcripts/schemas.py) is read by the desk
(agent_desktop/domain/models/transcription.py) with every field, on the agent's stream and the monitoring stream: the same
proof test_wire_form_contract.py gives every other event, kept apart for the call transcription's event."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import TypeAdapter

from agent_desktop.domain.models import ContactCenterEvent
from agent_desktop.domain.models.transcription import TranscriptionEvent
from agent_desktop.domain.monitoring.participants import MonitoringStreamEvent
from agent_desktop_mocks.ccaas.call_transcripts import schemas as mock
from tests.contract.backends.test_wire_form_contract import _agrees

AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize("final", [False, True], ids=["interim", "final"])
@pytest.mark.parametrize(
    "parser", [TypeAdapter(ContactCenterEvent), TypeAdapter(MonitoringStreamEvent)], ids=["agent", "monitoring"]
)
def test_a_transcription_event_is_read_with_every_field(parser: TypeAdapter[Any], final: bool) -> None:
    sent = mock.TranscriptionEvent(
        contact_id="c-000042",
        line=mock.TranscriptionLine(
            id="c-000042:3",
            contact_id="c-000042",
            index=3,
            role="customer",
            display_name="Caller",
            text="I was charged twice this month",
            final=final,
            started_at=AT,
            at=AT,
        ),
    )
    read = parser.validate_json(sent.model_dump_json())
    assert type(read) is TranscriptionEvent
    _agrees(read.model_dump(mode="json"), sent.model_dump(mode="json"))
