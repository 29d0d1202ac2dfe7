"""The contract between the mocks' schemas and the desktop's models, read through their wire form.

agent_desktop/domain/models/ promises "a contract test proves the two agree". The in-process backends
convert every answer by `model_dump(mode="json")` on the mock's side and `model_validate` on the
desktop's; this file does the same for every enum value the mocks can send (and the desktop can ask
for) and for every event type they publish, so a value or field one side renames fails here rather
than as an event the desktop silently drops (its parsers skip what does not validate).
"""

from __future__ import annotations

import inspect
import types
import typing
from datetime import UTC, datetime
from enum import Enum
from typing import Any

import pytest
from pydantic import BaseModel, TypeAdapter

from agent_desktop.domain import models as desk
from agent_desktop.domain.customers import timeline as desk_timeline
from agent_desktop.domain.monitoring import participants as desk_monitoring
from agent_desktop.domain.quality import forms as desk_quality
from agent_desktop.domain.supervisor import models as desk_supervisor
from agent_desktop_mocks.ccaas.conversations import schemas as conversations
from agent_desktop_mocks.ccaas.core.wire import schemas as ccaas
from agent_desktop_mocks.ccaas.monitoring import schemas as monitoring
from agent_desktop_mocks.ccaas.quality import schemas as quality
from agent_desktop_mocks.ccaas.shell import sse_events as sse
from agent_desktop_mocks.ccaas.voice import talk_figures
from agent_desktop_mocks.ccaas.voice.media import call_levels, call_recording
from agent_desktop_mocks.crm import schemas as crm
from agent_desktop_mocks.presence import schemas as presence

AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)

# What the mocks answer, and the desktop model that reads it.
ANSWERS: list[tuple[type[BaseModel], type[BaseModel]]] = [
    (ccaas.Agent, desk.Agent),
    (ccaas.Contact, desk.Contact),
    (ccaas.Offer, desk.Offer),
    (ccaas.Queue, desk_supervisor.SupervisedQueue),
    (ccaas.QueueStats, desk_supervisor.WindowStats),
    (ccaas.AgentActivity, desk_supervisor.AgentActivity),
    (ccaas.StatsSample, desk_supervisor.StatsSample),
    (conversations.TranscriptPage, desk.TranscriptPage),
    (conversations.Conversation, desk.Conversation),
    (crm.LookupResult, desk.LookupResult),
    (crm.CustomerRecord, desk.CustomerRecord),
    (crm.Interaction, desk.Interaction),
    (crm.Note, desk.Note),
    (presence.Expert, desk.Expert),
    (presence.ChatMessage, desk.ExpertMessage),
    (monitoring.Monitoring, desk_monitoring.Monitoring),
    (monitoring.Participants, desk_monitoring.Participants),
    (crm.Supervision, desk.Supervision),
    (quality.Evaluation, desk.Evaluation),
    (quality.EvaluationEvent, desk.EvaluationEvent),
    (quality.Form, desk_quality.Form),
    (quality.Interaction, desk_quality.InteractionReview),
    (quality.InteractionSummary, desk_quality.InteractionSummary),
    (quality.Rollup, desk_quality.QualityRollup),
    (crm.TimelinePage, desk_timeline.TimelinePage),
]
# What the desktop sends, and the mock model that reads it.
REQUESTS: list[tuple[type[BaseModel], type[BaseModel]]] = [
    (desk.InteractionCreate, crm.InteractionCreate),
    (desk.CaseCreate, crm.CaseCreate),
    (desk.NewCustomer, crm.CustomerCreate),
    (desk.Target, ccaas.Target),
    (desk.SupervisionRecord, crm.SupervisionCreate),
    (desk_quality.EvaluationRecord, crm.EvaluationRecordCreate),
]
# Fields the mocks send that the desktop does not read (it ignores unknown fields by design).
NOT_READ = {
    "Contact.handled_by",
    "Queue.priority_rules",
    "Queue.callback_offer_after_s",
    "Queue.callback_retry_s",
    "Queue.callback_max_attempts",
    "Queue.voicemail_after_s",
    "Queue.voicemail_max_s",
    "Queue.caller_ids",  # the desk asks a queue's caller IDs when the dial pad opens (GET …/caller-ids)
}


