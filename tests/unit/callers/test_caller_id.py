"""Withheld caller IDs are recognised in the forms carriers and SIP send them."""

from __future__ import annotations

import pytest

from agent_desktop.domain.calls.caller_id import is_withheld


@pytest.mark.parametrize(
    "address",
    [
        "anonymous",
        "Anonymous",
        " WITHHELD ",
        "private",
        "unknown",
        "",
        None,
        "restricted",
        "sip:anonymous@anonymous.invalid",
        "<anonymous>",
        "tel:private",
    ],
)
def test_withheld(address: str | None) -> None:
    assert is_withheld(address)


@pytest.mark.parametrize(
    "address", ["+14155550101", "(415) 555-0101", "anonymous@example.com", "ann@example.com", "unknown caller ltd"]
)
def test_not_withheld(address: str) -> None:
    assert not is_withheld(address)
