"""The mock servers take booleans and numbers in request bodies as JSON booleans and numbers only:
`{"typing": "yes"}`, `"1"` or `1` for a boolean, `"30"` or `true` for a number get a precise 422 naming the
field, as a real API's strict schema would; a client that sends the wrong type finds out in tests.

Two ways: every boolean, integer and number property of every request body in each mock's OpenAPI is sent
with values of the wrong JSON type (so a field added later is covered): this is the check that catches a lax
type. And schemathesis in negative mode checks that invalid bodies are refused (`negative_data_rejection`).
Its coverage phase alone did not catch the lax booleans (its wrong-type values are ones pydantic's lax mode
refuses too); adding its fuzzing phase did (3 failures on the lax schemas) but takes about 4 minutes, so it
runs the coverage phase only, for what else an invalid body can be (ranges, lengths, missing fields).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import negative_data_rejection
from schemathesis.specs.openapi.schemas import OpenApiSchema

from agent_desktop_mocks.ccaas.api.app import create_app as create_ccaas
from agent_desktop_mocks.ccaas.settings import (
    DEMO_AGENT_TOKEN,
    DEMO_CRM_SUPERVISOR_TOKEN,
    DEMO_CRM_TOKEN,
    DEMO_SUPERVISOR_TOKEN,
    MockSettings,
)
from agent_desktop_mocks.common.runner import serve_in_thread
from agent_desktop_mocks.crm.app import create_app as create_crm
from agent_desktop_mocks.presence.app import create_app as create_presence
from tests.support.hostile_json import SCHEMA_READ_S
from tests.support.hypothesis_profiles import examples
from tests.support.scratch import scratch_folder

WRONG = {
    "boolean": ["yes", "true", "1", 1, 0, "on", None],
    "integer": ["1", 1.0, True, "thirty"],
    "number": ["1.5", True],
}
TOKENS = {
    "ccaas": [DEMO_SUPERVISOR_TOKEN, DEMO_AGENT_TOKEN],
    "crm": [DEMO_CRM_TOKEN, DEMO_CRM_SUPERVISOR_TOKEN],  # the supervisor's: its records (supervision, evaluations)
    "presence": ["demo-presence-token"],
}
FACTORIES = {"ccaas": create_ccaas, "crm": create_crm, "presence": create_presence}


def _app(kind: str) -> FastAPI:
    data = scratch_folder(f"strict-{kind}-")
    return FACTORIES[kind](MockSettings(data_dir=data, seed=5, customers=20, simulator=False, fresh=True))


def typed_fields(spec: dict[str, Any]) -> Iterator[tuple[str, str, tuple[Any, ...], str, bool]]:
    """(method, path, where in the body, JSON type, nullable) of every boolean, integer and number in a request body."""
    parts = spec["components"]["schemas"]

    def walk(
        schema: dict[str, Any], where: tuple[Any, ...], seen: frozenset[str], nullable: bool = False
    ) -> Iterator[tuple[tuple[Any, ...], str, bool]]:
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            if name not in seen:
                yield from walk(parts[name], where, seen | {name}, nullable)
            return
        arms = schema.get("anyOf", []) + schema.get("oneOf", []) + schema.get("allOf", [])
        nullable = nullable or any(arm.get("type") == "null" for arm in arms)
        for arm in arms:
            yield from walk(arm, where, seen, nullable)
        if schema.get("type") in WRONG:
            yield where, schema["type"], nullable
        for name, sub in schema.get("properties", {}).items():
            yield from walk(sub, (*where, name), seen)
        if isinstance(schema.get("items"), dict):
            yield from walk(schema["items"], (*where, 0), seen)
        if isinstance(schema.get("additionalProperties"), dict):
            yield from walk(schema["additionalProperties"], (*where, "chat"), seen)  # a key every map here takes

    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                for where, kind, nullable in walk(body["schema"], (), frozenset()):
                    yield method.upper(), path, where, kind, nullable


def _body(where: tuple[Any, ...], value: Any) -> Any:
    if not where:
        return value
    head, rest = where[0], where[1:]
    return [_body(rest, value)] if isinstance(head, int) else {head: _body(rest, value)}


def _send(client: TestClient, kind: str, method: str, path: str, body: Any) -> httpx.Response:
    url = path.replace("{", "x").replace("}", "")  # any id: the body is refused before it is looked up
    for token in TOKENS[kind]:
        response: httpx.Response = client.request(method, url, json=body, headers={"Authorization": f"Bearer {token}"})
        if response.status_code not in (401, 403):
            return response
    return response


@pytest.mark.parametrize("kind", list(FACTORIES))
def test_every_boolean_and_number_in_a_request_body_refuses_the_wrong_json_type(kind: str) -> None:
    app = _app(kind)
    fields = list(typed_fields(app.openapi()))
    if kind == "presence":
        assert fields == [], "the presence mock's bodies hold strings only; new typed fields are checked here"
    with TestClient(app) as client:
        accepted = []
        for method, path, where, json_type, nullable in fields:
            for value in WRONG[json_type]:
                if value is None and nullable:
                    continue
                response = _send(client, kind, method, path, _body(where, value))
                errors = response.json().get("detail", []) if response.status_code == 422 else []
                if not any(tuple(e.get("loc", ())) == ("body", *where) and e["type"].endswith("_type") for e in errors):
                    accepted.append(f"{method} {path} {'.'.join(map(str, where))}={value!r}: {response.status_code}")
    assert not accepted, "\n".join(accepted)


def test_typing_yes_is_refused_and_true_is_taken() -> None:
    app = _app("ccaas")
    agent = {"Authorization": f"Bearer {DEMO_AGENT_TOKEN}"}
    with TestClient(app) as client:
        for value in ("yes", "true", 1, "1"):
            refused = client.post("/v1/contacts/c-000001/typing", json={"typing": value}, headers=agent)
            assert refused.status_code == 422, (value, refused.text)
            assert refused.json()["detail"][0]["msg"] == "Input should be a valid boolean"
        # the right type gets past validation (the contact is not this agent's: a 404, not a 422)
        assert client.post("/v1/contacts/c-000001/typing", json={"typing": True}, headers=agent).status_code != 422


def _only_invalid_data(loaded: OpenApiSchema) -> OpenApiSchema:
    """Only invalid data (schemathesis' coverage phase in negative mode: wrong JSON types, values out of range,
    missing required fields...). Which operations: `_takes_a_body`, set on the lazy schema."""
    loaded.config.generation.update(modes=[GenerationMode.NEGATIVE])
    loaded.config.phases.update(phases=["coverage"])
    rejection = loaded.config.checks.negative_data_rejection
    rejection.expected_statuses = [*rejection.expected_statuses, "413"]  # a body over the size limit is refused too
    return loaded


def _takes_a_body(context: Any) -> bool:
    return "requestBody" in context.operation.definition.raw  # `operation.body` is filled only later


@pytest.fixture(scope="module")
def ccaas_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings_ = MockSettings(
        data_dir=tmp_path_factory.mktemp("strict"), seed=3, customers=30, simulator=False, fresh=True
    )
    running = serve_in_thread([create_ccaas(settings_)])  # a real server: its lifespan holds the database open
    try:
        yield running.urls[0]
    finally:
        running.stop()


@pytest.fixture(scope="module")
def ccaas_negative(ccaas_server: str) -> OpenApiSchema:
    return _only_invalid_data(schemathesis.openapi.from_url(f"{ccaas_server}/openapi.json", timeout=SCHEMA_READ_S))


@pytest.fixture(scope="module")
def crm_negative() -> OpenApiSchema:
    """Built by the worker that runs the test, not at collection (the seeded CRM, the coverage cases)."""
    return _only_invalid_data(schemathesis.openapi.from_asgi("/openapi.json", _app("crm")))


NEGATIVE = settings(max_examples=examples(30), deadline=None, suppress_health_check=list(HealthCheck))
# Filters go on the lazy schema: those set on the fixture's own do not reach it. The operations that take a
# body; the test-only fault switch is left out.
ccaas_schema = schemathesis.pytest.from_fixture("ccaas_negative").include(_takes_a_body)
crm_schema = schemathesis.pytest.from_fixture("crm_negative").include(_takes_a_body).exclude(path_regex="^/v1/admin")


@ccaas_schema.parametrize()
@NEGATIVE
def test_the_contact_center_refuses_invalid_bodies(case: schemathesis.Case[Any], ccaas_server: str) -> None:
    response = case.call(
        base_url=ccaas_server, headers={"Authorization": f"Bearer {DEMO_SUPERVISOR_TOKEN}"}, timeout=10
    )
    if response.status_code in (401, 403):  # an agent's operation
        response = case.call(base_url=ccaas_server, headers={"Authorization": f"Bearer {DEMO_AGENT_TOKEN}"}, timeout=10)
    case.validate_response(response, checks=[negative_data_rejection])


@crm_schema.parametrize()
@NEGATIVE
def test_the_crm_refuses_invalid_bodies(case: schemathesis.Case[Any]) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {DEMO_CRM_TOKEN}"}, checks=[negative_data_rejection])
