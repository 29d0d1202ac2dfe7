"""A contact center's refusal on the agent's screen is in the agent's words, with what to do next:
a new agent read "End contact: 409 contact is after_contact_work", "PUT /v1/contacts/{id}/monitoring" and a Twilio
Worker SID. Whatever the backend's text (hostile included), the notice carries no status, method, path or SID, and
none of the backend's own text (it goes to the desk's log), so none of it can become markup."""

from __future__ import annotations

import logging
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agent_desktop.agent_desk import refusals
from agent_desktop.agent_desk.refusals import input_refusal_words, logged_refusal, refusal_words
from agent_desktop.domain.errors import BackendError

STATES = (
    "after_contact_work",
    "completed",
    "abandoned",
    "queued",
    "offered",
    "on_hold",
    "connected",
    "expired",
    "cancelled",
    "accepted",
    "rejected",
    "closed",
    "not_in_hand",
    "busy",
)
STATUSES = (400, 401, 403, 404, 409, 413, 422, 429, 500, 501, 502, 503, 504)
HOSTILE = st.sampled_from(
    (
        "contact is after_contact_work",
        "join the contact first (PUT /v1/contacts/{id}/monitoring)",
        "worker WK0123456789abcdef0123456789abcdef is busy",
        "[@click=app.quit]quit[/]",
        "[b]bold[/b] [link=http://x]x[/link]",
        "agent has a pending offer",
        "agent has a contact in hand (request a next state instead)",
        "POST /v1/contacts/c-000001/end 409",
        "\x1b[31mred\x1b[0m",
        "",
    )
)
DETAIL = st.one_of(HOSTILE, st.text(max_size=60), st.builds(" ".join, st.lists(HOSTILE | st.text(max_size=12))))
DESK_SENTENCES = {
    *refusals.STATE_WORDS.values(),
    *(words for _, words in refusals.PHRASE_WORDS),
    *(words.format(backend="contact center") for words in refusals.STATUS_WORDS.values()),
    refusals.FAILED.format(backend="contact center"),
    refusals.REFUSED.format(backend="contact center"),
}
RAW = re.compile(r"\d{3}|\b(GET|PUT|POST|PATCH|DELETE)\b|/v\d+/|\b[A-Z]{2}[0-9a-fA-F]{32}\b|\[|\x1b")


@given(
    status=st.one_of(st.sampled_from(STATUSES), st.integers(400, 599)),
    state=st.one_of(st.none(), st.sampled_from(STATES), st.text(max_size=20)),
    detail=DETAIL,
)
def test_a_refusal_is_in_words_of_the_desk_never_the_backends(status: int, state: str | None, detail: str) -> None:
    words = refusal_words(BackendError("contact center", f"{status} {detail}", status, state))
    assert words.strip(), "a refusal is always said"
    assert not RAW.search(words), f"a status, method, path, SID or markup reached the agent: {words!r}"
    assert words in DESK_SENTENCES, f"not one of the desk's own sentences (the backend's text reached it?): {words!r}"


@given(detail=DETAIL)
def test_the_desks_own_sentence_without_a_status_loses_any_path_or_sid(detail: str) -> None:
    message = f"cannot reach contact center (refused) {detail}"
    words = refusal_words(BackendError("contact center", message))
    assert not re.search(r"\b(GET|PUT|POST|PATCH|DELETE)\s+/|/v\d+/|\b[A-Z]{2}[0-9a-fA-F]{32}\b", words), words


@pytest.mark.parametrize(
    ("message", "status", "state", "said"),
    [
        (
            "409 contact is after_contact_work",
            409,
            "after_contact_work",
            "This contact is already in wrap-up: finish it with ctrl+s.",
        ),
        (
            "409 contact is completed",
            409,
            "completed",
            "This contact is already finished: there is nothing more to do on it.",
        ),
        (
            "409 agent has a pending offer",
            409,
            "available",
            "You have an offer waiting: accept it with a or reject it with r first.",
        ),
        (
            "404 contact c-000009 not found",
            404,
            None,
            "This is no longer at the contact center (it may have ended or moved): nothing more to do on it.",
        ),
        (
            "403 forbidden for this token",
            403,
            None,
            "Your sign-in may not do that at the contact center: ask your supervisor.",
        ),
        (
            "503 server error",
            503,
            None,
            "The contact center failed on its side: try again in a moment, and tell your supervisor if it goes on.",
        ),
    ],
)
def test_each_kind_of_refusal_says_what_to_do(message: str, status: int, state: str | None, said: str) -> None:
    assert refusal_words(BackendError("contact center", message, status, state)) == said


def test_a_rate_limit_says_how_long_to_wait() -> None:
    error = BackendError("contact center", "429 rate limited, retry after 30 s", 429, retry_after_s=30)
    assert refusal_words(error) == "The contact center asks the desk to slow down: try again in 30 s."


def test_the_backends_own_text_is_kept_in_the_desks_log(caplog: pytest.LogCaptureFixture) -> None:
    error = BackendError("contact center", "409 contact is after_contact_work", 409, "after_contact_work")
    with caplog.at_level(logging.WARNING, logger="agent_desktop.agent_desk.refusals"):
        said = logged_refusal(error, "End contact")
    assert "409" not in said
    assert "409 contact is after_contact_work" in caplog.text, "whoever reads the log still sees what was answered"


@given(status=st.sampled_from((400, 422)), detail=DETAIL)
def test_a_refused_entry_says_the_rule_it_broke_without_status_path_or_sid(status: int, detail: str) -> None:
    # A form's entry refused: the rule is what the agent corrects ("E.164: + then 8 to 15 digits"), after the desk's
    # own sentence; shown literally by the dialog and notices, as every backend text is.
    words = input_refusal_words(BackendError("contact center", f"{status} {detail}", status))
    lead = refusal_words(BackendError("contact center", f"{status} {detail}", status))
    assert words.startswith(lead), words
    assert not re.search(r"^\s*\d{3}\b|\b(GET|PUT|POST|PATCH|DELETE)\s+/|/v\d+/|\b[A-Z]{2}[0-9a-fA-F]{32}\b", words), (
        words
    )


def test_a_callers_number_refused_says_the_numbers_rule() -> None:
    error = BackendError("contact center", "422 number: E.164: + then 8 to 15 digits", 422)
    assert input_refusal_words(error) == (
        "The contact center did not accept that: check what you entered and try again."
        " (number: E.164: + then 8 to 15 digits)"
    )
