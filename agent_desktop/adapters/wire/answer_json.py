"""A backend's answer read as JSON within bounds, so that no answer can crash or stall the desk.

An answer is read whole before its JSON is parsed, at most `MAX_BYTES` and within a deadline for the whole
answer (httpx's read timeout is per chunk: a server trickling a byte every few seconds would never time out).
Its JSON must be UTF-8, JSON (not a maintenance page in HTML), and nested at most `MAX_DEPTH` deep (Python's
parser raises RecursionError, not ValueError, a thousand levels down, and every reader after it recurses
too). Each refusal is a `BackendError` in words, naming who sent it ("502 Twilio sent a web page where JSON
was expected"); 502 because the fault is the answer's, and such an error is retryable.
"""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

import httpx
from pydantic import ValidationError

from agent_desktop.adapters.wire.lone_surrogates import repaired
from agent_desktop.domain.errors import BackendError

MAX_BYTES = 16 * 1024 * 1024  # the largest page the desk reads (1,000 Twilio events) is a few MB
MAX_DEPTH = 32  # the deepest answer of any vendor here is 6 levels (a Twilio statistics row)
ANSWER_DEADLINE_FACTOR = 3  # the whole answer within this many read timeouts (a slow, steady one still arrives)


_NAME = re.compile(r"[A-Za-z_]{1,40}")  # a field's name as a model has it: a key sent by the vendor may be anything


class AnswerTooLarge(Exception):
    """An answer longer than `MAX_BYTES`, refused before it was read whole."""


async def send_bounded(client: httpx.AsyncClient, method: str, url: str, **kwargs: Any) -> httpx.Response:
    """`client.request`, but the answer is read at most `MAX_BYTES` long and within a deadline (a multiple of
    the client's read timeout); past the deadline it is `httpx.ReadTimeout`, as a silent server's would be;
    too long, `AnswerTooLarge`."""
    request = client.build_request(method, url, **kwargs)
    timeout = (
        request.extensions.get("timeout", {}).get("read") or client.timeout.read or 5.0
    )  # a write's own, if longer
    try:
        async with asyncio.timeout(timeout * ANSWER_DEADLINE_FACTOR):
            response = await client.send(request, stream=True)
            try:
                body = bytearray()
                async for chunk in response.aiter_bytes():
                    body += chunk
                    if len(body) > MAX_BYTES:
                        raise AnswerTooLarge
            finally:
                await response.aclose()
    except TimeoutError:
        raise httpx.ReadTimeout("the whole answer did not come in time", request=request) from None
    # The body as decoded (gzip undone): the headers that described its encoding on the wire no longer apply. The
    # others as the bytes they came as: decoded, a value that is not ASCII (`café`) could not be encoded again.
    headers = [(k, v) for k, v in response.headers.raw if k.lower() not in (b"content-encoding", b"content-length")]
    return httpx.Response(response.status_code, headers=headers, content=bytes(body), request=request)


def too_large(backend: str, vendor: str) -> BackendError:
    return BackendError(backend, f"502 {vendor} sent an answer over {MAX_BYTES // (1024 * 1024)} MB: not read", 502)


def answer_json(backend: str, response: httpx.Response, vendor: str | None = None) -> Any:
    """The answer's JSON, its lone surrogates repaired (lone_surrogates.py); a `BackendError` saying what is
    wrong where it is not UTF-8, not JSON, or nested too deep. `vendor`: who sent it, as the agent knows it."""
    who = vendor or f"the {backend}"
    content = response.content
    if len(content) > MAX_BYTES:
        raise too_large(backend, who)
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        raise BackendError(backend, f"502 {who} sent an answer that is not UTF-8 text", 502) from None
    try:
        value = json.loads(text)
    except RecursionError:
        raise _too_deep(backend, who) from None
    except ValueError:
        what = (
            "a web page"
            if text.lstrip()[:1] == "<"
            else "an answer that is not JSON"
            if text.strip()
            else "an empty answer"
        )
        raise BackendError(backend, f"502 {who} sent {what} where JSON was expected", 502) from None
    if depth(value) > MAX_DEPTH:
        raise _too_deep(backend, who)
    return repaired(value)


def json_object(backend: str, response: httpx.Response, vendor: str | None = None) -> dict[str, Any]:
    """`answer_json`, which must be an object (every resource and page of the vendors here is one)."""
    value = answer_json(backend, response, vendor)
    if not isinstance(value, dict):
        raise BackendError(
            backend, f"502 {vendor or f'the {backend}'} sent {kind_of(value)} where an object was expected", 502
        )
    return value


def unreadable(backend: str, vendor: str, what: str, error: ValidationError) -> BackendError:
    """An answer that is JSON but not the `what` it should be: the first wrong field by name and pydantic's
    words for it, never its value (it may be anything, a card number included)."""
    first = error.errors(include_input=False, include_url=False)[0]
    where = ".".join(
        str(part) if isinstance(part, int) or _NAME.fullmatch(str(part)) else "?" for part in first["loc"]
    )[:80]
    return BackendError(
        backend, f"502 {vendor} sent an answer the desk cannot read ({what}.{where}: {first['msg'][:80]})", 502
    )


def depth(value: Any) -> int:
    """How deeply lists and objects nest in `value` (0 for a scalar), without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        if level > MAX_DEPTH:
            return level  # no need to walk the rest
        stack.extend((child, level + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


def kind_of(value: Any) -> str:
    """A JSON value's kind in words ("a number", "an object"), never the value itself (it may be anything)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a text"
    if isinstance(value, list):
        return "a list"
    return "an object"


def _too_deep(backend: str, who: str) -> BackendError:
    return BackendError(backend, f"502 {who} sent JSON nested more than {MAX_DEPTH} levels deep", 502)
