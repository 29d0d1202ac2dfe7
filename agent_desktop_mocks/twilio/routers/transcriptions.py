"""A call's real-time transcription (twilio_api_v2010.yaml `CreateRealtimeTranscription`,
`UpdateRealtimeTranscription`; https://www.twilio.com/docs/voice/api/realtime-transcription-resource): made on a
caller's call in progress, stopped with `Status=stopped` by its SID or its `Name`. What it sends is
calls/transcriptions.py's.

Parameters are checked as the spec types them: `Track` one of its three values, `PartialResults`,
`ProfanityFilter` and `EnableAutomaticPunctuation` booleans, `StatusCallbackMethod` GET or POST, `LanguageCode`
BCP-47, `TranscriptionEngine` one Twilio names; a wrong one is a 400 naming it (code 20001, the mock's code for an
invalid parameter: guessed, Twilio publishes none for this resource). The answer is 200, as the spec says (not the
201 of most creates).
"""

from __future__ import annotations

import re
from typing import Annotated, Any, cast

from fastapi import APIRouter, Path, Request

from agent_desktop_mocks.ccaas.core.wire.schemas import Contact
from agent_desktop_mocks.twilio.calls.transcriptions import ENGINES, TRACKS, Transcriptions
from agent_desktop_mocks.twilio.http.errors import TwilioError, not_found
from agent_desktop_mocks.twilio.http.form import form
from agent_desktop_mocks.twilio.routers.calls import call
from agent_desktop_mocks.twilio.routers.common import sid_param
from agent_desktop_mocks.twilio.state import Twilio, TwilioState

router = APIRouter(prefix="/2010-04-01/Accounts/{AccountSid}/Calls", tags=["Transcriptions"])

AccountSid = Annotated[str, sid_param("AC")]
CallSid = Annotated[str, Path(pattern="^CA[0-9a-fA-F]{32}$", min_length=34, max_length=34)]
BOOLEANS = ("PartialResults", "ProfanityFilter", "EnableAutomaticPunctuation")
LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def _invalid(name: str, why: str) -> TwilioError:
    return TwilioError(400, 20001, f"Invalid parameter {name}: {why}")


def _transcriptions(request: Request) -> Transcriptions:
    return cast(Transcriptions, request.app.state.transcriptions)


def _callers_call(twilio: TwilioState, request: Request, account: str, call_sid: str) -> Contact:
    """The contact whose caller's call this is (a worker's leg is not transcribed here: guessed, 400)."""
    if account != twilio.settings.account_sid:
        raise not_found(request.url.path)
    key = twilio.sids.key("CA", call_sid) or ""
    if key.startswith("worker:"):
        raise TwilioError(400, 20001, "This mock transcribes the caller's call only, not the worker's leg")
    if not key.startswith("customer:"):
        raise not_found(request.url.path)
    return twilio.engine.read.contact(key.split(":", 1)[1])


def _checked(fields: dict[str, str]) -> bool:
    """The create's parameters as the spec types them; `PartialResults` as given (default false)."""
    if "Track" in fields and fields["Track"] not in TRACKS:
        raise _invalid("Track", f"{fields['Track']!r} is not one of {', '.join(TRACKS)}")
    for name in BOOLEANS:
        if name in fields and fields[name].lower() not in ("true", "false"):
            raise _invalid(name, f"{fields[name]!r} is not true or false")
    if "StatusCallbackMethod" in fields and fields["StatusCallbackMethod"].upper() not in ("GET", "POST"):
        raise _invalid("StatusCallbackMethod", f"{fields['StatusCallbackMethod']!r} is not GET or POST")
    if "LanguageCode" in fields and not LANGUAGE.match(fields["LanguageCode"]):
        raise _invalid("LanguageCode", f"{fields['LanguageCode']!r} is not a BCP-47 language code")
    if "TranscriptionEngine" in fields and fields["TranscriptionEngine"].lower() not in ENGINES:
        raise _invalid("TranscriptionEngine", f"{fields['TranscriptionEngine']!r} is not one of {', '.join(ENGINES)}")
    return fields.get("PartialResults", "false").lower() == "true"


@router.post("/{CallSid}/Transcriptions.json")
async def create_transcription(
    request: Request, twilio: Twilio, AccountSid: AccountSid, CallSid: CallSid
) -> dict[str, Any]:
    contact = _callers_call(twilio, request, AccountSid, CallSid)
    fields = await form(request)
    partial = _checked(fields)
    if call(twilio, contact, CallSid)["status"] != "in-progress":
        raise TwilioError(400, 21220, f"Call {CallSid} is not in-progress. Cannot start a transcription.")
    transcriptions = _transcriptions(request)
    return transcriptions.resource(transcriptions.create(contact.id, CallSid, fields, partial))


@router.post("/{CallSid}/Transcriptions/{Sid}.json")
async def update_transcription(
    request: Request, twilio: Twilio, AccountSid: AccountSid, CallSid: CallSid, Sid: str
) -> dict[str, Any]:
    _callers_call(twilio, request, AccountSid, CallSid)
    fields = await form(request)
    if "Status" not in fields:
        raise TwilioError(400, 20001, "Missing required parameter Status in the post body")
    if fields["Status"] != "stopped":
        raise _invalid("Status", f"{fields['Status']!r} is not stopped")
    transcriptions = _transcriptions(request)
    made = transcriptions.find(CallSid, Sid)
    if made is None:
        raise not_found(request.url.path)
    transcriptions.stop(made)
    return transcriptions.resource(made)
