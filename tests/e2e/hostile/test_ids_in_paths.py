"""An id from a backend is one path segment, whatever it holds.

Ids come from the backends (a contact's, an offer's, a customer's, an expert's). Put into a URL as they
are, an id holding `/`, `?`, `#` or `..` would ask for another resource or run another action: with the
id `<contact>/end?x=`, "complete this contact" became `POST /v1/contacts/<contact>/end` and ended a live
call. Each id is now one percent-encoded segment, so such an id names no resource (404) and nothing else
happens.
"""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from agent_desktop.adapters.http.contact_center import HttpContactCenter
from agent_desktop.adapters.http.crm import HttpCrm
from agent_desktop.adapters.wire.url_path import api_path
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.models import AgentState, ContactState
from tests.contract.backends.test_routing_client import connected_contact
from tests.support.scenes.scenes import scene_servers


@pytest.mark.parametrize(
    ("value", "segment"),
    [
        ("c-1", "c-1"),
        ("a/b", "a%2Fb"),
        ("x?y=1#z", "x%3Fy%3D1%23z"),
        ("..", "%2E%2E"),
        (".", "%2E"),
        ("é ☎", "%C3%A9%20%E2%98%8E"),
    ],
)
def test_each_id_is_one_segment(value: str, segment: str) -> None:
    assert api_path("/v1/contacts/{}/end", value) == f"/v1/contacts/{segment}/end"


async def test_an_id_that_holds_a_path_runs_no_other_action(tmp_path: Path) -> None:
    with scene_servers(tmp_path, frozen=False, customers=20) as servers:
        cc = HttpContactCenter(servers.ccaas_url, "demo-agent-token", "agent-001")
        events = cc.events()
        try:
            await cc.set_state(AgentState.AVAILABLE)
            contact = await connected_contact(cc, events, servers)
            for hostile in (f"{contact.id}/end?x=", f"{contact.id}/end#", f"../contacts/{contact.id}/end"):
                with pytest.raises(BackendError) as refused:
                    await cc.complete_contact(hostile, "Resolved")
                assert refused.value.status == 404, hostile
            (still,) = [c for c in await cc.list_contacts() if c.id == contact.id]
            assert still.state is ContactState.CONNECTED  # the call was not ended by an id
        finally:
            assert inspect.isasyncgen(events)  # the client's stream, a generator to close
            await events.aclose()
            await cc.aclose()


async def test_a_customer_id_that_holds_a_path_reads_no_other_record(tmp_path: Path) -> None:
    with scene_servers(tmp_path, frozen=False, customers=20) as servers:
        crm = HttpCrm(servers.crm_url, "demo-crm-token")
        try:
            first = (await crm.search_customers("a"))[0]
            with pytest.raises(BackendError) as refused:  # was: the customer's interactions, read as a record
                await crm.customer_record(f"{first.id}/interactions?x=")
            assert refused.value.status == 404
        finally:
            await crm.aclose()
