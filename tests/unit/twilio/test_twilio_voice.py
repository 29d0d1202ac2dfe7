"""agent_desktop/adapters/twilio/calls/voice.py without a server: the conference instruction it sends, how it finds a call's
conference (and ignores what is not it), and what a broken answer turns into; the caller ID's configuration; and
twilio_voice_transfer.py's `<Enqueue>` TwiML (a call's blind transfer) and how it finds the new task."""

from __future__ import annotations

import asyncio
import json
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from pydantic import ValidationError

from agent_desktop.adapters.twilio.calls.voice import TwilioVoice
from agent_desktop.adapters.twilio.contact_center import TwilioConfig
from agent_desktop.adapters.twilio.records import capacity
from agent_desktop.adapters.twilio.transfer.voice_transfer import TwilioVoiceTransfer
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.models import Target, TargetKind

TASK = "WT" + "1" * 32
CALL = "CA" + "2" * 32
CONFERENCE = "CF" + "3" * 32
ROOT = "https://api.twilio.com/2010-04-01/Accounts/AC" + "0" * 32


def _task(**attributes: Any) -> dict[str, Any]:
    return {"sid": TASK, "attributes": json.dumps({"call_sid": CALL, "to": "+15005550006", **attributes})}


class Answers:
    """What each URL answers (a dict, or a BackendError to raise), and what was asked."""

    def __init__(self, answers: dict[str, Any]) -> None:
        self.answers = answers
        self.asked: list[tuple[str, str, Any]] = []  # the method, the URL, and its query or form

    async def get(self, url: str, **params: Any) -> dict[str, Any]:
        self.asked.append(("GET", url, params))
        return self._answer(url)

    async def post(self, url: str, **kwargs: Any) -> dict[str, Any]:
        self.asked.append(("POST", url, kwargs.get("data")))
        return self._answer(url)

    def _answer(self, url: str) -> dict[str, Any]:
        answer = self.answers[url]
        if isinstance(answer, BackendError):
            raise answer
        body: dict[str, Any] = answer
        return body


def _voice(answers: Answers, caller_id: str | None = None, callback: str | None = None) -> TwilioVoice:
    return TwilioVoice(
        "https://api.twilio.com/", "AC" + "0" * 32, caller_id, callback, answers.get, answers.post, "contact center"
    )


def test_the_conference_instruction_dials_the_agent_from_the_number_the_caller_dialled() -> None:
    fields = _voice(Answers({})).accept_fields(_task())
    assert fields == {
        "Instruction": "conference",
        "From": "+15005550006",
        "EndConferenceOnExit": "false",
        "EndConferenceOnCustomerExit": "true",
    }
    configured = _voice(Answers({}), "+14155550100", "https://relay.example.com/conference").accept_fields(_task())
    assert configured["From"] == "+14155550100"
    assert configured["ConferenceStatusCallback"] == "https://relay.example.com/conference"
    assert configured["ConferenceStatusCallbackEvent"] == ["start", "end", "join", "leave", "hold"]


def test_without_a_caller_id_the_call_is_not_accepted_and_the_agent_is_told_what_to_set() -> None:
    with pytest.raises(BackendError) as refused:
        _voice(Answers({})).accept_fields(_task(to="client:kiosk"))
    assert refused.value.status == 422
    assert "voice_caller_id" in refused.value.message


def test_the_conference_is_the_one_named_by_the_task_and_not_ended_and_is_asked_for_once() -> None:
    listed = {
        "conferences": [
            {"sid": "CF" + "9" * 32, "friendly_name": TASK, "status": "completed"},
            {"sid": CONFERENCE, "friendly_name": "WT" + "8" * 32, "status": "in-progress"},  # another task's
            "not a conference",
            {"sid": CONFERENCE, "friendly_name": TASK, "status": "in-progress"},
        ]
    }
    participant = f"{ROOT}/Conferences/{CONFERENCE}/Participants/{CALL}.json"
    answers = Answers({f"{ROOT}/Conferences.json": listed, participant: {"hold": True}})
    voice = _voice(answers)
    assert asyncio.run(voice.held(_task())) is True
    assert asyncio.run(voice.held(_task())) is True
    assert [a[0:2] for a in answers.asked] == [
        ("GET", f"{ROOT}/Conferences.json"),
        ("GET", participant),
        ("GET", participant),
    ]
    assert answers.asked[0][2]["FriendlyName"] == TASK


