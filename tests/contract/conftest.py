"""Fixtures of the contract tier."""

from __future__ import annotations

import pytest
from openapi_core import OpenAPI

from tests.contract.twilio_contract import taskrouter


@pytest.fixture(scope="session")
def twilio_taskrouter() -> OpenAPI:
    """Twilio's TaskRouter spec at the pinned version: installed from npm (checked against the hash kept in
    scripts/twilio_spec.py) the first time, then loaded once per test process."""
    return taskrouter()
