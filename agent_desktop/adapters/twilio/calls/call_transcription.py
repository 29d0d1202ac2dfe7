"""A call's real-time transcription on Twilio: started on the caller's call as the desk accepts it (before the
bridge), stopped when the call is transferred away, and the lines the relay passes on read as the desk's transcription
events
(docs/vendors/twilio-voice.md, "Real-time transcription").

Started with the REST API's RealtimeTranscription resource (`POST …/Calls/{CA}/Transcriptions.json`,
twilio_api_v2010.yaml `CreateRealtimeTranscription`) on the customer's call, the task's `call_sid`: its inbound
track is what the caller says, its outbound track what they hear (the agent, through the conference). Not with
TwiML's `<Start><Transcription>`: the desk writes no TwiML for the call (`<Enqueue>` is the account's), and the
REST resource starts one on a call already in progress. `PartialResults=true` asks for interim versions;
`StatusCallbackUrl` is the relay's callback address, which masks and routes each line (agent_desktop_relay/
transcription.py).

Twilio's callbacks carry no id that ties an interim version to its final: a line goes on on its track until a final
ends it (`Final=true`), so the relay's `SequenceId` orders them and the first one seen of a line names it. A line's
index is its first `SequenceId` times two, plus one on the agent's track: lines are ordered as they began, and the
two tracks never share an index even where an engine numbered each track on its own. A version whose `SequenceId`
was read already (Twilio retries a callback its receiver did not take) or an interim older than one read is dropped,
whatever its `Timestamp` says.

The outbound track of the caller's call is what Twilio sends the caller (https://www.twilio.com/docs/voice/twiml/
transcription, `track`): the conference, so the agent, but also the hold music while the customer is held; the desk
drops that track's lines while it holds the call. A stop or an error (the relay's `system` line) is shown as a line
of the transcript saying the rest of the call is not transcribed.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.models.transcription import TranscriptionEvent, TranscriptionLine

log = logging.getLogger(__name__)

Post = Callable[..., Awaitable[dict[str, Any]]]
CALLER = "Caller"
ROLES = ("customer", "agent")
SYSTEM = "system"  # the relay's line saying the transcription stopped or failed
CLOSED_KEPT = 64  # calls whose sequences are remembered (a desk holds a few calls at a time)


class CallTranscription:
    """`root`: the account's REST root (`…/2010-04-01/Accounts/{AC}`); `callback_url`: where Twilio posts the
    transcription's events (the relay); `language`: its BCP-47 `LanguageCode` (None: Twilio's default)."""

    def __init__(self, root: str, callback_url: str, language: str | None, post: Post, name: str) -> None:
        self.root, self.callback_url, self.language = root, callback_url, language
        self._post, self.name = post, name
        self.running: dict[str, str] = {}  # task SID → its transcription's URL

    def fields(self, task_sid: str) -> dict[str, str]:
        fields = {
            "Track": "both_tracks",
            "PartialResults": "true",
            "StatusCallbackUrl": self.callback_url,
            "StatusCallbackMethod": "POST",
            "Name": task_sid,  # one per task: a transfer's next desk starts its own
        }
        if self.language:
            fields["LanguageCode"] = self.language
        return fields

    async def start(self, task_sid: str, call_sid: str) -> None:
        """Start it on the caller's call; a refusal is logged, not raised: the call is bridged all the same."""
        try:
            made = await self._post(f"{self.root}/Calls/{call_sid}/Transcriptions.json", data=self.fields(task_sid))
        except BackendError as error:
            log.warning("%s: the call's transcription did not start: %s", self.name, error.message)
            return
        sid = made.get("sid")
        if isinstance(sid, str) and sid.startswith("GT"):
            self.running[task_sid] = f"{self.root}/Calls/{call_sid}/Transcriptions/{sid}.json"

    async def stop(self, task_sid: str) -> None:
        """Stop the task's transcription (its call moves on without this desk); nothing if none was started."""
        url = self.running.pop(task_sid, None)
        if url is None:
            return
        try:
            await self._post(url, data={"Status": "stopped"})
        except BackendError as error:
            log.warning("%s: the call's transcription was not stopped: %s", self.name, error.message)