@pytest.mark.parametrize("listed", [{"conferences": "nope"}, {"conferences": []}, ["a list"], {}])
def test_no_conference_is_no_hold_and_holding_it_is_refused_in_words(
    listed: dict[str, str] | list[str],
) -> None:
    voice = _voice(Answers({f"{ROOT}/Conferences.json": listed}))
    assert asyncio.run(voice.held(_task())) is None
    with pytest.raises(BackendError) as refused:
        asyncio.run(voice.hold(_task(), True))
    assert refused.value.status == 409
    assert "no conference" in refused.value.message


def test_a_conference_that_ended_meanwhile_is_forgotten() -> None:
    participant = f"{ROOT}/Conferences/{CONFERENCE}/Participants/{CALL}.json"
    listed = {"conferences": [{"sid": CONFERENCE, "friendly_name": TASK, "status": "in-progress"}]}
    answers = Answers(
        {f"{ROOT}/Conferences.json": listed, participant: BackendError("contact center", "404 gone", 404)}
    )
    voice = _voice(answers)
    assert asyncio.run(voice.held(_task())) is None
    with pytest.raises(BackendError) as refused:
        asyncio.run(voice.hold(_task(), True))
    assert refused.value.status == 409
    assert sum(1 for a in answers.asked if a[1].endswith("Conferences.json")) == 2, "looked for again after the 404"


def test_a_task_without_the_callers_call_has_no_conference_to_look_for() -> None:
    answers = Answers({})
    assert asyncio.run(_voice(answers).held({"sid": TASK, "attributes": json.dumps({"call_sid": "not a sid"})})) is None
    assert answers.asked == []


def test_hanging_up_ends_the_conference_and_does_nothing_without_one() -> None:
    listed = {"conferences": [{"sid": CONFERENCE, "friendly_name": TASK, "status": "init"}]}
    answers = Answers(
        {f"{ROOT}/Conferences.json": listed, f"{ROOT}/Conferences/{CONFERENCE}.json": {"status": "completed"}}
    )
    asyncio.run(_voice(answers).hang_up(_task()))
    assert answers.asked[-1] == ("POST", f"{ROOT}/Conferences/{CONFERENCE}.json", {"Status": "completed"})
    nothing = Answers({f"{ROOT}/Conferences.json": {"conferences": []}})
    asyncio.run(_voice(nothing).hang_up(_task()))
    assert [a[0] for a in nothing.asked] == ["GET"]


def test_capacity_is_the_worker_channels_configured_capacity_and_zero_where_turned_off() -> None:
    channels: list[dict[str, Any]] = [
        {"task_channel_unique_name": "voice", "configured_capacity": 1, "available": True},
        {"task_channel_unique_name": "chat", "configured_capacity": 3, "available": False},
        {"task_channel_unique_name": "sms", "configured_capacity": "2"},
        {"task_channel_unique_name": None, "configured_capacity": 1},
        {"task_channel_unique_name": "email", "configured_capacity": True},
    ]
    assert capacity(channels) == {"voice": 1, "chat": 0}


def test_a_caller_id_that_is_no_phone_number_stops_the_desk_with_a_line_naming_it() -> None:
    config = {
        "account_sid": "AC" + "0" * 32,
        "api_key_sid": "SK" + "0" * 32,
        "api_key_secret": "s",
        "workspace_sid": "WS" + "0" * 32,
        "worker_sid": "WK" + "0" * 32,
        "relay_url": "https://relay.example.com",
        "relay_token": "t" * 16,
    }
    assert TwilioConfig(**config, voice_caller_id="+14155550100").voice_caller_id == "+14155550100"
    with pytest.raises(ValidationError) as refused:
        TwilioConfig(**config, voice_caller_id="(415) 555-0100")
    assert "voice_caller_id" in str(refused.value)
    assert "E.164" in str(refused.value)


# --- a call's blind transfer: the <Enqueue> TwiML (agent_desktop/adapters/twilio/transfer/voice_transfer.py) ----------------------

WORKFLOW = "WW" + "4" * 32
TASKS = "https://taskrouter.twilio.com/v1/Workspaces/WS" + "0" * 32 + "/Tasks"


