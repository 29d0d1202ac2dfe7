"""Conversations of chat, SMS and email contacts: the transcript, sending, typing, read markers; per-queue timeouts."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Depends, Header, Query, Request, Response, status
from fastapi.responses import JSONResponse

from agent_desktop_mocks.ccaas.api.answer_events import EVENT_IDS_HEADER, EVENT_IDS_RESPONSE, event_ids
from agent_desktop_mocks.ccaas.api.dependencies import (
    AgentViewDep,
    EventLogDep,
    PrincipalDep,
    SupervisedQueueDep,
    SupervisorDep,
)
from agent_desktop_mocks.ccaas.conversations.api import ConversationApi
from agent_desktop_mocks.ccaas.conversations.schemas import (
    ITEM_ID_PATTERN,
    Conversation,
    ConversationSettings,
    ConversationSettingsPatch,
    CustomerMessageCreate,
    MessageCreate,
    ReadMarker,
    ScheduledReplyCreate,
    SnoozeRequest,
    TranscriptItem,
    TranscriptPage,
    TypingUpdate,
)
from agent_desktop_mocks.ccaas.core.wire.schemas import Conflict, Message
from agent_desktop_mocks.common.http.openapi_responses import Responses

router = APIRouter(tags=["conversations"])

REPLAY_HEADER = "Idempotent-Replayed"
READ_ERRORS: Responses = {403: {"model": Message}, 404: {"model": Message}}
WRITE_ERRORS: Responses = {**READ_ERRORS, 409: {"model": Conflict}}


async def get_conversations(request: Request) -> ConversationApi:
    # Starlette types app.state as Any: the app's set-up put this there.
    return cast(ConversationApi, request.app.state.conversations)


ConversationsDep = Annotated[ConversationApi, Depends(get_conversations)]


@router.get(
    "/v1/contacts/{contact_id}/conversation",
    response_model=Conversation,
    responses=READ_ERRORS,
    summary="A chat, SMS or email contact's conversation: state, unread count, inactivity deadline, limits",
    description="Its agent (or the agent it is offered to) or a supervisor. 404 for a voice contact.",
)
async def get_conversation(contact_id: str, who: PrincipalDep, conversations: ConversationsDep) -> Conversation:
    return conversations.conversation(contact_id, who)


@router.get(
    "/v1/agents/{agent_id}/conversations",
    response_model=list[Conversation],
    responses=READ_ERRORS,
    summary="The conversations of the agent's chat, SMS and email contacts in hand (unread counts, deadlines)",
    description="`awaiting_reply=true`: only those awaiting our reply (the customer wrote last); `false`: the others. "
    "Any other value is a 422.",
)
async def agent_conversations(
    agent_id: AgentViewDep,
    conversations: ConversationsDep,
    awaiting_reply: Annotated[
        bool | None, Query(description="Filter by awaiting our reply (`awaiting_reply_since` set or not)")
    ] = None,
) -> list[Conversation]:
    found = conversations.in_hand(agent_id)
    if awaiting_reply is None:
        return found
    return [c for c in found if (c.awaiting_reply_since is not None) == awaiting_reply]


@router.get(
    "/v1/contacts/{contact_id}/messages",
    response_model=TranscriptPage,
    responses=READ_ERRORS,
    summary="The transcript, newest page first: `limit` items before `before`, oldest first within the page",
    description="Its agent or a supervisor (any live or finished transcript).",
)
async def list_messages(
    contact_id: str,
    who: PrincipalDep,
    conversations: ConversationsDep,
    before: Annotated[str | None, Query(pattern=ITEM_ID_PATTERN, description="An item id (`m-000042`)")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> TranscriptPage:
    return conversations.page(contact_id, who, before, limit)


@router.post(
    "/v1/contacts/{contact_id}/messages",
    response_model=TranscriptItem,
    status_code=status.HTTP_201_CREATED,
    responses={
        **WRITE_ERRORS,
        201: {
            "headers": {
                REPLAY_HEADER: {"description": "`true` when this answers a retry"},
                **EVENT_IDS_RESPONSE["headers"],
            }
        },
    },
    summary="The agent sends a message (only the agent who holds the contact, while connected)",
    description="Over a channel's limit (chat 4,096 characters, SMS 1,600, email 20,000 and a 200-character "
    "subject) is 422 naming it. A retry with the same `Idempotency-Key` answers with the same item "
    f"(`{REPLAY_HEADER}: true`) and sends nothing; the key with another message is 422.",
)
async def send_message(
    contact_id: str,
    body: MessageCreate,
    who: PrincipalDep,
    conversations: ConversationsDep,
    idempotency_key: Annotated[str | None, Header(min_length=1, max_length=255)] = None,
    *,
    events: EventLogDep,
) -> JSONResponse:
    after = events.last_id
    item, replayed = conversations.send(contact_id, who, body.text, body.subject, idempotency_key)
    # A retry's answer names no event: the first answer's did (the desk knows its item by id anyway).
    headers = {EVENT_IDS_HEADER: event_ids(events, who, after, item), **({REPLAY_HEADER: "true"} if replayed else {})}
    return JSONResponse(item.model_dump(mode="json"), status_code=status.HTTP_201_CREATED, headers=headers)


@router.post(
    "/v1/contacts/{contact_id}/customer-messages",
    response_model=TranscriptItem,
    status_code=status.HTTP_201_CREATED,
    responses={**WRITE_ERRORS, 422: {"description": "Over the channel's limit, or not text"}},
    summary="The customer writes (as a web chat widget or an SMS or email gateway would post it)",
    description="A supervisor's token stands for the customer's side, so that a demo or a test can script "
    "a customer beside the simulated ones. The conversation must be active (409 once it ended); the message "
    "is redacted as every message is (card numbers, also split over messages, and security codes).",
)
async def customer_message(
    contact_id: str, body: CustomerMessageCreate, who: PrincipalDep, conversations: ConversationsDep
) -> TranscriptItem:
    return conversations.customer_sends(contact_id, who, body.text)


WAIT_ERRORS: Responses = {
    **WRITE_ERRORS,
    422: {
        "description": "A time in the past, more than 30 days ahead, "
        "or without its zone; a reply over the channel's limit"
    },
}


@router.put(
    "/v1/contacts/{contact_id}/snooze",
    response_model=Conversation,
    responses=WAIT_ERRORS,
    summary="Snooze the conversation until a time (its agent, while connected); a customer's message wakes it sooner",
    description="A short acknowledgement after the agent's reply (a 'thanks', 'ok great', at most six words, no "
    "question) does not wake it unless `wake_on_acknowledgement`; any other customer message does. While "
    "snoozed the customer's inactivity does not end it. Another agent's contact is 403, a voice contact 404, a "
    "contact not connected (on hold, in wrap-up, ended) 409.",
)
async def snooze(
    contact_id: str, body: SnoozeRequest, who: PrincipalDep, conversations: ConversationsDep
) -> Conversation:
    return conversations.snooze(contact_id, who, body.until, body.wake_on_acknowledgement)


@router.delete(
    "/v1/contacts/{contact_id}/snooze",
    response_model=Conversation,
    responses=WRITE_ERRORS,
    summary="Wake the snoozed conversation now (409 if it is not snoozed)",
)
async def wake(contact_id: str, who: PrincipalDep, conversations: ConversationsDep) -> Conversation:
    return conversations.wake(contact_id, who)


@router.put(
    "/v1/contacts/{contact_id}/scheduled-reply",
    response_model=Conversation,
    responses=WAIT_ERRORS,
    summary="Send a reply later: at `send_at`, unless the customer writes first (then it is cancelled, the agent told)",
    description="One per conversation: a new one replaces it. Its agent, while connected; masked as a message is. "
    "At its time a contact on hold gets it back (`not_sent`), not sent.",
)
async def schedule_reply(
    contact_id: str, body: ScheduledReplyCreate, who: PrincipalDep, conversations: ConversationsDep
) -> Conversation:
    return conversations.schedule(contact_id, who, body.text, body.send_at)


@router.delete(
    "/v1/contacts/{contact_id}/scheduled-reply",
    response_model=Conversation,
    responses=WRITE_ERRORS,
    summary="Cancel the scheduled reply (409 if none is scheduled); its text is in the `scheduled_reply` event",
)
async def cancel_scheduled_reply(contact_id: str, who: PrincipalDep, conversations: ConversationsDep) -> Conversation:
    return conversations.cancel_scheduled(contact_id, who)


@router.post(
    "/v1/contacts/{contact_id}/typing",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=WRITE_ERRORS,
    summary="The agent started or stopped typing (send it debounced)",
)
async def typing(contact_id: str, body: TypingUpdate, who: PrincipalDep, conversations: ConversationsDep) -> Response:
    conversations.typing(contact_id, who, body.typing)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/v1/contacts/{contact_id}/read",
    response_model=Conversation,
    responses=READ_ERRORS,
    summary="Move the agent's read marker (backwards too: mark unread); the unread count follows",
)
async def mark_read(
    contact_id: str, body: ReadMarker, who: PrincipalDep, conversations: ConversationsDep
) -> Conversation:
    return conversations.mark_read(contact_id, who, body.up_to_item_id)


@router.get(
    "/v1/queues/{queue_id}/conversation-settings",
    response_model=ConversationSettings,
    responses={404: {"model": Message}},
    summary="The queue's customer inactivity timeouts per channel",
)
async def get_settings(queue_id: str, _: PrincipalDep, conversations: ConversationsDep) -> ConversationSettings:
    return conversations.timeouts(queue_id)


@router.patch(
    "/v1/queues/{queue_id}/conversation-settings",
    response_model=ConversationSettings,
    responses={403: {"model": Message}, 404: {"model": Message}},
    summary="Change the queue's inactivity timeouts (supervisor); they apply from each conversation's next message",
)
async def patch_settings(
    queue_id: SupervisedQueueDep, body: ConversationSettingsPatch, _: SupervisorDep, conversations: ConversationsDep
) -> ConversationSettings:
    return conversations.set_timeouts(queue_id, dict(body.inactivity_timeout_s.items()))
