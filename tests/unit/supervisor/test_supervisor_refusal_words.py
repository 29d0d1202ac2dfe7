"""A backend's refusal shown to a supervisor never starts with a bare HTTP status."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.formats.opaque_ids import without_addresses
from agent_desktop.supervisor_desk.refusals import refusal_words

RAW = re.compile(r"^\s*\d{3}\b")


@given(status=st.one_of(st.none(), st.integers(100, 599)), detail=st.text(max_size=40), numbered=st.booleans())
def test_no_refusal_reads_as_a_status_code(status: int | None, detail: str, numbered: bool) -> None:
    message = f"{status} {detail}" if numbered and status is not None else detail
    words = refusal_words(BackendError("contact center", message, status))
    assert words, words
    assert not RAW.match(words), words
    # the backend's own detail is kept (after a status, without the separators that follow it: "409: busy"), but
    # never an API path or an id ("/v0/" is one)
    kept = re.sub(r"^[\s:—-]*", "", detail) if numbered and status is not None else detail
    kept = without_addresses(kept).strip()
    if kept and status not in (429,) and not RAW.match(detail):
        assert kept in words


def test_the_mock_refusal_of_a_busy_agent_in_words() -> None:
    error = BackendError("contact center", "409 agent has a contact in hand (request a next state instead)", 409)
    assert refusal_words(error) == "Not possible now: agent has a contact in hand (request a next state instead)"


def test_the_mock_refusal_of_a_whisper_before_joining_names_no_api_path() -> None:
    # Once, "PUT /v1/contacts/{id}/monitoring" reached the screen.
    error = BackendError("contact center", "409 join the contact first (PUT /v1/contacts/{id}/monitoring)", 409)
    assert refusal_words(error) == "Not possible now: join the contact first"
