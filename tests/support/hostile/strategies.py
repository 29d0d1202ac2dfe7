"""Hypothesis strategies of what to do to one answer (`spoiling`) and to every answer of a call (`storm`).

Each is a small frozen dataclass, so a failing example prints what was done where; each strategy shrinks
towards doing nothing, so a failure shrinks to the fewest spoiled answers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx
from hypothesis import strategies as st

from tests.support.hostile import mutations as m


@dataclass(frozen=True)
class Field:
    """One place in the JSON answer (a field, an item, the root) replaced by a hostile value."""

    path: tuple[Any, ...]
    value: Any

    def __repr__(self) -> str:  # the long values would hide the rest of a failing example
        shown = repr(self.value)
        return f"Field({self.path!r}, {shown[:60] + '…' if len(shown) > 60 else shown})"


@dataclass(frozen=True)
class Drop:
    path: tuple[Any, ...]


@dataclass(frozen=True)
class Body:
    """The whole body replaced: `html`, `empty`, `truncated`, `bad_utf8`, `nested`, `huge`, `list`, `text`."""

    kind: str


@dataclass(frozen=True)
class Status:
    code: int
    retry_after: str | None = None
    keep_body: bool = True


@dataclass(frozen=True)
class Link:
    """Every next-page link to `to`: `self` (the page itself: a loop) or a foreign host."""

    to: str


@dataclass(frozen=True)
class Cut:
    """The connection fails: `refused`, `reset` (closed mid-answer), `read` (a read error)."""

    how: str


BODIES = ("html", "empty", "truncated", "bad_utf8", "nested", "huge", "list", "text", "null")
STATUSES = (
    Status(429),
    Status(429, "0"),
    Status(429, "1"),
    Status(429, "99999"),
    Status(429, "inf"),
    Status(429, "nan"),
    Status(429, "soon"),
    Status(500),
    Status(502, keep_body=False),
    Status(503, "2"),
    Status(401),
    Status(403),
    Status(404),
    Status(409),
    Status(412),
    Status(200, keep_body=False),
    Status(204, keep_body=False),
    Status(302, keep_body=False),
    Status(418),
)
SLOW = (m.Slow(0.5), m.Slow(4.9), m.Slow(6.0), m.Slow(30.0), m.Slow(3600.0))


def parsed(response: httpx.Response) -> Any:
    try:
        return json.loads(response.content)
    except ValueError:
        return None


def spoiling(response: httpx.Response) -> st.SearchStrategy[Any]:
    """What to do to this answer: most often nothing (None)."""
    value = parsed(response)
    kinds = [
        st.sampled_from(BODIES).map(Body),
        st.sampled_from(STATUSES),
        st.sampled_from(SLOW),
        st.sampled_from(("refused", "reset", "read")).map(Cut),
        st.sampled_from(("self", m.FOREIGN)).map(Link),
    ]
    if value is not None:
        places = m.paths(value)
        kinds = [
            st.builds(Field, st.sampled_from(places), st.sampled_from(m.HOSTILE_VALUES)),
            st.builds(Field, st.sampled_from(places), st.sampled_from(m.HOSTILE_VALUES)),  # the likeliest: twice
            *([st.sampled_from([p for p in places if p]).map(Drop)] if len(places) > 1 else []),
            *kinds,
        ]
    return st.integers(0, 2).flatmap(lambda n: st.one_of(kinds) if n == 2 else st.none())


def storm() -> st.SearchStrategy[Any]:
    """Something done to every answer of a call (a rate-limit storm, a maintenance page, a slow server), or None."""
    return st.one_of(
        st.none(),
        st.sampled_from((Status(429), Status(429, "1"), Body("html"), Status(503), m.Slow(30.0), Cut("refused"))),
    )
