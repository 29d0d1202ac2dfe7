"""The IVR over HTTP: menus per entry number, the CRM dip, self-service, attached data, priority from value.

Real CCaaS and CRM servers on loopback; the CCaaS's IVR looks callers up in the CRM.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from agent_desktop_mocks.ccaas.api.app import create_app as create_ccaas
from agent_desktop_mocks.ccaas.settings import DEMO_CRM_TOKEN, DEMO_SUPERVISOR_TOKEN, MockSettings
from agent_desktop_mocks.ccaas.tables.ivr import CrmDirectory, IvrOption, IvrRefused, demo_ivr, menu_leaves, walk
from agent_desktop_mocks.common.runner import serve_in_thread
from agent_desktop_mocks.crm.app import create_app as create_crm
from agent_desktop_mocks.demo_people import callers
from tests.contract.mocks.test_ccaas_api import client, events, go_available, next_matching, pending_offer

ENGLISH, SPANISH = "+18005550100", "+18005550199"


@pytest.fixture
def ivr(mock_settings: MockSettings) -> Iterator[tuple[httpx.Client, httpx.Client, MockSettings]]:
    ccaas = create_ccaas(mock_settings)
    running = serve_in_thread([ccaas, create_crm(mock_settings)])
    ccaas.state.directory = CrmDirectory(running.urls[1], DEMO_CRM_TOKEN)
    try:
        with (
            client(running.urls[0], DEMO_SUPERVISOR_TOKEN) as supervisor,
            httpx.Client(
                base_url=running.urls[1], headers={"Authorization": f"Bearer {DEMO_CRM_TOKEN}"}, timeout=5
            ) as crm,
        ):
            yield supervisor, crm, mock_settings
    finally:
        running.stop()


def customer_of(crm: httpx.Client, phone: str) -> dict[str, Any]:
    (customer,) = crm.get("/v1/customers/lookup", params={"phone": phone}).json()["customers"]
    found: dict[str, Any] = customer
    return found


def call(supervisor: httpx.Client, **body: Any) -> dict[str, Any]:
    response = supervisor.post("/v1/ivr/calls", json={"entry_number": ENGLISH, **body})
    assert response.status_code == 201, response.text
    answer: dict[str, Any] = response.json()
    return answer


def test_a_verified_caller_reaches_the_agent_with_what_the_ivr_collected(
    ivr: tuple[httpx.Client, httpx.Client, MockSettings],
) -> None:
    supervisor, crm, settings = ivr
    caller = callers(settings.seed, settings.customers)[3]
    customer = customer_of(crm, caller.phone_e164)
    go_available(supervisor, "agent-001")
    with events(supervisor, "/v1/agents/agent-001/events") as stream:
        outcome = call(
            supervisor, from_address=caller.phone_e164, keys=["1", "2"], account_number=customer["account_number"]
        )
        offer = next_matching(stream, "offer")
    assert outcome["outcome"] == "queued"
    assert outcome["queue_id"] == "billing"
    expected = {
        "account_number": customer["account_number"],
        "verified": True,
        "intent": "billing_inquiry",
        "menu_path": ["Billing", "A question about a bill"],
        "language": "en",
        "tier": customer["tier"],
        "vip": customer["tier"] == "Platinum",
    }
    assert outcome["attached"] == expected
    assert offer.json()["offer"]["contact"]["attached"] == expected  # on the offer the agent sees
    assert supervisor.get(f"/v1/contacts/{outcome['contact']['id']}").json()["attached"] == expected
    assert pending_offer(supervisor, "agent-001")["contact"]["id"] == outcome["contact"]["id"]


def test_an_account_typed_from_someone_elses_number_is_not_verified(
    ivr: tuple[httpx.Client, httpx.Client, MockSettings],
) -> None:
    supervisor, crm, settings = ivr
    people = callers(settings.seed, settings.customers)
    someone_else = customer_of(crm, people[5].phone_e164)
    outcome = call(
        supervisor, from_address=people[6].phone_e164, keys=["2"], account_number=someone_else["account_number"]
    )
    assert outcome["attached"]["account_number"] == someone_else["account_number"]
    assert outcome["attached"]["verified"] is False
    assert outcome["attached"]["menu_path"] == ["Technical support"]


def test_a_caller_who_types_nothing_is_identified_by_their_number_and_not_verified(
    ivr: tuple[httpx.Client, httpx.Client, MockSettings],
) -> None:
    supervisor, crm, settings = ivr
    caller = callers(settings.seed, settings.customers)[8]
    outcome = call(supervisor, from_address=caller.phone_e164, keys=["1", "1"], entry_number=SPANISH)
    attached = outcome["attached"]
    assert attached["account_number"] == customer_of(crm, caller.phone_e164)["account_number"]
    assert (attached["verified"], attached["language"], attached["intent"]) == (False, "es", "payment")


def test_sales_does_not_ask_who_you_are_and_an_unknown_caller_is_nobody(
    ivr: tuple[httpx.Client, httpx.Client, MockSettings],
) -> None:
    supervisor, _, _ = ivr
    sales = call(supervisor, from_address="+12125550100", keys=["3"])
    assert sales["attached"]["account_number"] is None
    assert sales["attached"]["intent"] == "sales"
    unknown = call(supervisor, from_address="+12125550042", keys=["1", "2"], account_number="ACC-00000000")
    assert (unknown["attached"]["account_number"], unknown["attached"]["verified"]) == ("ACC-00000000", False)
    assert unknown["attached"]["tier"] is None


def test_self_service_contains_the_caller_and_counts_per_queue(
    ivr: tuple[httpx.Client, httpx.Client, MockSettings],
) -> None:
    supervisor, _, _ = ivr
    before = {s["queue_id"]: s for s in supervisor.get("/v1/queues/stats").json()}
    outcome = call(supervisor, from_address="+12125550100", keys=["1", "1"], self_service=True)
    assert outcome["outcome"] == "contained"
    assert outcome["contact"] is None
    assert outcome["attached"]["intent"] == "payment"
    sales = call(supervisor, from_address="+12125550100", keys=["3"], self_service=True)  # sales offers none
    assert sales["outcome"] == "queued"
    after = {s["queue_id"]: s for s in supervisor.get("/v1/queues/stats").json()}
    assert after["billing"]["contained"] == before["billing"]["contained"] + 1
    assert after["billing"]["waiting"] == before["billing"]["waiting"]
    assert after["sales"]["contained"] == before["sales"]["contained"]


def test_bad_calls_are_refused_with_the_field_named(ivr: tuple[httpx.Client, httpx.Client, MockSettings]) -> None:
    supervisor, _, _ = ivr
    wrong_key = supervisor.post("/v1/ivr/calls", json={"entry_number": ENGLISH, "from_address": "+1", "keys": ["9"]})
    assert wrong_key.status_code == 422
    assert wrong_key.json()["detail"][0]["loc"] == ["body", "keys"]
    wrong_number = supervisor.post("/v1/ivr/calls", json={"entry_number": "+1999", "from_address": "+1"})
    assert wrong_number.status_code == 422
    assert wrong_number.json()["detail"][0]["loc"] == ["body", "entry_number"]
    with client(str(supervisor.base_url)) as agent:  # the demo agent's token
        assert agent.post("/v1/ivr/calls", json={"entry_number": ENGLISH, "from_address": "+1"}).status_code == 403
    menus = supervisor.get("/v1/ivr/entries").json()
    assert [m["number"] for m in menus] == [ENGLISH, SPANISH]


def test_a_platinum_caller_is_answered_before_a_standard_one_who_called_first(
    ivr: tuple[httpx.Client, httpx.Client, MockSettings],
) -> None:
    """The seeds' example: billing raises Platinum by 2 and Gold by 1 (demo queue rules)."""
    supervisor, crm, settings = ivr
    by_tier: dict[str, str] = {}
    for person in callers(settings.seed, settings.customers):
        by_tier.setdefault(customer_of(crm, person.phone_e164)["tier"], person.phone_e164)
        if {"Standard", "Platinum"} <= set(by_tier):
            break
    standard = call(supervisor, from_address=by_tier["Standard"], keys=["1", "2"])
    platinum = call(supervisor, from_address=by_tier["Platinum"], keys=["1", "2"])
    assert (standard["contact"]["priority"], platinum["contact"]["priority"]) == (0, 2)
    assert platinum["attached"]["vip"] is True
    go_available(supervisor, "agent-001")
    assert pending_offer(supervisor, "agent-001")["contact"]["id"] == platinum["contact"]["id"]
    # a supervisor can change the rules: without them the next Platinum caller waits their turn
    response = supervisor.patch("/v1/queues/billing", json={"priority_rules": []})
    assert response.status_code == 200
    assert response.json()["priority_rules"] == []
    assert call(supervisor, from_address=by_tier["Platinum"], keys=["1", "2"])["contact"]["priority"] == 0


