"""schemathesis over the mock CRM's OpenAPI: whatever a client sends, the CRM never answers 5xx.

The test-only fault switch (`/v1/admin/faults`) is left out: its whole job is to make 5xx. About half
of the bodies carry a lone surrogate or a NUL (tests/support/hostile_json.py).
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.schemas import OpenApiSchema

from agent_desktop_mocks.ccaas.settings import DEMO_CRM_TOKEN, MockSettings
from agent_desktop_mocks.crm.app import create_app
from tests.support.hostile_json import with_hostile_strings
from tests.support.hypothesis_profiles import examples


@pytest.fixture(scope="module")
def crm_schema(tmp_path_factory: pytest.TempPathFactory) -> OpenApiSchema:
    """Built by the worker that runs the test, not at collection: the seeded CRM and schemathesis' coverage
    cases then cost only that worker."""
    app = create_app(
        MockSettings(data_dir=tmp_path_factory.mktemp("crm-openapi"), seed=5, customers=50, simulator=False, fresh=True)
    )
    return with_hostile_strings(schemathesis.openapi.from_asgi("/openapi.json", app))


# Filters go on the lazy schema: those set on the fixture's own do not reach it.
schema = schemathesis.pytest.from_fixture("crm_schema").exclude(path_regex="^/v1/admin")


@schema.parametrize()
@settings(max_examples=examples(40), deadline=None, suppress_health_check=list(HealthCheck))
def test_the_crm_never_answers_a_server_error(case: schemathesis.Case[Any]) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {DEMO_CRM_TOKEN}"}, checks=[not_a_server_error])
