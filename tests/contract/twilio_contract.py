"""Checking HTTP traffic against Twilio's own OpenAPI (TaskRouter v1; the REST API 2010-04-01's conferences and
their participants for hold and hang-up, calls and their real-time transcriptions; Flex v1's Interactions channel Invites and Participants for
transfers; Conversations v1's conversations, messages and participants for chat; pinned: scripts/twilio_spec.py).

The spec is installed from npm at test set-up, never copied here, and loaded once per process (0.5 s; the
`twilio_taskrouter` session fixture in tests/contract/conftest.py). Loading adds what the spec leaves out:
Twilio's error shape (`code`, `message`, `more_info`, `status`) as every operation's `default` answer, or
every 404 would fail validation.

openapi-core validates a form-encoded body's values (enums, booleans, integers, SID patterns), the path and
query parameters and basic auth, but drops a body key the operation does not declare without a word; so the
transport also refuses body and query keys the operation does not declare (a misspelt `ReservationStatuss`
would otherwise pass and be ignored by Twilio). A request is validated as sent to the spec's own server
(`https://taskrouter.twilio.com`, `https://api.twilio.com` for `/2010-04-01/…`), whatever host the test serves
it on.
"""

from __future__ import annotations

import functools
import json
from typing import Any
from urllib.parse import parse_qsl

import httpx
from openapi_core import OpenAPI

from scripts.twilio_spec import ensure_spec, json_twin
from tests.support.openapi_check import CheckingTransport, ContractViolation, openapi, operation_in

__all__ = [
    "ContractViolation",
    "TwilioContractTransport",
    "api_spec",
    "conversations_spec",
    "flex_spec",
    "taskrouter",
    "missing",
    "taskrouter_spec",
    "undeclared",
]

TASKROUTER_SERVER = "https://taskrouter.twilio.com"
TWILIO_ERROR = {
    "type": "object",
    "required": ["code", "message", "more_info", "status"],
    "properties": {
        "code": {"type": "integer"},
        "message": {"type": "string"},
        "more_info": {"type": "string", "format": "uri"},
        "status": {"type": "integer"},
    },
}


def _with_errors(spec: dict[str, Any]) -> dict[str, Any]:
    spec["components"]["schemas"]["twilio.error"] = TWILIO_ERROR
    error = {
        "description": "Twilio's error",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/twilio.error"}}},
    }
    for item in spec["paths"].values():
        for method, operation in item.items():
            if method in ("get", "post", "delete") and isinstance(operation, dict):
                operation["responses"].setdefault("default", error)
    return spec


def _load(name: str) -> dict[str, Any]:
    """A spec as its YAML says, read from the JSON twin scripts/twilio_spec.py writes beside it."""
    spec: dict[str, Any] = json.loads(json_twin(ensure_spec() / name).read_text(encoding="utf-8"))
    return spec


@functools.cache
def taskrouter_spec() -> dict[str, Any]:
    return _with_errors(_load("twilio_taskrouter_v1.yaml"))


@functools.cache
def taskrouter() -> OpenAPI:
    return openapi(taskrouter_spec())


# Twilio's REST API (twilio_api_v2010.yaml, 1.7 MB): only the operations the desk uses are kept, so it loads fast.
API_SERVER = "https://api.twilio.com"
API_PATHS = (
    "/2010-04-01/Accounts/{AccountSid}/Conferences.json",  # a call's conference, by the Task SID it is named after
    "/2010-04-01/Accounts/{AccountSid}/Conferences/{Sid}.json",  # ended (hang up)
    "/2010-04-01/Accounts/{AccountSid}/Conferences/{ConferenceSid}/Participants/{CallSid}.json",  # hold
    "/2010-04-01/Accounts/{AccountSid}/Calls/{Sid}.json",  # the caller's call redirected (a blind transfer)
    "/2010-04-01/Accounts/{AccountSid}/Messages.json",  # a follow-up SMS sent, and looked for before
    "/2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json",  # its delivery status
    "/2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}/Transcriptions.json",  # a call's real-time transcription
    "/2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}/Transcriptions/{Sid}.json",  # stopped
)


@functools.cache
def api_spec() -> dict[str, Any]:
    spec = _load("twilio_api_v2010.yaml")
    spec["paths"] = {path: spec["paths"][path] for path in API_PATHS}
    return _with_errors(spec)


@functools.cache
def api() -> OpenAPI:
    return openapi(api_spec())