def test_each_caller_is_told_their_estimated_wait_and_the_supervisor_sees_the_queues(
    ivr: tuple[httpx.Client, httpx.Client, MockSettings],
) -> None:
    """No history yet: AHT is the 180 s default; one agent serving billing (the others are offline)."""
    supervisor, _, _ = ivr
    stats = {s["queue_id"]: s for s in supervisor.get("/v1/queues/stats").json()}
    assert stats["billing"]["ewt_s"] is None  # nobody serves it: no estimate rather than a wrong one
    go_available(supervisor, "agent-001")
    assert {s["queue_id"]: s for s in supervisor.get("/v1/queues/stats").json()}["billing"]["ewt_s"] == 0.0
    told = [call(supervisor, from_address="+12125550100", keys=["3"])["ewt_s"] for _ in range(3)]
    assert told[0] == 0.0  # sales: agent-001 has the skill and is free
    assert told[1:] == [180.0, 360.0]  # then behind 0 and 1 others, one agent, 180 s each
    stats = {s["queue_id"]: s for s in supervisor.get("/v1/queues/stats").json()}
    assert stats["sales"]["ewt_s"] == 540.0


@given(keys=st.lists(st.sampled_from(["1", "2", "3", "9", "*"]), max_size=4), spanish=st.booleans())
def test_any_keys_reach_an_option_that_routes_or_are_refused_naming_them(keys: list[str], spanish: bool) -> None:
    entries = demo_ivr()
    try:
        menu = walk(entries, SPANISH if spanish else ENGLISH, keys)
    except IvrRefused as refused:
        assert refused.field == "keys"
        assert refused.value in keys
        return
    assert not menu.option.options
    assert menu.option.queue_id in {"billing", "tech_support", "sales"}
    assert menu.language == ("es" if spanish else "en")
    assert 1 <= len(menu.path) <= 2
    assert (menu.path, menu.option) in [(p, o) for p, o in _labelled_leaves(entries[0].options)]


def _labelled_leaves(options: dict[str, IvrOption]) -> list[tuple[list[str], IvrOption]]:
    leaves: list[tuple[list[str], IvrOption]] = []
    for keys, option in menu_leaves(options):
        labels: list[str] = []
        level = options
        for key in keys:
            labels.append(level[key].label)
            level = level[key].options
        leaves.append((labels, option))
    return leaves
