"""schemathesis over the presence server's OpenAPI, on a real server: no request makes it answer 5xx.

About half of the bodies carry a lone surrogate or a NUL (tests/support/hostile_json.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.schemas import OpenApiSchema

from agent_desktop_mocks.ccaas.settings import DEMO_PRESENCE_TOKEN, MockSettings
from agent_desktop_mocks.common.runner import serve_in_thread
from agent_desktop_mocks.presence.app import create_app
from tests.support.hostile_json import SCHEMA_READ_S, with_hostile_strings
from tests.support.hypothesis_profiles import examples

AUTH = {"Authorization": f"Bearer {DEMO_PRESENCE_TOKEN}"}


@pytest.fixture(scope="module")
def presence_schema(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OpenApiSchema]:
    data_dir = tmp_path_factory.mktemp("presence-openapi")
    app = create_app(MockSettings(data_dir=data_dir, seed=3, experts=20, simulator=False, fresh=True))
    running = serve_in_thread([app])
    try:
        yield with_hostile_strings(
            schemathesis.openapi.from_url(f"{running.urls[0]}/openapi.json", timeout=SCHEMA_READ_S)
        )
    finally:
        running.stop()


# The event stream never ends by design (it has its own tests in tests/mocks/).
schema = schemathesis.pytest.from_fixture("presence_schema").exclude(path="/v1/presence/events")


@schema.parametrize()
@settings(max_examples=examples(40), deadline=None, suppress_health_check=list(HealthCheck))
def test_no_request_is_a_server_error(case: schemathesis.Case[Any]) -> None:
    response = case.call(headers=AUTH, timeout=10)
    assert response.status_code < 500, f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text}"
