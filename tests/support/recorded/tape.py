"""The form of a recording: one JSON object per line, in the order things happened to the desk.

The first line says what was recorded (the scene, its seed and frozen time) and the backends' plain
attributes (`agent_id`, the CRM's `limits`). Each further line is one of:

- `{"call": "crm.lookup", "id": 7, "args": {...}}`: a backend call the desk made, when it made it, and
  `{"answer": 7, "of": "crm.lookup", "result": ...}` when its answer came (`"error": {...}` for a refusal; a
  call the app closed before it was answered has no answer line);
- `{"event": "contact_center", "item": ...}` or `{..., "link": ...}`: an item of a backend's stream, when the
  desk took it (a `LinkStatus` is a `link`);
- `{"outside": "place_call", "args": {...}, "result": ...}`: something the scene did outside the desk (a
  customer calling in), which the desk only sees through the events that follow it.

Arguments and answers are the desktop's own models in their JSON form (pydantic; fields at their default left
out), read back with the type the protocol declares, so a recording is only as old as the models it still
validates against (tests/unit/looks/test_scene_recordings.py reads every line).
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import types
import typing
from collections.abc import Mapping
from typing import Any

from pydantic import TypeAdapter
from pydantic_core import to_jsonable_python

from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.streams.link_status import LinkStatus

# Fresh for every call by design (a retry must reuse it, a new write must not): never the same twice,
# so it is neither recorded nor compared.
UNCOMPARED_ARGS = frozenset({"idempotency_key"})


def methods(protocol: type) -> dict[str, inspect.Signature]:
    """The protocol's async methods (what a desk calls and awaits), with their signatures."""
    found = {}
    for name, member in vars(protocol).items():
        if not name.startswith("_") and inspect.iscoroutinefunction(member) and name != "aclose":
            found[name] = inspect.signature(member)
    return found


def attributes(protocol: type) -> list[str]:
    """The protocol's plain attributes (`agent_id`, `limits`)."""
    return [name for name in vars(protocol).get("__annotations__", {}) if not name.startswith("_")]


@functools.cache
def _hints(protocol: type, name: str) -> dict[str, Any]:
    member = protocol if name == "" else getattr(protocol, name)
    module = inspect.getmodule(protocol)
    return typing.get_type_hints(member, globalns=vars(module) if module else None)


@functools.cache
def result_adapter(protocol: type, method: str) -> TypeAdapter[Any]:
    return TypeAdapter(_hints(protocol, method).get("return", type(None)))


@functools.cache
def attribute_adapter(protocol: type, name: str) -> TypeAdapter[Any]:
    return TypeAdapter(_hints(protocol, "")[name])


@functools.cache
def event_adapter(protocol: type) -> TypeAdapter[Any]:
    """What `events()` yields, `LinkStatus` left out (a line says `link` for those)."""
    (item,) = typing.get_args(_hints(protocol, "events")["return"])
    kinds = tuple(kind for kind in _flatten(item) if kind is not LinkStatus)
    return TypeAdapter(functools.reduce(lambda a, b: a | b, kinds) if len(kinds) > 1 else kinds[0])


def _flatten(kind: Any) -> list[Any]:
    if typing.get_origin(kind) in (typing.Union, types.UnionType):
        return [leaf for arg in typing.get_args(kind) for leaf in _flatten(arg)]
    return [kind]


def dump_attribute(value: Any) -> Any:
    """A backend's plain attribute (its `capabilities`, the CRM's `limits`) in JSON form: dataclasses field by
    field, mappings as objects, sets sorted (a set's order changes from run to run), enums by value."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: dump_attribute(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(to_jsonable_python(key)): dump_attribute(item) for key, item in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted(dump_attribute(item) for item in value)
    if isinstance(value, (list, tuple)):
        return [dump_attribute(item) for item in value]
    return to_jsonable_python(value)


def call_args(signature: inspect.Signature, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    """A call's arguments by name, defaults filled in, in their JSON form (what a recording compares)."""
    bound = signature.bind(None, *args, **kwargs)
    bound.apply_defaults()
    return {
        name: to_jsonable_python(value)
        for name, value in list(bound.arguments.items())[1:]
        if name not in UNCOMPARED_ARGS
    }


# Fields left at their default are not written (they read back the same): a recording says what the backend
# said, not the model's every empty field.
def dump_result(protocol: type, method: str, value: Any) -> Any:
    return result_adapter(protocol, method).dump_python(value, mode="json", exclude_defaults=True)


def load_result(protocol: type, method: str, data: Any) -> Any:
    return result_adapter(protocol, method).validate_python(data)


def dump_error(error: BackendError) -> dict[str, Any]:
    return {"backend": error.backend, "message": error.message, "status": error.status, "state": error.state}


def load_error(data: dict[str, Any]) -> BackendError:
    return BackendError(data["backend"], data["message"], data.get("status"), data.get("state"))


def dump_event(protocol: type, item: object) -> dict[str, Any]:
    if isinstance(item, LinkStatus):
        return {"link": to_jsonable_python(item)}
    data = event_adapter(protocol).dump_python(item, mode="json", exclude_defaults=True)
    # The union's tag, a default too: every kind of event has one (`object`: the stream's items, of any kind).
    tag = getattr(item, "type")  # noqa: B009
    return {"item": {"type": tag, **data}}


def load_event(protocol: type, line: dict[str, Any]) -> object:
    if "link" in line:
        return LinkStatus(**line["link"])
    return event_adapter(protocol).validate_python(line["item"])