def _unwrap(annotation: Any) -> list[Any]:
    """The leaf types of an annotation: through Optional, unions, lists, dict values and Annotated."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [leaf for arg in typing.get_args(annotation) if arg is not type(None) for leaf in _unwrap(arg)]
    if origin in (list, set, tuple):
        return [leaf for arg in typing.get_args(annotation) if arg is not Ellipsis for leaf in _unwrap(arg)]
    if origin is dict:
        return _unwrap(typing.get_args(annotation)[1])
    return [annotation]


def _values(leaf: Any) -> list[Any] | None:
    """Every value of an enum or Literal leaf (as JSON would carry it), else None."""
    if inspect.isclass(leaf) and issubclass(leaf, Enum):
        return [member.value for member in leaf]
    if typing.get_origin(leaf) is typing.Literal:
        return [value.value if isinstance(value, Enum) else value for value in typing.get_args(leaf)]
    return None


UNREAD: set[str] = set()  # fields sent that the reading side has no field for, filled by the walk


def enum_fields(source: type[BaseModel], target: type[BaseModel], path: str = "") -> list[tuple[str, list[Any], Any]]:
    """(path, the values `source` may carry there, `target`'s annotation there) for every enum field, nested too."""
    found = []
    for name, field in source.model_fields.items():
        where = f"{path}{source.__name__}.{name}"
        if name not in target.model_fields:
            UNREAD.add(f"{source.__name__}.{name}")
            continue
        target_annotation = target.model_fields[name].annotation
        for leaf in _unwrap(field.annotation):
            if inspect.isclass(leaf) and issubclass(leaf, BaseModel):
                nested = [t for t in _unwrap(target_annotation) if inspect.isclass(t) and issubclass(t, BaseModel)]
                assert nested, f"{where} is a {leaf.__name__}, {target.__name__}.{name} is not a model"
                found += enum_fields(leaf, nested[0], f"{where} > ")
            elif (values := _values(leaf)) is not None:
                found.append((where, values, target_annotation))
    return found


CASES = [case for source, target in ANSWERS + REQUESTS for case in enum_fields(source, target)]


@pytest.mark.parametrize(("where", "values", "target"), CASES, ids=[case[0] for case in CASES])
def test_every_enum_value_one_side_sends_is_read_as_the_same_value_by_the_other(
    where: str,
    values: list[str],
    target: Any,  # an enum class, or a type expression (a Literal, a union) read with a TypeAdapter
) -> None:
    reader = TypeAdapter(target)
    for value in values:
        shape = [value] if typing.get_origin(target) is list else value
        assert reader.dump_python(reader.validate_python(shape), mode="json") == shape, f"{where} = {value!r}"


def test_every_field_sent_is_read_or_known_to_be_left_unread() -> None:
    """A field the reader lacks is a field renamed on one side, unless it is one the desktop does not use."""
    assert UNREAD == NOT_READ


def test_the_walk_found_the_enums_that_matter() -> None:
    """The walk above is only as good as what it finds: the states, channels and availabilities among them."""
    paths = {case[0] for case in CASES}
    assert {
        "Agent.state",
        "Contact.state",
        "Contact.channel",
        "Offer.state",
        "Expert.presence > Presence.availability",
        "Expert.presence > Presence.activity",
        "InteractionCreate.channel",
        "Target.kind",
        "Contact.handoff > BotHandoff.reason",
        "Contact.handoff > BotHandoff.mood",
    } <= paths


# --- every event type the mocks publish -------------------------------------------------------

AGENT = ccaas.Agent(
    id="agent-001",
    name="Alex",
    state=ccaas.AgentState.BUSY,
    reason="r",
    state_since=AT,
    skills=["billing"],
    not_ready_reasons=["Break"],
    proficiency={"billing": 4},
    next_state={"state": "not_ready", "reason": "Break"},
    idle_since=AT,
)
CONTACT = ccaas.Contact(
    id="c-1",
    channel=ccaas.Channel.CHAT,
    queue_id="billing",
    queue_name="Billing",
    from_address="+15125550100",
    subject="Late fee",
    state=ccaas.ContactState.ON_HOLD,
    agent_id="agent-001",
    entered_queue_at=AT,
    offered_at=AT,
    answered_at=AT,
    ended_at=AT,
    completed_at=AT,
    disposition="Resolved",
    priority=2,
    hold_s=3.5,
    held_at=AT,
    acw_deadline=AT,
    transfer_path=["queue:sales"],
    consult={
        "target": {"kind": "address", "id": "sip:x@example.com", "name": "X"},
        "state": "ringing",
        "started_at": AT,
    },
    attached={
        "account_number": "ACC-1",
        "verified": True,
        "intent": "billing_inquiry",
        "menu_path": ["1"],
        "language": "en",
        "tier": "Gold",
        "vip": True,
    },
    ewt_s=12.5,
    callback={"number": "+15125550100", "reason": "r", "requested_at": AT, "max_attempts": 2, "retry_at": AT},
    direction="outbound",
    handoff={  # the virtual agent's: on the offer, read before the agent answers
        "reason": "asked_for_person",
        "intent": "billing_dispute",
        "mood": "negative",
        "transcript": [
            {"role": "customer", "text": "Charged twice", "at": AT},
            {"role": "virtual_agent", "text": "We refund a double charge the same day.", "at": AT},
        ],
    },
)
OFFER = ccaas.Offer(
    id="o-1", agent_id="agent-001", contact=CONTACT, state=ccaas.OfferState.PENDING, offered_at=AT, expires_at=AT
)
ITEM = conversations.TranscriptItem(
    id="m-000001",
    contact_id="c-1",
    index=0,
    role="agent",
    participant_id="agent-001",
    display_name="Alex",
    text="Hi",
    created_at=AT,
    delivered_at=AT,
    read_at=AT,
    subject="Re: fee",
    quoted="> earlier",
    segments=1,
    encoding="GSM-7",
)
STATS = ccaas.QueueStats(
    queue_id="billing",
    queue_name="Billing",
    waiting=1,
    longest_wait_s=2.0,
    service_level_pct=90.0,
    asa_s=4.0,
    aht_s=120.0,
    abandonment_rate_pct=5.0,
    occupancy_pct=70.0,
    arrival_rate_per_min=1.5,
    ewt_s=30.0,
    oldest_callback_s=10.0,
    agents_by_state={"busy": 1},
)
PRESENCE = presence.Presence(availability="Busy", activity="InACall", status_message="On a call", changed_at=AT)

# One of each event a mock publishes, and the desktop class that must read it (with its parser's union).
COACHING = talk_figures.CallCoachingEvent(
    contact_id="c-1",
    agent_id="agent-001",
    customer_share_pct=38,
    agent_share_pct=62,
    customer_talk_s=30.5,
    agent_talk_s=49.75,
    customer_interruptions=2,
    agent_interruptions=1,
    long_silences=1,
    long_silence_s=5.0,
    longest_silence_s=6.25,
    silent_now_s=0.0,
    customer_wpm=130,
    agent_wpm=150,
    final=True,
)
CONTACT_CENTER_EVENTS: list[tuple[BaseModel, type[BaseModel]]] = [
    (sse.AgentStateEvent(agent=AGENT), desk.AgentStateEvent),
    (sse.OfferEvent(offer=OFFER), desk.OfferEvent),
    (sse.OfferClosedEvent(offer=OFFER.model_copy(update={"state": ccaas.OfferState.EXPIRED})), desk.OfferClosedEvent),
    (sse.ContactEvent(contact=CONTACT), desk.ContactEvent),
    (conversations.MessageEvent(contact_id="c-1", item=ITEM, inactivity_deadline=AT), desk.MessageEvent),
    (conversations.TypingEvent(contact_id="c-1", role="customer", display_name="Billy", typing=True), desk.TypingEvent),
    (conversations.DeliveredEvent(contact_id="c-1", item_id="m-000001", at=AT), desk.DeliveredEvent),
    (conversations.ReadEvent(contact_id="c-1", role="customer", up_to_item_id="m-000001", at=AT), desk.ReadEvent),
    (
        conversations.ParticipantEvent(type="participant_joined", contact_id="c-1", item=ITEM, inactivity_deadline=AT),
        desk.ParticipantJoinedEvent,
    ),
    (conversations.ParticipantEvent(type="participant_left", contact_id="c-1", item=ITEM), desk.ParticipantLeftEvent),
    (
        conversations.ConversationEndedEvent(contact_id="c-1", reason="customer_inactive", item=ITEM),
        desk.ConversationEndedEvent,
    ),
    (call_levels.CallLevelEvent(contact_id="c-1", customer=4, agent=0), desk.CallLevelEvent),
    (COACHING, desk.CallCoachingEvent),
    (
        call_recording.RecordingEvent(
            contact_id="c-1",
            agent_id="agent-001",
            state="stopped",
            stopped_reason="the recording could not be written: No space left on device",
        ),
        desk.RecordingEvent,
    ),
    (
        conversations.SnoozeEvent(contact_id="c-1", snoozed_until=None, woken_by="customer", inactivity_deadline=AT),
        desk.SnoozeEvent,
    ),
    (
        conversations.ScheduledReplyEvent(
            contact_id="c-1", outcome="cancelled_by_customer", text="Back at 9.", send_at=AT, item_id="m-000002"
        ),
        desk.ScheduledReplyEvent,
    ),
]
SUPERVISOR_EVENTS: list[tuple[BaseModel, type[BaseModel]]] = [
    (
        sse.QueueStatsEvent(at=AT, today=[STATS], last_30m=[STATS.model_copy(update={"window": "30m"})]),
        desk_supervisor.QueueStatsEvent,
    ),
    (call_recording.RecordingEvent(contact_id="c-1", agent_id="agent-001", state="paused"), desk.RecordingEvent),
    (COACHING, desk.CallCoachingEvent),
]
MONITOR_EVENT = monitoring.MonitorEvent(
    type="supervisor_mode_changed",
    contact_id="c-1",
    channel=ccaas.Channel.CHAT,
    agent_id="agent-001",
    supervisor_id="supervisor-billing",
    supervisor_name="Jordan Blake",
    mode="barge",
    previous_mode="whisper",
    reason="left",
    at=AT,
)
MONITORING_EVENTS: list[tuple[BaseModel, type[BaseModel]]] = [
    *(
        (MONITOR_EVENT.model_copy(update={"type": kind}), desk.MonitorEvent)
        for kind in ("supervisor_joined", "supervisor_mode_changed", "supervisor_left")
    ),
    (
        conversations.MessageEvent(
            contact_id="c-1", item=ITEM.model_copy(update={"kind": "whisper", "role": "supervisor"})
        ),
        desk.MessageEvent,
    ),
]
PRESENCE_EVENTS: list[tuple[BaseModel, type[BaseModel]]] = [
    (presence.PresenceEvent(person_id="p-0001", presence=PRESENCE), desk.PresenceEvent),
    (
        presence.MessageEvent(
            message=presence.ChatMessage(
                id="m-000001", person_id="p-0001", direction="inbound", text="Sure", sender="Linda", sent_at=AT
            )
        ),
        desk.ExpertMessageEvent,
    ),
]


def tag(event: BaseModel) -> str:
    """An event's `type` (every event of the mocks' streams has one)."""
    value: str = event.model_dump(include={"type"})["type"]
    return value


PARSERS: dict[str, TypeAdapter[Any]] = {
    "contact center": TypeAdapter(desk.ContactCenterEvent),
    "supervisor": TypeAdapter(desk_supervisor.SupervisorEvent),
    "presence": TypeAdapter(desk.PresenceEvent | desk.ExpertMessageEvent),
    "monitoring": TypeAdapter(desk_monitoring.MonitoringStreamEvent),
}
EVENTS = (
    [("contact center", *e) for e in CONTACT_CENTER_EVENTS]
    + [("supervisor", *e) for e in SUPERVISOR_EVENTS + CONTACT_CENTER_EVENTS[:4]]
    + [("presence", *e) for e in PRESENCE_EVENTS]
    + [("monitoring", *e) for e in MONITORING_EVENTS]
    + [("contact center", MONITOR_EVENT, desk.MonitorEvent)]
)


def _agrees(desktop: Any, sent: Any, where: str = "") -> None:
    """Every field the desktop read has the value the mock sent (a field the desktop reads but the mock
    did not send would come out as the desktop's default: that is a renamed or missing field)."""
    if isinstance(desktop, dict):
        for key, value in desktop.items():
            if key == "event_id":
                continue  # the stream's id, not part of the data
            assert isinstance(sent, dict), f"the desktop reads {where}{key}, which the mock does not send"
            assert key in sent, f"the desktop reads {where}{key}, which the mock does not send"
            _agrees(value, sent[key], f"{where}{key}.")
    elif isinstance(desktop, list):
        assert isinstance(sent, list), where
        assert len(desktop) == len(sent), where
        for index, (mine, theirs) in enumerate(zip(desktop, sent, strict=True)):
            _agrees(mine, theirs, f"{where}{index}.")
    else:
        assert desktop == sent, f"{where.rstrip('.')}: the mock sent {sent!r}, the desktop read {desktop!r}"


@pytest.mark.parametrize(("stream", "sent", "expected"), EVENTS, ids=[f"{s}:{tag(e)}" for s, e, _ in EVENTS])
def test_every_event_type_is_read_by_the_desktop_with_every_field(
    stream: str, sent: BaseModel, expected: type[BaseModel]
) -> None:
    wire = sent.model_dump(mode="json")
    read = PARSERS[stream].validate_json(sent.model_dump_json())
    assert type(read) is expected
    _agrees(read.model_dump(mode="json"), wire)


def test_every_event_class_of_the_mocks_has_a_case_above() -> None:
    """A new event type in a mock fails here until a case proves the desktop reads it."""
    published = {
        (cls.__module__, value)
        for module in (ccaas, sse, conversations, presence, monitoring, call_levels, call_recording, talk_figures)
        for cls in vars(module).values()
        if inspect.isclass(cls)
        and issubclass(cls, BaseModel)
        and cls.__module__ == module.__name__
        and "type" in cls.model_fields
        for value in typing.get_args(cls.model_fields["type"].annotation)
    }
    covered = {(type(sent).__module__, tag(sent)) for _, sent, _ in EVENTS}
    assert published == covered


def test_one_event_type_name_means_one_shape_across_every_stream_the_desktop_follows() -> None:
    """The presence stream's instant message was `"message"`, as the conversation stream's customer message is: two
    shapes under one name, one log line or handler away from being read as the other. Now `"expert_message"`."""
    shapes: dict[str, set[type[BaseModel]]] = {}
    for _, sent, read_as in EVENTS:
        shapes.setdefault(tag(sent), set()).add(read_as)
    assert {name: models for name, models in shapes.items() if len(models) > 1} == {}


def test_in_hand_and_talking_are_the_same_states_on_both_sides() -> None:
    """The desk, the floor and the screens read the desktop's sets; the mock's engine routes by its own."""
    assert {state.value for state in desk.IN_HAND} == {state.value for state in ccaas.IN_HAND}
    assert {state.value for state in desk.TALKING} == {state.value for state in ccaas.TALKING}
