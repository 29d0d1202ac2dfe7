"""The remote control's protocol, version 1: one JSON object per line each way (docs/remote.md).

A request is `{"op": ..., "id": ...}` with the op's own fields; its answer carries the same `id` and `"ok"`: true with
what was asked, or false with `"error"` (words a person can act on). After `subscribe`, the desk also sends events,
`{"event": ...}`, until the connection closes. A line that is not a request is answered with an error and the
connection stays open; a line longer than MAX_LINE closes it."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

VERSION = 1
MAX_LINE = 64 * 1024  # bytes: a request is a few words; anything longer is not one
Id = int | str | None


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: Annotated[int | str | None, Field(default=None)] = None


class Hello(_Request):
    op: Literal["hello"]


class State(_Request):
    op: Literal["state"]


class Commands(_Request):
    op: Literal["commands"]


class Run(_Request):
    op: Literal["run"]
    command: str = Field(min_length=1, max_length=64, pattern=r"^[a-z_]+\.[a-z0-9_]+$")


class Press(_Request):
    op: Literal["press"]
    keys: list[Annotated[str, Field(min_length=1, max_length=32)]] = Field(min_length=1, max_length=200)


class Subscribe(_Request):
    op: Literal["subscribe"]


Request = Annotated[Hello | State | Commands | Run | Press | Subscribe, Field(discriminator="op")]
_REQUEST: TypeAdapter[Hello | State | Commands | Run | Press | Subscribe] = TypeAdapter(Request)
OPS = ("hello", "state", "commands", "run", "press", "subscribe")


class BadRequest(ValueError):
    """A line that is not a request of this protocol; `id` is the request's when it could be read."""

    def __init__(self, message: str, request_id: Id = None) -> None:
        super().__init__(message)
        self.request_id = request_id


def parse_request(line: bytes) -> Hello | State | Commands | Run | Press | Subscribe:
    """One line as a request, or BadRequest saying precisely what is wrong with it."""
    try:
        document = json.loads(line)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BadRequest(f"not JSON: {error}") from None
    if not isinstance(document, dict):
        raise BadRequest('a request is a JSON object, e.g. {"op": "state"}')
    request_id = document.get("id") if isinstance(document.get("id"), int | str) else None
    if document.get("op") not in OPS:
        raise BadRequest(f"unknown op {document.get('op')!r}: one of {', '.join(OPS)}", request_id)
    try:
        return _REQUEST.validate_python(document)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"][1:]) or "the request"
        raise BadRequest(f"{where}: {first['msg']}", request_id) from None


def encode(message: dict[str, Any]) -> bytes:
    """One message as its line (non-ASCII escaped: a line is plain ASCII whatever the terminal)."""
    return json.dumps(message, separators=(",", ":")).encode() + b"\n"


def answer(request_id: Id, **fields: Any) -> dict[str, Any]:
    return {"id": request_id, "ok": True, **fields}


def refusal(request_id: Id, error: str) -> dict[str, Any]:
    return {"id": request_id, "ok": False, "error": error}
