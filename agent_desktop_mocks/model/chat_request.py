"""A chat-completions request read the way OpenAI's API reference describes it, each fault a 400 naming its `param`:
`model` and `messages` required, each message an object with a known `role` and a non-empty `content` (a string, or a
list of text parts), `stream` a boolean, `stream_options` only with `stream`, `max_tokens` a positive integer,
`response_format` of type `text`, `json_object` or `json_schema` (this one with its `json_schema.schema`: structured
output, which the answer then follows). Tools and functions are refused: this server never acts, and neither does the
desk's request ask it to."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from agent_desktop_mocks.model.openai_errors import OpenAiError

ROLES = ("system", "developer", "user", "assistant")


@dataclass(frozen=True)
class ChatRequest:
    model: str
    messages: list[tuple[str, str]]  # (role, text)
    stream: bool
    include_usage: bool
    max_tokens: int | None
    # `response_format`'s JSON schema (type `json_schema`), which the answer follows as OpenAI's structured outputs do
    # (a wrap-up's disposition one of its enum, whatever the model would have said); None for text.
    schema: dict[str, Any] | None = None


def read_chat_request(body: object) -> ChatRequest:
    if not isinstance(body, dict):
        raise OpenAiError(400, "The request body must be a JSON object.")
    model = body.get("model")
    if model is None:
        raise OpenAiError(400, "you must provide a model parameter", param="model")
    if not isinstance(model, str) or not model.strip():
        raise OpenAiError(400, "Invalid type for 'model': expected a non-empty string.", param="model")
    messages = body.get("messages")
    if messages is None:
        raise OpenAiError(
            400, "Missing required parameter: 'messages'.", param="messages", code="missing_required_parameter"
        )
    if not isinstance(messages, list) or not messages:
        raise OpenAiError(400, "Invalid 'messages': expected a non-empty array.", param="messages")
    read = [_message(message, i) for i, message in enumerate(messages)]
    for name in ("tools", "functions", "tool_choice", "function_call"):
        if name in body:
            raise OpenAiError(400, f"'{name}' is not supported by this server: it answers text only.", param=name)
    stream = body.get("stream", False)
    if not isinstance(stream, bool):
        raise OpenAiError(400, "Invalid type for 'stream': expected a boolean.", param="stream")
    options = body.get("stream_options")
    if options is not None and not stream:
        raise OpenAiError(
            400, "The 'stream_options' parameter is only allowed when 'stream' is enabled.", param="stream_options"
        )
    if options is not None and not isinstance(options, dict):
        raise OpenAiError(400, "Invalid type for 'stream_options': expected an object.", param="stream_options")
    max_tokens = body.get("max_tokens", body.get("max_completion_tokens"))
    if max_tokens is not None and (isinstance(max_tokens, bool) or not isinstance(max_tokens, int) or max_tokens < 1):
        raise OpenAiError(400, "Invalid 'max_tokens': expected an integer of at least 1.", param="max_tokens")
    include = bool(options.get("include_usage")) if isinstance(options, dict) else False
    return ChatRequest(model, read, stream, include, max_tokens, _schema(body.get("response_format")))


def _schema(response_format: object) -> dict[str, Any] | None:
    """The JSON schema of a `json_schema` response format; None for `text`, `json_object` or none. OpenAI's API refuses
    any other type, and a `json_schema` without its `name` or with a schema that is not an object."""
    if response_format is None:
        return None
    kind = response_format.get("type") if isinstance(response_format, dict) else None
    if kind in ("text", "json_object"):
        return None
    if kind != "json_schema":
        raise OpenAiError(
            400,
            "Invalid value for 'response_format.type': expected 'text', 'json_object' or 'json_schema'.",
            param="response_format",
            code="invalid_value",
        )
    assert isinstance(response_format, dict)
    shape = response_format.get("json_schema")
    if not isinstance(shape, dict) or not isinstance(shape.get("name"), str) or not shape["name"]:
        raise OpenAiError(
            400, "Missing required parameter: 'response_format.json_schema.name'.", param="response_format.json_schema"
        )
    schema = shape.get("schema")
    if not isinstance(schema, dict):
        raise OpenAiError(
            400,
            "Invalid 'response_format.json_schema.schema': expected an object.",
            param="response_format.json_schema",
        )
    return schema


def _message(message: Any, i: int) -> tuple[str, str]:
    where = f"messages[{i}]"
    if not isinstance(message, dict):
        raise OpenAiError(400, f"Invalid type for '{where}': expected an object.", param=where)
    role = message.get("role")
    if role not in ROLES:
        shown = role if isinstance(role, str) else type(role).__name__
        raise OpenAiError(
            400,
            f"Invalid value: '{str(shown)[:40]}'. Supported values are: {', '.join(repr(r) for r in ROLES)}.",
            param=f"{where}.role",
            code="invalid_value",
        )
    content = message.get("content")
    if isinstance(content, list):
        parts = [part.get("text") for part in content if isinstance(part, dict) and part.get("type") == "text"]
        if len(parts) != len(content) or not all(isinstance(part, str) for part in parts):
            raise OpenAiError(
                400, f"Invalid '{where}.content': only text parts are read here.", param=f"{where}.content"
            )
        content = "".join(parts)  # type: ignore[arg-type]
    if not isinstance(content, str):
        raise OpenAiError(400, f"Invalid type for '{where}.content': expected a string.", param=f"{where}.content")
    if not content.strip() and role != "assistant":
        raise OpenAiError(
            400, f"Invalid '{where}.content': string too short, it must not be empty.", param=f"{where}.content"
        )
    return role, content