# Flex (transfers: Interactions' channel Invites and Participants) and Conversations (chat, SMS), pruned the same way.
FLEX_SERVER = "https://flex-api.twilio.com"
FLEX_PATHS = (
    "/v1/Interactions/{InteractionSid}/Channels/{ChannelSid}/Invites",
    "/v1/Interactions/{InteractionSid}/Channels/{ChannelSid}/Participants",
    "/v1/Interactions/{InteractionSid}/Channels/{ChannelSid}/Participants/{Sid}",
)
CONVERSATIONS_SERVER = "https://conversations.twilio.com"
CONVERSATIONS_PATHS = (
    "/v1/Conversations/{Sid}",
    "/v1/Conversations/{ConversationSid}/Messages",
    "/v1/Conversations/{ConversationSid}/Messages/{Sid}",
    "/v1/Conversations/{ConversationSid}/Participants",
    "/v1/Conversations/{ConversationSid}/Participants/{Sid}",
)


def _pruned(name: str, paths: tuple[str, ...]) -> dict[str, Any]:
    spec = _load(name)
    spec["paths"] = {path: spec["paths"][path] for path in paths}
    return _with_errors(spec)


@functools.cache
def flex_spec() -> dict[str, Any]:
    return _pruned("twilio_flex_v1.yaml", FLEX_PATHS)


@functools.cache
def flex() -> OpenAPI:
    return openapi(flex_spec())


@functools.cache
def conversations_spec() -> dict[str, Any]:
    return _pruned("twilio_conversations_v1.yaml", CONVERSATIONS_PATHS)


@functools.cache
def conversations() -> OpenAPI:
    return openapi(conversations_spec())


def _spec_of(path: str) -> tuple[dict[str, Any], OpenAPI, str]:
    """The spec a request path belongs to: the REST API's (`/2010-04-01/…`), Flex's (`/v1/Interactions/…`),
    Conversations' (`/v1/Conversations/…`) or TaskRouter's."""
    if path.startswith("/2010-04-01/"):
        return api_spec(), api(), API_SERVER
    if path.startswith("/v1/Interactions/"):
        return flex_spec(), flex(), FLEX_SERVER
    if path.startswith("/v1/Conversations/"):
        return conversations_spec(), conversations(), CONVERSATIONS_SERVER
    return taskrouter_spec(), taskrouter(), TASKROUTER_SERVER


def operation_of(method: str, path: str) -> dict[str, Any] | None:
    """The spec's operation for a request path (templates matched segment by segment)."""
    return operation_in(_spec_of(path)[0], method, path)


def undeclared(method: str, path: str, query: dict[str, str], form: dict[str, str]) -> list[str]:
    """Query and body keys the operation does not declare."""
    operation = operation_of(method, path)
    if operation is None:
        return []  # openapi-core says so, with the path
    names = {p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"}
    found = [f"query.{key}" for key in query if key not in names]
    body = (operation.get("requestBody") or {}).get("content", {}).get("application/x-www-form-urlencoded", {})
    declared = set(body.get("schema", {}).get("properties", {}))
    return found + [f"body.{key}" for key in form if key not in declared]


def missing(method: str, path: str, form: dict[str, str]) -> list[str]:
    """Form-body keys the operation's schema requires that the request lacks (openapi-core checks `required`
    only when a body is sent: an empty one passes it)."""
    operation = operation_of(method, path)
    body = ((operation or {}).get("requestBody") or {}).get("content", {}).get("application/x-www-form-urlencoded", {})
    return [f"body.{key}" for key in body.get("schema", {}).get("required", []) if key not in form]


class TwilioContractTransport(CheckingTransport):
    """Checks each exchange against TaskRouter's spec (or the REST API's for `/2010-04-01/…`)."""

    vendor = "Twilio's spec"

    def spec_for(self, request: httpx.Request) -> tuple[OpenAPI, str]:
        _, openapi, server = _spec_of(request.url.path)
        return openapi, server

    def undeclared(self, request: httpx.Request) -> list[str]:
        form = dict(parse_qsl(request.content.decode(), keep_blank_values=True)) if request.content else {}
        query = dict(parse_qsl(request.url.query.decode(), keep_blank_values=True))
        return undeclared(request.method, request.url.path, query, form)

    def missing(self, request: httpx.Request) -> list[str]:
        form = dict(parse_qsl(request.content.decode(), keep_blank_values=True)) if request.content else {}
        return missing(request.method, request.url.path, form)
