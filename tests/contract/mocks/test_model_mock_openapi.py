"""schemathesis over the mock model server's OpenAPI, on a real server: no request makes it answer 5xx (its
failure rate at 0), and every refusal is OpenAI's error shape. About half of the bodies carry a lone surrogate or a
NUL (tests/support/hostile_json.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.schemas import OpenApiSchema

from agent_desktop_mocks.common.runner import serve_in_thread
from agent_desktop_mocks.model.app import create_app
from agent_desktop_mocks.model.settings import DEMO_MODEL_KEY, ModelMockSettings
from tests.support.hostile_json import SCHEMA_READ_S, with_hostile_strings
from tests.support.hypothesis_profiles import examples

AUTH = {"Authorization": f"Bearer {DEMO_MODEL_KEY}"}


@pytest.fixture(scope="module")
def model_schema() -> Iterator[OpenApiSchema]:
    running = serve_in_thread([create_app(ModelMockSettings(api_key=DEMO_MODEL_KEY))])
    try:
        yield with_hostile_strings(
            schemathesis.openapi.from_url(f"{running.urls[0]}/openapi.json", timeout=SCHEMA_READ_S)
        )
    finally:
        running.stop()


schema = schemathesis.pytest.from_fixture("model_schema")


@schema.parametrize()
@settings(max_examples=examples(60), deadline=None, suppress_health_check=list(HealthCheck))
def test_no_request_is_a_server_error_and_every_refusal_is_openais_shape(case: schemathesis.Case[Any]) -> None:
    response = case.call(headers=AUTH, timeout=10)
    assert response.status_code < 500, f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text}"
    if response.status_code >= 400 and case.path.startswith("/v1"):
        error = response.json()["error"]
        assert set(error) == {"message", "type", "param", "code"}, response.text