@dataclass
class _Track:
    open_index: int | None = None  # the line being heard on it
    started_at: datetime | None = None
    last_final: int = 0  # the SequenceId of its last final line
    newest: int = 0  # the SequenceId of the newest version read of the open line


# What the agent is told when Twilio's transcription of their call ends without the desk asking.
STOPPED = "Transcription stopped by Twilio: nothing more said on this call is shown."
FAILED = "Transcription failed on Twilio's side: what is said from here may not be shown."


@dataclass
class TranscriptLines:
    """The relay's transcription events of this desk's calls as lines: each version of a line under one index."""

    tracks: dict[tuple[str, str, str], _Track] = field(default_factory=dict)  # (task, transcription, role) → …

    def read(
        self, params: dict[str, str], agent_name: str, event_id: int | None = None, *, held: bool = False
    ) -> TranscriptionEvent | None:
        """The line a relayed `transcription` event is a version of (None: unreadable; a version already read or
        older than one read: a late interim, Twilio retrying a callback, a replay; the agent's track while the
        customer is on hold: `held`, what they hear is the hold music, not the agent)."""
        task, role, sequence = params.get("TaskSid", ""), params.get("Role", ""), params.get("SequenceId", "")
        if not task.startswith("WT") or not sequence.isdigit():
            return None
        if role == SYSTEM:
            return self._status(params, task, int(sequence), event_id)
        if role not in ROLES or (held and role == "agent"):
            return None
        seq, final, at = int(sequence), params.get("Final") == "true", _when(params.get("Timestamp"))
        key = (task, params.get("TranscriptionSid", ""), role)
        track = self.tracks.setdefault(key, _Track())
        if seq <= track.last_final or (not final and seq <= track.newest):
            return None
        track.newest = max(track.newest, seq)
        if track.open_index is None:
            track.open_index, track.started_at = seq * 2 + ROLES.index(role), at
        index, started = track.open_index, track.started_at
        if final:
            track.open_index, track.started_at, track.last_final = None, None, seq
        self._forget_old()
        return TranscriptionEvent(
            event_id=event_id,
            contact_id=task,
            line=TranscriptionLine(
                id=f"{task}:{index}",
                contact_id=task,
                index=index,
                role=role,
                display_name=CALLER if role == "customer" else agent_name,
                text=params.get("Text", ""),
                final=final,
                started_at=started,
                at=at,
            ),
        )

    def _status(self, params: dict[str, str], task: str, seq: int, event_id: int | None) -> TranscriptionEvent | None:
        """The transcription stopped or failed: the system's line saying so, once (a stop this desk asked for is
        dropped before it gets here: relay/relay_events.py)."""
        status = params.get("Status")
        key = (task, params.get("TranscriptionSid", ""), SYSTEM)
        track = self.tracks.setdefault(key, _Track())
        if status not in ("stopped", "error") or seq <= track.last_final:
            return None
        track.last_final = seq
        said = STOPPED if status == "stopped" else FAILED
        why = params.get("Text", "").strip()
        at = _when(params.get("Timestamp"))
        return TranscriptionEvent(
            event_id=event_id,
            contact_id=task,
            line=TranscriptionLine(
                id=f"{task}:{seq * 2}",
                contact_id=task,
                index=seq * 2,  # no content line began at this SequenceId: its own index
                role=SYSTEM,
                display_name="Twilio",
                text=f"{said} ({why})" if why else said,
                final=True,
                at=at,
            ),
        )

    def _forget_old(self) -> None:
        while len(self.tracks) > CLOSED_KEPT * 2:
            self.tracks.pop(next(iter(self.tracks)))


def _when(timestamp: str | None) -> datetime:
    """Twilio's `Timestamp` (ISO 8601); the desk's clock where it is missing or unreadable."""
    try:
        at = datetime.fromisoformat((timestamp or "").strip())
    except ValueError:
        return datetime.now(UTC)
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)
