"""A customer's timeline in the `Crm` protocol suite: on the HTTP client against the mock CRM, in-process
over its store and on Zendesk (every exchange checked against its OpenAPI fragment), the same rules — newest first,
every kind the backend holds (a chat, a callback, a case), the customer's consent, and pages that put together give
the whole list once. Evaluations: listed for a supervisor's token where the CRM keeps them, never for the agents'
token (as an interaction's `evaluations`), and Zendesk keeps none."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from agent_desktop.adapters.http.crm import HttpCrm
from agent_desktop.adapters.zendesk.crm import ZendeskCrm
from agent_desktop.domain.customers.timeline import merged, order_key
from agent_desktop.domain.models import CaseCreate, Channel, InteractionCreate
from agent_desktop.domain.protocols import customer_timelines
from agent_desktop.domain.quality.forms import EvaluationRecord
from agent_desktop.domain.quality.protocol import EvaluationRecords
from agent_desktop_mocks.ccaas.settings import DEMO_CRM_SUPERVISOR_TOKEN
from tests.support.in_process.crm import InProcessCrm
from tests.support.protocol_rigs.crm import KINDS, CrmRig, HttpCrmRig, crm_rig
from tests.support.protocol_rigs.refusals import refused

AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def contact(customer_id: str, contact_id: str, channel: Channel, direction: str, disposition: str) -> InteractionCreate:
    return InteractionCreate(
        customer_id=customer_id,
        contact_id=contact_id,
        channel=channel,
        direction=direction,
        agent_id="agent-001",
        queue_id="billing",
        answered_at=AT,
        ended_at=AT,
        disposition=disposition,
        notes=f"{disposition} <b>[red]x",
    )


# The CRM backends the rigs hold that serve the timeline and take evaluations: Request Tracker declares neither
# (`timeline=False`, docs/vendors/request-tracker.md), so its rig is not among them.
CrmBackend = HttpCrm | ZendeskCrm | InProcessCrm
TIMELINE_KINDS = [kind for kind in KINDS if kind != "rt"]


def backend_of(rig: CrmRig) -> CrmBackend:
    backend = rig.backend
    assert isinstance(backend, HttpCrm | ZendeskCrm | InProcessCrm), backend
    return backend


async def whole_timeline(backend: CrmBackend, customer_id: str, limit: int) -> list[Any]:
    pages, before = [], None
    while True:
        page = await backend.customer_timeline(customer_id, before=before, limit=limit)
        pages.append(page.items)
        if page.next_before is None:
            return pages
        before = page.next_before


@pytest.mark.parametrize("kind", TIMELINE_KINDS)
async def test_a_customers_journey_is_one_list_newest_first_with_their_consent(kind: str, tmp_path: Path) -> None:
    async with crm_rig(kind, tmp_path) as rig:
        billy, crm = rig.expected.billy, backend_of(rig)
        assert customer_timelines(crm) is crm, "each declares the timeline and serves it"
        chat = await crm.log_interaction(contact(billy, "c-000042", Channel.CHAT, "inbound", "Refund issued"), "t-1")
        callback = await crm.log_interaction(
            contact(billy, "c-000043", Channel.VOICE, "outbound", "Called back"), "t-2"
        )
        case = await crm.create_case(
            CaseCreate(customer_id=billy, subject="Duplicate charge", contact_id="c-000042"), "t-3"
        )
        first = await crm.customer_timeline(billy)
        assert set(first.consent) >= {"sms", "marketing", "recording", "calls"}
        items = first.items
        assert [order_key(i) for i in items] == sorted((order_key(i) for i in items), reverse=True), "newest first"
        assert len({i.id for i in items}) == len(items)
        by_id = {i.id: i for i in items}
        assert (by_id[chat.id].kind, by_id[chat.id].channel, by_id[chat.id].interaction_id) == ("chat", "chat", chat.id)
        assert "Refund issued" in by_id[chat.id].summary
        assert "<b>[red]x" in by_id[chat.id].summary
        assert (by_id[callback.id].kind, by_id[callback.id].direction) == ("callback", "outbound")
        assert by_id[f"{case.id}:opened"].kind == "case_opened"
        assert "Duplicate charge" in by_id[f"{case.id}:opened"].summary
        pages = await whole_timeline(crm, billy, limit=2)
        assert all(len(page) <= 2 for page in pages)
        assert len(pages) > 1
        flat = [item.id for page in pages for item in page]
        everything = (await crm.customer_timeline(billy, limit=200)).items
        assert flat == [i.id for i in everything], "the pages put together are the whole list, each item once"
        assert [i.id for i in merged(*pages, pages[0])] == flat
        refusal = await refused(crm.customer_timeline(rig.expected.unknown))
        assert refusal.status == 404


@pytest.mark.parametrize("kind", TIMELINE_KINDS)
async def test_an_evaluation_is_on_the_timeline_for_a_supervisors_token_only(kind: str, tmp_path: Path) -> None:
    async with crm_rig(kind, tmp_path) as rig:
        billy, crm = rig.expected.billy, backend_of(rig)
        if not isinstance(crm, EvaluationRecords):  # Zendesk keeps no evaluations (docs/vendors.md)
            assert all(i.kind != "evaluation" for i in (await crm.customer_timeline(billy, limit=200)).items)
            return
        await crm.log_interaction(contact(billy, "c-000050", Channel.VOICE, "inbound", "Resolved"), "e-1")
        readers: list[CrmBackend] = [crm]
        if isinstance(rig, HttpCrmRig):  # the agents' token: write with a supervisor's, read with both
            supervisor = HttpCrm(rig.url, DEMO_CRM_SUPERVISOR_TOKEN)
            rig.opened.append(supervisor)
            readers, crm = [supervisor, backend_of(rig)], supervisor
        record = EvaluationRecord(
            evaluation_id="ev-1",
            contact_id="c-000050",
            agent_id="agent-001",
            form_id="voice-standard",
            form_name="Voice standard",
            evaluator_id="sup-001",
            evaluator_name="Sam",
            score=87.5,
            auto_failed=False,
            released_at=AT,
        )
        await crm.record_evaluation(record, "evaluation:ev-1")
        seen = [
            [i.summary for i in (await reader.customer_timeline(billy, limit=200)).items if i.kind == "evaluation"]
            for reader in readers
        ]
        assert seen[0] == ["Voice standard · 88% · by Sam"]
        assert seen[1:] in ([], [[]]), "the agents' token reads no evaluation"
