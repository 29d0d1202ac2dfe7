"""schemathesis over the CCaaS OpenAPI: no request, however odd, gets a server error.

A real server on loopback (no simulator), once with an agent's token and once with a supervisor's;
about half of the bodies carry a lone surrogate or a NUL (tests/support/hostile_json.py).
The event streams are left out: they never end, so a fuzzer cannot wait for their answer.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.schemas import OpenApiSchema

from agent_desktop_mocks.ccaas.api.app import create_app
from agent_desktop_mocks.ccaas.settings import DEMO_AGENT_TOKEN, DEMO_SUPERVISOR_TOKEN, MockSettings
from agent_desktop_mocks.common.runner import serve_in_thread
from tests.support.crm_recipients import crm_recipients
from tests.support.hostile_json import SCHEMA_READ_S, with_hostile_strings
from tests.support.hypothesis_profiles import examples
from tests.support.seeded_crm import create_crm


@pytest.fixture(scope="module")
def ccaas_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings_ = MockSettings(
        data_dir=tmp_path_factory.mktemp("schemathesis"), seed=3, customers=30, simulator=False, fresh=True
    )
    app = create_app(settings_)
    app.state.recipients = crm_recipients(create_crm(settings_))  # follow-ups' consent from a CRM, as `mocks` wires it
    running = serve_in_thread([app])
    try:
        yield running.urls[0]
    finally:
        running.stop()


@pytest.fixture(scope="module")
def ccaas_schema(ccaas_server: str) -> OpenApiSchema:
    loaded = schemathesis.openapi.from_url(f"{ccaas_server}/openapi.json", timeout=SCHEMA_READ_S)
    loaded.config.phases.update(phases=["examples", "coverage", "fuzzing"])
    return with_hostile_strings(loaded)


schema = schemathesis.pytest.from_fixture("ccaas_schema").exclude(path_regex=r"/events$")
FUZZ = settings(max_examples=examples(15), deadline=None, suppress_health_check=list(HealthCheck))


@schema.parametrize()
@FUZZ
def test_no_server_error_for_an_agent_or_a_supervisor(case: schemathesis.Case[Any], ccaas_server: str) -> None:
    """Each case is sent with both tokens: what is generated (most of the test's time) serves both roles."""
    for role, token in (("agent", DEMO_AGENT_TOKEN), ("supervisor", DEMO_SUPERVISOR_TOKEN)):
        response = case.call(base_url=ccaas_server, headers={"Authorization": f"Bearer {token}"}, timeout=10)
        assert response.status_code < 500, (role, case.method, case.formatted_path, response.text[:500])