def _transfer(answers: Answers | None = None, listed: list[list[dict[str, Any]]] | None = None) -> TwilioVoiceTransfer:
    pages = iter(listed or [])
    slept: list[float] = []

    async def list_of(url: str, key: str, most: int, **params: Any) -> list[dict[str, Any]]:
        (answers or Answers({})).asked.append(("LIST", url, params))
        return next(pages, [])

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    made = TwilioVoiceTransfer(ROOT, TASKS, (answers or Answers({})).post, list_of, "contact center", sleep)
    made.slept = slept  # type: ignore[attr-defined]
    return made


def _enqueued(twiml: str) -> tuple[str, dict[str, Any]]:
    root = ET.fromstring(twiml)
    (enqueue,) = list(root)
    (task,) = list(enqueue)
    return enqueue.get("workflowSid") or "", json.loads(task.text or "")


def test_the_enqueue_names_the_workflow_the_target_the_old_task_and_carries_its_attributes() -> None:
    task = {
        "sid": TASK,
        "workflow_sid": WORKFLOW,
        "attributes": json.dumps(
            {"call_sid": CALL, "from": "+15125550100", "name": "Ann <&> Co", "conversations": {"outcome": "x"}}
        ),
    }
    queue = Target(kind=TargetKind.QUEUE, id="WQ" + "5" * 32, name="Sales")
    workflow, attributes = _enqueued(_transfer().twiml(task, queue, "Wants a plan"))
    assert workflow == WORKFLOW
    assert attributes == {
        "name": "Ann <&> Co",
        "transferTargetType": "queue",
        "transferTargetSid": queue.id,
        "transferredFromTaskSid": TASK,
        "transferNote": "Wants a plan",
    }, "what <Enqueue> writes is left to it"
    worker = Target(kind=TargetKind.AGENT, id="WK" + "6" * 32)
    assert _enqueued(_transfer().twiml(task, worker, None))[1]["transferTargetType"] == "worker"
    assert TwilioVoiceTransfer.reason(queue) == "Transferred to queue Sales"


@pytest.mark.parametrize(
    "target", [Target(kind=TargetKind.ADDRESS, id="+14155550100"), Target(kind=TargetKind.QUEUE, id="sales")]
)
def test_an_address_or_a_name_is_no_target_the_workflow_routes(target: Target) -> None:
    task = {"sid": TASK, "workflow_sid": WORKFLOW, "attributes": "{}"}
    with pytest.raises(BackendError) as refused:
        _transfer().twiml(task, target, None)
    assert refused.value.status == 422


def test_without_a_workflow_the_call_is_not_redirected() -> None:
    with pytest.raises(BackendError) as refused:
        _transfer().twiml({"sid": TASK, "attributes": "{}"}, Target(kind=TargetKind.QUEUE, id="WQ" + "5" * 32), None)
    assert refused.value.status == 409
    assert "Workflow" in refused.value.message


def test_attributes_too_long_for_twilios_4000_characters_are_cut_down_to_what_routes_the_call() -> None:
    task = {"sid": TASK, "workflow_sid": WORKFLOW, "attributes": json.dumps({"name": "Ann", "history": "h" * 5000})}
    twiml = _transfer().twiml(task, Target(kind=TargetKind.QUEUE, id="WQ" + "5" * 32), "n" * 5000)
    attributes = _enqueued(twiml)[1]
    assert len(twiml) <= 4000
    assert "history" not in attributes
    assert attributes["name"] == "Ann"
    assert attributes["transferTargetSid"] == "WQ" + "5" * 32
    assert len(attributes["transferNote"]) == 500


def test_the_new_task_is_looked_for_by_the_old_ones_sid_until_it_shows_up() -> None:
    new = "WT" + "7" * 32
    transfer = _transfer(listed=[[], [{"sid": TASK}, {"sid": "nope"}], [{"sid": new}]])
    assert asyncio.run(transfer.new_task(TASK)) == new
    assert transfer.slept == [0.2, 0.4]  # type: ignore[attr-defined]
    missing = _transfer()
    assert asyncio.run(missing.new_task(TASK)) is None, "never shows up: None, after a bounded wait"
    assert sum(missing.slept) < 5  # type: ignore[attr-defined]
