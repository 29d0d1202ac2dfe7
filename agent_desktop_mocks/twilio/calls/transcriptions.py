"""Twilio's real-time transcription of a call, on the mock: the RealtimeTranscription resources made on callers'
calls (routers/transcriptions.py) and the status callbacks each sends, from what the mock CCaaS's simulated caller
and agent say (call_transcripts/speaker.py's `on_heard`: the words as said, unmasked, as Twilio's engine hears them).

As documented (docs/vendors/twilio-voice.md, "Real-time transcription"): `transcription-started` once made, then a
`transcription-content` per version of a line heard on a track it listens to (`inbound_track`: the caller;
`outbound_track`: what the caller hears, the agent), interim ones (`Final=false`) only with `PartialResults`, and
`transcription-stopped` once stopped (`Status=stopped`) or once the call ends. Each is form-encoded and signed with
`X-Twilio-Signature` like every webhook, `SequenceId` counting from 1 within a transcription. A callback URL that is
not an absolute http(s) URL gets nothing (Twilio's 17585: "did not attempt to deliver … The transcription itself is
unaffected"). Sent in order by one background task; Twilio retries 5xx, 408, 425 and 429 up to three times
(17580), so does this. Nothing of what is heard is kept: a callback is dropped once sent.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx

from agent_desktop_mocks.ccaas.core.domain_events import ContactChanged, DomainEvent
from agent_desktop_mocks.twilio.http.signing import signature
from agent_desktop_mocks.twilio.state import TwilioState

log = logging.getLogger(__name__)

TRACKS = ("inbound_track", "outbound_track", "both_tracks")
ENGINES = ("google", "deepgram")  # the `transcriptionEngine` values Twilio names
HEARS = {"customer": "inbound_track", "agent": "outbound_track"}
CALL_ENDS = ("ended", "abandoned", "completed")
RETRIED = (408, 425, 429)  # and every 5xx (Twilio's 17580)
RETRIES = 3
KEPT = 500  # transcriptions remembered (a stopped one past this is forgotten: a demo runs for hours)


@dataclass
class Transcription:
    sid: str
    call_sid: str
    contact_id: str
    name: str | None
    track: str
    partial_results: bool
    callback_url: str | None
    callback_method: str
    language: str
    engine: str
    updated: datetime
    status: str = "in-progress"
    sequence: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def hears(self, role: str) -> bool:
        return self.status == "in-progress" and self.track in (HEARS[role], "both_tracks")


def deliverable(url: str | None) -> bool:
    """An absolute http(s) URL: Twilio attempts delivery to nothing else (17585)."""
    if not url:
        return False
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


class Transcriptions:
    """The account's real-time transcriptions, the callbacks they send, and what sends them."""

    def __init__(self, twilio: TwilioState, speaker: Any | None) -> None:
        """`speaker`: the mock CCaaS's CallSpeaker (None where calls are not spoken: nothing is heard)."""
        self.twilio = twilio
        self.by_sid: dict[str, Transcription] = {}
        self.queue: asyncio.Queue[tuple[Transcription, dict[str, str]]] = asyncio.Queue()
        self._numbers = itertools.count(1)
        self.sent = 0
        if speaker is not None:
            speaker.on_heard = self._heard
        twilio.engine.listen(self._on_events)

    # --- the resource ------------------------------------------------------------------------------------

    def create(self, contact_id: str, call_sid: str, fields: dict[str, str], partial: bool) -> Transcription:
        sid = f"GT{next(self._numbers):032x}"
        made = Transcription(
            sid=sid,
            call_sid=call_sid,
            contact_id=contact_id,
            name=fields.get("Name") or None,
            track=fields.get("Track") or "both_tracks",
            partial_results=partial,
            callback_url=fields.get("StatusCallbackUrl") or None,
            callback_method=(fields.get("StatusCallbackMethod") or "POST").upper(),
            language=fields.get("LanguageCode") or "en-US",
            engine=(fields.get("TranscriptionEngine") or "google").lower(),
            updated=datetime.now(UTC),
        )
        self.by_sid[sid] = made
        for old in [t for t in self.by_sid.values() if t.status == "stopped"][: max(0, len(self.by_sid) - KEPT)]:
            del self.by_sid[old.sid]
        self._send(
            made,
            "transcription-started",
            Name=made.name or "",
            Track=made.track,
            PartialResults=str(made.partial_results).lower(),
            LanguageCode=made.language,
            TranscriptionEngine=made.engine,
        )
        return made

    def find(self, call_sid: str, sid_or_name: str) -> Transcription | None:
        """By its SID or the `Name` it was made with (the newest of that name), on that call."""
        found = self.by_sid.get(sid_or_name)
        if found is not None:
            return found if found.call_sid == call_sid else None
        named = [t for t in self.by_sid.values() if t.call_sid == call_sid and t.name == sid_or_name]
        return named[-1] if named else None

    def stop(self, made: Transcription) -> None:
        if made.status == "stopped":
            return
        made.status, made.updated = "stopped", datetime.now(UTC)
        self._send(made, "transcription-stopped")

    def resource(self, made: Transcription) -> dict[str, Any]:
        account = self.twilio.settings.account_sid
        return {
            "sid": made.sid,
            "account_sid": account,
            "call_sid": made.call_sid,
            "name": made.name,
            "status": made.status,
            "date_updated": made.updated.strftime("%a, %d %b %Y %H:%M:%S +0000"),
            "uri": f"/2010-04-01/Accounts/{account}/Calls/{made.call_sid}/Transcriptions/{made.sid}.json",
        }

    # --- what is heard -----------------------------------------------------------------------------------

    def _heard(self, contact_id: str, index: int, role: str, text: str, final: bool) -> None:
        for made in list(self.by_sid.values()):
            if made.contact_id != contact_id or not made.hears(role) or not (final or made.partial_results):
                continue
            self._send(
                made,
                "transcription-content",
                LanguageCode=made.language,
                Track=HEARS[role],
                TranscriptionData=json.dumps({"transcript": text, "confidence": 0.92 if final else 0.0}),
                Final="true" if final else "false",
            )

    def _on_events(self, events: list[DomainEvent]) -> None:
        for event in events:
            if isinstance(event, ContactChanged) and event.kind in CALL_ENDS:
                for made in list(self.by_sid.values()):
                    if made.contact_id == event.contact.id:
                        self.stop(made)

    def _send(self, made: Transcription, event: str, **more: str) -> None:
        params = {
            "AccountSid": self.twilio.settings.account_sid,
            "CallSid": made.call_sid,
            "TranscriptionSid": made.sid,
            "TranscriptionEvent": event,
            "SequenceId": str(next(made.sequence)),
            "Timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            **more,
        }
        if deliverable(made.callback_url):
            self.queue.put_nowait((made, params))

    # --- sending -----------------------------------------------------------------------------------------

    async def run(self) -> None:
        async with httpx.AsyncClient(timeout=httpx.Timeout(15.0, connect=3.0)) as client:
            while True:
                made, params = await self.queue.get()
                await self._deliver(client, made, params)

    async def _deliver(self, client: httpx.AsyncClient, made: Transcription, params: dict[str, str]) -> None:
        url, token = made.callback_url or "", self.twilio.settings.auth_token
        if made.callback_method == "GET":  # the parameters in the query, which the signature covers with the URL
            url += ("&" if "?" in url else "?") + urlencode(params)
            request = {"method": "GET", "url": url, "headers": {"X-Twilio-Signature": signature(token, url, {})}}
        else:
            signed = signature(token, url, params)
            request = {"method": "POST", "url": url, "data": params, "headers": {"X-Twilio-Signature": signed}}
        for attempt in range(1 + RETRIES):
            started = time.monotonic()
            try:
                answer = await client.request(**request)  # type: ignore[arg-type]
            except httpx.HTTPError as error:
                log.warning("transcription callback %s failed: %r", params["TranscriptionEvent"], error)
                if attempt < RETRIES:
                    continue
                return
            if answer.is_success:
                self.sent += 1
                return
            if (answer.status_code in RETRIED or answer.status_code >= 500) and attempt < RETRIES:
                continue
            log.warning(
                "transcription callback %s answered %s after %.1f s (17580)",
                params["TranscriptionEvent"],
                answer.status_code,
                time.monotonic() - started,
            )
            return
