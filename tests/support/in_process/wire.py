"""The mock's answers as the desktop's models, through the JSON the HTTP API would have sent.

Going through `model_dump(mode="json")` and `model_validate` rather than copying attributes is what
makes every in-process call a contract check as well: a field or enum value the two sides disagree on
fails here as it would fail in the HTTP client.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter
from starlette.responses import Response

T = TypeVar("T")


def as_json(answer: BaseModel | Sequence[BaseModel] | Response) -> Any:
    """What the HTTP API would have put in the body (a route that builds its own response keeps its body)."""
    if isinstance(answer, Response):
        return json.loads(bytes(answer.body))
    if isinstance(answer, BaseModel):
        return answer.model_dump(mode="json")
    return [item.model_dump(mode="json") for item in answer]


_ADAPTERS: dict[object, TypeAdapter[Any]] = {}


def adapter(model_type: type[T]) -> TypeAdapter[T]:
    """One adapter a type: building one generates its validator afresh (30 ms for a CRM record: 60 ms of each
    offer shown on the in-process desk went there)."""
    known = _ADAPTERS.get(model_type)
    if known is None:
        known = _ADAPTERS[model_type] = TypeAdapter(model_type)
    return known


def to_desktop(desktop_type: type[T], answer: BaseModel | Sequence[BaseModel] | Response) -> T:
    """`answer` (a mock schema, a list of them, or a route's JSON response) read as the desktop reads it."""
    return adapter(desktop_type).validate_python(as_json(answer))


def to_mock(mock_type: type[T], request: BaseModel | dict[str, Any]) -> T:
    """A desktop request body read as the mock's route would read it (refusals raise ValidationError)."""
    body = request.model_dump(mode="json") if isinstance(request, BaseModel) else request
    return adapter(mock_type).validate_python(body)
