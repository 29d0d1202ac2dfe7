"""Fixtures of the contract tier."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from openapi_core import OpenAPI

from tests.contract.twilio_contract import taskrouter
from tests.support.llama_server import LlamaServer, running_llama


@pytest.fixture(scope="session")
def twilio_taskrouter() -> OpenAPI:
    """Twilio's TaskRouter spec at the pinned version: installed from npm (checked against the hash kept in
    scripts/twilio_spec.py) the first time, then loaded once per test process."""
    return taskrouter()


@pytest.fixture(scope="session")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LlamaServer]:
    """llama.cpp's server with SmolLM2-135M-Instruct (the `real-model` extra), started once per test process and
    stopped after its last test (tests/support/llama_server.py)."""
    with running_llama(tmp_path_factory.mktemp("llama-server")) as server:
        yield server
