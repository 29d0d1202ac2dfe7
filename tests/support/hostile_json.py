"""A schemathesis hook that puts text no API should store into generated JSON bodies.

schemathesis generates strings from a codec (UTF-8 by default), so it never produces a lone UTF-16
surrogate, which is legal in JSON (`"\\udc80"`) and made two mocks answer 500. `with_hostile_strings`
makes about half of the generated bodies carry one (or a NUL) in one of their strings or keys.
"""

from __future__ import annotations

from typing import Any, TypeVar

from hypothesis import strategies as st
from schemathesis.schemas import BaseSchema

HOSTILE = ("\udc80", "\ud800", "x\udfffx", "\x00", "Evil\x00Corp")


def _string_paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Where the strings are: a path of keys and indexes, ending in ("key", k) for a key itself."""
    if isinstance(value, str):
        return [path]
    if isinstance(value, list):
        return [p for index, item in enumerate(value) for p in _string_paths(item, (*path, index))]
    if isinstance(value, dict):
        found = []
        for key, item in value.items():
            found.append((*path, ("key", key)))
            found.extend(_string_paths(item, (*path, key)))
        return found
    return []


def _spoil(value: Any, path: tuple[Any, ...], bad: str) -> Any:
    if not path:
        return value + bad if isinstance(value, str) else value
    step, rest = path[0], path[1:]
    if isinstance(step, tuple):  # a key of this dict
        key = step[1]
        return {(k + bad if k == key else k): v for k, v in value.items()}
    if isinstance(value, list):
        return [(_spoil(item, rest, bad) if index == step else item) for index, item in enumerate(value)]
    return {k: (_spoil(v, rest, bad) if k == step else v) for k, v in value.items()}


def flatmap_body(context: Any, body: Any) -> st.SearchStrategy:
    paths = _string_paths(body)
    if not paths:
        return st.just(body)
    spoiled = st.tuples(st.sampled_from(paths), st.sampled_from(HOSTILE)).map(
        lambda chosen: _spoil(body, chosen[0], chosen[1])
    )
    return st.one_of(st.just(body), spoiled)


Schema = TypeVar("Schema", bound=BaseSchema)


def with_hostile_strings(schema: Schema) -> Schema:
    """Register the hook on this schema only (not globally); returns the schema."""

    def spoil_some_bodies(context: Any, body: Any) -> st.SearchStrategy:
        return flatmap_body(context, body)

    schema.hook("flatmap_body")(spoil_some_bodies)
    return schema


# How long a schemathesis test waits for a mock's `/openapi.json`: FastAPI builds it on the first read, which took
# over 10 s (schemathesis' default) with eight workers on two cores once the contact center's API grew.
SCHEMA_READ_S = 60
