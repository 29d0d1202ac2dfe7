"""Quality management in the mock CCaaS over HTTP: the shipped forms, a finished contact reviewed with
its transcript and timeline, an evaluation scored by the contact center and released on the agent's stream, the
agent's acknowledgement (once), the roll-up, the precise refusals, and evaluations kept across a restart.

A real server on loopback per test (the conversation rig's).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from agent_desktop_mocks.ccaas.settings import DEMO_SUPERVISOR_TOKEN
from tests.contract.mocks.test_ccaas_api import client, events, serving
from tests.support.conversation_rig import (  # noqa: F401 (url, agent, supervisor are fixtures)
    agent,
    contact_in_hand,
    next_event,
    settings_for,
    supervisor,
    url,
)

BILLING_SUPERVISOR = "supervisor-billing-token"  # Jordan Blake, billing only (floor.toml)


def finished(agent: httpx.Client, supervisor: httpx.Client, **kwargs: Any) -> dict[str, Any]:
    contact = contact_in_hand(agent, supervisor, **kwargs)
    assert agent.post(f"/v1/contacts/{contact['id']}/messages", json={"text": "Let me check that."}).status_code == 201
    assert agent.post(f"/v1/contacts/{contact['id']}/end").status_code == 200
    assert agent.post(f"/v1/contacts/{contact['id']}/complete", json={"disposition": "Resolved"}).status_code == 200
    return contact


def answers(
    form: dict[str, Any], pick: Callable[[dict[str, Any]], int] = lambda q: len(q["scale"]) - 1
) -> list[dict[str, Any]]:
    return [{"question_id": q["id"], "answer": pick(q)} for s in form["sections"] for q in s["questions"]]


def chat_form(c: httpx.Client) -> dict[str, Any]:
    response = c.get("/v1/quality/forms/chat-standard")
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def evaluate(c: httpx.Client, contact_id: str, body: dict[str, Any]) -> httpx.Response:
    return c.post(f"/v1/quality/interactions/{contact_id}/evaluations", json=body)


def test_the_contact_center_keeps_two_forms_with_weights_scales_and_auto_fail(agent: httpx.Client) -> None:
    forms = {f["id"]: f for f in agent.get("/v1/quality/forms").json()}
    assert {"voice-standard", "chat-standard"} <= set(forms)
    questions = [q for s in forms["voice-standard"]["sections"] for q in s["questions"]]
    assert any(q["auto_fail"] for q in questions)
    assert all(len(q["scale"]) >= 2 for q in questions)
    assert agent.get("/v1/quality/forms/no-such-form").status_code == 404


def test_a_supervisor_reviews_scores_and_the_agent_acknowledges_once(
    agent: httpx.Client, supervisor: httpx.Client
) -> None:
    contact = finished(agent, supervisor)
    listed = supervisor.get("/v1/quality/interactions").json()
    assert (listed[0]["contact_id"], listed[0]["evaluated"], listed[0]["disposition"]) == (
        contact["id"],
        False,
        "Resolved",
    )
    review = supervisor.get(f"/v1/quality/interactions/{contact['id']}").json()
    assert "Let me check that." in [item["text"] for item in review["transcript"]]
    kinds = [entry["kind"] for entry in review["timeline"]]
    assert kinds[0] == "queued", kinds
    assert "connected" in kinds, kinds
    assert kinds[-1] == "completed", kinds
    form = chat_form(supervisor)
    # Every answer at the top but "tone" (weight 2 of 7, 2 points of 3): 100 × (7 − 2 × 1/3) ÷ 7 = 90.5
    body = {
        "form_id": form["id"],
        "answers": answers(form, lambda q: 2 if q["id"] == "tone" else len(q["scale"]) - 1),
        "comments": "Good tone; card 4111 1111 1111 1111 was read back",
    }
    created = evaluate(supervisor, contact["id"], body)
    assert created.status_code == 201, created.text
    evaluation = created.json()
    assert (evaluation["score"], evaluation["auto_failed"], evaluation["agent_id"]) == (90.5, False, "agent-001")
    assert "4111 1111 1111 1111" not in evaluation["comments"]
    assert evaluate(supervisor, contact["id"], body).status_code == 409  # the same supervisor, the same contact
    with events(agent, "/v1/agents/agent-001/events") as stream:
        released = next_event(stream, "evaluation_released", contact_id=contact["id"])
        assert released.json()["evaluation"]["id"] == evaluation["id"]
    assert [e["id"] for e in agent.get("/v1/quality/evaluations").json()] == [evaluation["id"]]
    with client(str(supervisor.base_url), "agent-002-token") as other:
        assert other.post(f"/v1/quality/evaluations/{evaluation['id']}/acknowledge").status_code == 403
        assert other.get("/v1/quality/evaluations").json() == []
    done = agent.post(f"/v1/quality/evaluations/{evaluation['id']}/acknowledge")
    assert done.status_code == 200
    assert done.json()["acknowledged_at"]
    assert agent.post(f"/v1/quality/evaluations/{evaluation['id']}/acknowledge").status_code == 409
    rollup = supervisor.get("/v1/quality/rollup").json()
    assert [(r["agent_id"], r["form_id"], r["evaluations"], r["mean_score"], r["acknowledged"]) for r in rollup] == [
        ("agent-001", "chat-standard", 1, 90.5, 1)
    ]


def test_an_auto_fail_answer_zeroes_the_score(agent: httpx.Client, supervisor: httpx.Client) -> None:
    contact = finished(agent, supervisor)
    form = chat_form(supervisor)
    body = {"form_id": form["id"], "answers": answers(form, lambda q: 0 if q["auto_fail"] else len(q["scale"]) - 1)}
    evaluation = evaluate(supervisor, contact["id"], body).json()
    assert (evaluation["score"], evaluation["auto_failed"]) == (0.0, True)


def test_precise_refusals(agent: httpx.Client, supervisor: httpx.Client, url: str) -> None:
    in_hand = contact_in_hand(agent, supervisor)
    form = chat_form(supervisor)
    good = {"form_id": form["id"], "answers": answers(form)}
    assert evaluate(supervisor, in_hand["id"], good).status_code == 409  # not finished
    assert agent.post(f"/v1/contacts/{in_hand['id']}/end").status_code == 200
    assert agent.post(f"/v1/contacts/{in_hand['id']}/complete", json={"disposition": "Resolved"}).status_code == 200
    contact_id = in_hand["id"]
    wrong_form = evaluate(supervisor, contact_id, {**good, "form_id": "no-such-form"})
    assert wrong_form.status_code == 422
    assert wrong_form.json()["detail"][0]["loc"] == ["body", "form_id"]
    unknown = [*good["answers"], {"question_id": "no-such-question", "answer": 0}]
    assert evaluate(supervisor, contact_id, {**good, "answers": unknown}).status_code == 422
    out_of_scale = [{**a, "answer": 9} if a["question_id"] == "tone" else a for a in good["answers"]]
    assert evaluate(supervisor, contact_id, {**good, "answers": out_of_scale}).status_code == 422
    assert evaluate(supervisor, contact_id, {**good, "answers": good["answers"][1:]}).status_code == 422
    assert evaluate(agent, contact_id, good).status_code == 403
    assert evaluate(supervisor, "c-999999", good).status_code == 404
    with client(url, BILLING_SUPERVISOR) as jordan:
        assert evaluate(jordan, contact_id, good).status_code == 201  # another supervisor may evaluate it too


def test_a_supervisor_of_other_queues_sees_nothing_of_the_billing_queue(
    agent: httpx.Client, supervisor: httpx.Client, url: str
) -> None:
    contact = finished(agent, supervisor)
    form = chat_form(supervisor)
    evaluation = evaluate(supervisor, contact["id"], {"form_id": form["id"], "answers": answers(form)}).json()
    with client(url, BILLING_SUPERVISOR) as jordan:
        assert jordan.get(f"/v1/quality/evaluations/{evaluation['id']}").status_code == 200
    sales = contact_in_hand(agent, supervisor, queue_id="sales", from_address="+12125550111")
    with client(url, BILLING_SUPERVISOR) as jordan:
        assert jordan.get(f"/v1/quality/interactions/{sales['id']}").status_code == 403
        assert sales["id"] not in [i["contact_id"] for i in jordan.get("/v1/quality/interactions").json()]


def test_evaluations_and_timelines_are_kept_across_a_restart(tmp_path: Path) -> None:
    with serving(settings_for(tmp_path)) as url, client(url) as agent, client(url, DEMO_SUPERVISOR_TOKEN) as boss:
        contact = finished(agent, boss)
        form = chat_form(boss)
        evaluation = evaluate(boss, contact["id"], {"form_id": form["id"], "answers": answers(form)}).json()
        review = boss.get(f"/v1/quality/interactions/{contact['id']}").json()
    with (
        serving(settings_for(tmp_path, fresh=False)) as url,
        client(url) as agent,
        client(url, DEMO_SUPERVISOR_TOKEN) as boss,
    ):
        assert agent.get("/v1/quality/evaluations").json() == [evaluation]
        assert boss.get(f"/v1/quality/interactions/{contact['id']}").json()["timeline"] == review["timeline"]
        assert evaluate(boss, contact["id"], {"form_id": form["id"], "answers": answers(form)}).status_code == 409
