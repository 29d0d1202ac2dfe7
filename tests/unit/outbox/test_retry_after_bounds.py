"""A vendor's `Retry-After` is honoured up to a bound: `99999` held every write of the outbox for a
day, `inf` for good (the outbox paused until infinity, the wrap-up never sent); `nan` and words are not a wait."""

from __future__ import annotations

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from agent_desktop.adapters.wire.http_errors import retry_after_s
from agent_desktop.domain.errors import RETRY_AFTER_MAX_S


def _answer(value: str) -> httpx.Response:
    return httpx.Response(429, headers={"Retry-After": value})


@pytest.mark.parametrize(
    ("value", "wait"),
    [
        ("0", 0.0),
        ("1", 1.0),
        ("40", 40.0),
        ("-5", 0.0),
        ("99999", RETRY_AFTER_MAX_S),
        ("inf", RETRY_AFTER_MAX_S),
        ("1e400", RETRY_AFTER_MAX_S),
        ("nan", None),
        ("soon", None),
        ("", None),
    ],
)
def test_a_retry_after_is_a_bounded_wait_or_none(value: str, wait: float | None) -> None:
    assert retry_after_s(_answer(value)) == wait


@given(st.text(max_size=30).filter(lambda t: t.isprintable() and t.isascii()))
def test_any_retry_after_is_none_or_a_finite_wait_within_the_bound(value: str) -> None:
    wait = retry_after_s(_answer(value))
    assert wait is None or 0.0 <= wait <= RETRY_AFTER_MAX_S
