"""The presence directory over XMPP (slixmpp): the roster's presence, with skills from a directory file.

The desktop logs in as its own account; every roster contact is a person in the
directory. XMPP presence (RFC 6121) maps to Microsoft Graph's like this:

    show none or chat -> Available       away -> Away
    show xa           -> Away (OffWork)  dnd  -> DoNotDisturb
    type unavailable  -> Offline         the status text is kept

With several resources online, the combined presence follows Graph's rule:
DoNotDisturb > Busy > Available > Away > Offline. Chat messages to and from roster
contacts are the expert messages.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from itertools import count

import slixmpp

from agent_desktop.adapters.xmpp.directory_file import DirectoryEntry
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.models import Availability, Expert, ExpertMessage, ExpertMessageEvent, Presence, PresenceEvent
from agent_desktop.domain.streams.link_status import LinkStatus

log = logging.getLogger(__name__)

# show -> (availability, activity)
_SHOW = {
    "": (Availability.AVAILABLE, "Available"),
    "chat": (Availability.AVAILABLE, "Available"),
    "away": (Availability.AWAY, "Away"),
    "xa": (Availability.AWAY, "OffWork"),
    "dnd": (Availability.DO_NOT_DISTURB, "DoNotDisturb"),
}
_OFFLINE = (Availability.OFFLINE, "Offline")
# Graph's rule for combining sessions: the first wins.
_COMBINE = [Availability.DO_NOT_DISTURB, Availability.BUSY, Availability.AVAILABLE, Availability.AWAY]
_NOT_PRESENCE = {"subscribe", "subscribed", "unsubscribe", "unsubscribed", "probe", "error"}


def presence_from_show(
    show: str | None, status: str | None, changed_at: datetime, *, unavailable: bool = False
) -> Presence:
    availability, activity = _OFFLINE if unavailable else _SHOW.get(show or "", _SHOW[""])
    return Presence(availability=availability, activity=activity, status_message=status or None, changed_at=changed_at)


def combine(sessions: list[Presence], changed_at: datetime) -> Presence:
    """One person's presence from the presences of their online resources."""
    if not sessions:
        return presence_from_show(None, None, changed_at, unavailable=True)
    rank = {availability: i for i, availability in enumerate(_COMBINE)}
    return min(sessions, key=lambda p: (rank.get(p.availability, len(rank)), -p.changed_at.timestamp()))


class XmppPresenceDirectory:
    """A `PresenceDirectory` reading roster presence from an XMPP server."""

    name = "presence"

    def __init__(
        self,
        jid: str,
        password: str,
        *,
        host: str,
        port: int = 5222,
        tls: str = "starttls",
        directory: dict[str, DirectoryEntry] | None = None,
        timeout_s: float = 5.0,
        retry_initial_s: float = 0.25,
        retry_max_s: float = 5.0,
    ) -> None:
        self._jid, self._password = jid, password
        self._host, self._port, self._tls = host, port, tls
        self._directory = directory or {}
        self._timeout_s = timeout_s
        self._retry_initial_s, self._retry_max_s = retry_initial_s, retry_max_s
        self._client: slixmpp.ClientXMPP | None = None
        self._online = asyncio.Event()
        self._queue: asyncio.Queue[PresenceEvent | ExpertMessageEvent | LinkStatus] = asyncio.Queue()
        self._sessions: dict[str, dict[str, Presence]] = {}  # bare jid -> resource -> presence
        self._presence: dict[str, Presence] = {}  # bare jid -> combined presence
        self._roster: dict[str, str] = {}  # bare jid -> roster name
        self._message_ids = count(1)
        self._closed = False
        self._reported_down = False

    # --- PresenceDirectory -------------------------------------------------------

    async def list_experts(self, query: str = "", skill: str | None = None) -> list[Expert]:
        await self._ensure_online()
        needle, wanted = query.strip().lower(), (skill or "").strip().lower()
        experts = [self._expert(jid) for jid in sorted(set(self._roster) | set(self._directory)) if jid != self._bare]
        if needle:
            experts = [e for e in experts if _matches(e, needle)]
        if wanted:
            experts = [e for e in experts if wanted in (s.lower() for s in e.skills)]
        order = {
            Availability.AVAILABLE: 0,
            Availability.AVAILABLE_IDLE: 0,
            Availability.OFFLINE: 2,
            Availability.UNKNOWN: 2,
        }
        return sorted(experts, key=lambda e: (order.get(e.presence.availability, 1), e.name.lower(), e.id))

    async def send_message(self, person_id: str, text: str, sender: str | None = None) -> ExpertMessage:
        await self._ensure_online()
        assert self._client is not None
        jid = person_id.lower()
        if jid not in self._roster and jid not in self._directory:
            raise BackendError(self.name, f"404 no person {person_id}", 404)
        self._client.send_message(mto=slixmpp.JID(jid), mbody=text, mtype="chat")
        message = ExpertMessage(
            id=f"x-{next(self._message_ids)}",
            person_id=jid,
            direction="outbound",
            text=text,
            sender=sender,
            sent_at=_now(),
        )
        self._queue.put_nowait(ExpertMessageEvent(message=message))
        return message

    async def events(self) -> AsyncIterator[PresenceEvent | ExpertMessageEvent | LinkStatus]:
        """Presence changes and messages, forever: a lost connection is reported and retried."""
        self._start()
        while True:
            yield await self._queue.get()

    async def aclose(self) -> None:
        self._closed = True
        if self._client is not None:
            with contextlib.suppress(Exception):
                self._client.disconnect(wait=0.5)

    # --- the XMPP session ----------------------------------------------------------

    @property
    def _bare(self) -> str:
        return self._jid.split("/", 1)[0].lower()

    def _start(self) -> None:
        if self._client is None:
            self._client = self._new_client()
            self._client.connect(self._host, self._port)

    async def _ensure_online(self) -> None:
        self._start()
        try:
            await asyncio.wait_for(self._online.wait(), self._timeout_s)
        except TimeoutError:
            raise BackendError(self.name, f"cannot reach XMPP server {self._host}:{self._port}") from None

    def _new_client(self) -> slixmpp.ClientXMPP:
        client = slixmpp.ClientXMPP(self._jid, self._password)
        if self._tls == "none":
            client.enable_plaintext = True
            client.enable_starttls = False
            client.enable_direct_tls = False
            client.plugin["feature_mechanisms"].unencrypted_scram = True
        elif self._tls == "direct":
            client.enable_starttls = False
            client.enable_direct_tls = True
        client.add_event_handler("session_start", self._on_session_start)
        client.add_event_handler("presence", self._on_presence)
        client.add_event_handler("message", self._on_message)
        client.add_event_handler("roster_update", self._on_roster_update)
        client.add_event_handler("disconnected", self._on_disconnected)
        client.add_event_handler("connection_failed", self._on_connection_failed)
        client.add_event_handler("failed_auth", self._on_failed_auth)
        return client

    async def _on_session_start(self, _event: object) -> None:
        assert self._client is not None
        try:
            await self._client.get_roster(timeout=self._timeout_s)
        except Exception as error:  # noqa: BLE001 - a roster failure is a lost link, retried
            log.warning("roster request failed: %s", error)
            self._client.disconnect()
            return
        self._read_roster()
        self._client.send_presence()  # makes the server send every contact's current presence
        self._online.set()
        self._reported_down = False
        self._queue.put_nowait(LinkStatus(self.name, True))

    def _read_roster(self) -> None:
        assert self._client is not None
        roster = self._client.client_roster
        self._roster = {str(jid).lower(): roster[jid]["name"] or "" for jid in roster if str(jid).lower() != self._bare}

    def _on_roster_update(self, _iq: object) -> None:
        if self._client is not None:
            self._read_roster()

    def _on_presence(self, stanza: slixmpp.Presence) -> None:
        kind = stanza["type"]
        if kind in _NOT_PRESENCE:
            return
        sender = stanza["from"]
        bare, resource = str(sender.bare).lower(), sender.resource
        if bare == self._bare:
            return
        now = _now()
        sessions = self._sessions.setdefault(bare, {})
        if kind == "unavailable":
            sessions.pop(resource, None)
        else:
            sessions[resource] = presence_from_show(stanza["show"], stanza["status"], now)
        self._publish(bare, combine(list(sessions.values()), now))

    def _publish(self, bare: str, presence: Presence) -> None:
        before = self._presence.get(bare)
        if before is not None and before.model_dump(exclude={"changed_at"}) == presence.model_dump(
            exclude={"changed_at"}
        ):
            return
        self._presence[bare] = presence
        self._queue.put_nowait(PresenceEvent(person_id=bare, presence=presence))

    def _on_message(self, stanza: slixmpp.Message) -> None:
        if stanza["type"] not in ("chat", "normal") or not stanza["body"]:
            return
        bare = str(stanza["from"].bare).lower()
        if bare not in self._roster and bare not in self._directory:
            return  # strangers do not get to post on the agent's screen
        message = ExpertMessage(
            id=f"x-{next(self._message_ids)}",
            person_id=bare,
            direction="inbound",
            text=str(stanza["body"]),
            sender=self._expert(bare).name,
            sent_at=_now(),
        )
        self._queue.put_nowait(ExpertMessageEvent(message=message))

    def _on_disconnected(self, reason: object) -> None:
        if self._closed:
            return
        was_online = self._online.is_set()
        self._online.clear()
        self._sessions.clear()
        if was_online:
            self._reported_down = True
            self._queue.put_nowait(LinkStatus(self.name, False, str(reason) if reason else "disconnected"))
            # Everyone's presence is unknown until the server sends it again.
            self._presence.clear()
        asyncio.get_running_loop().create_task(self._reconnect())

    def _on_connection_failed(self, error: object) -> None:
        # slixmpp retries by itself; say so once per outage.
        if not self._reported_down:
            self._reported_down = True
            self._queue.put_nowait(LinkStatus(self.name, False, f"cannot reach {self._host}:{self._port}"))

    def _on_failed_auth(self, _event: object) -> None:
        self._queue.put_nowait(LinkStatus(self.name, False, "login refused"))

    async def _reconnect(self) -> None:
        delay = self._retry_initial_s
        while not self._closed and not self._online.is_set():
            await asyncio.sleep(delay)
            if self._closed or self._client is None:
                return
            self._client.connect(self._host, self._port)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._online.wait(), self._timeout_s)
            delay = min(delay * 2, self._retry_max_s)

    # --- people --------------------------------------------------------------------

    def _expert(self, jid: str) -> Expert:
        entry = self._directory.get(jid)
        presence = self._presence.get(jid)
        if presence is None:
            known = jid in self._roster
            presence = Presence(
                availability=Availability.OFFLINE if known else Availability.UNKNOWN,
                activity="Offline" if known else "PresenceUnknown",
                changed_at=_now(),
            )
        name = (entry.name if entry else None) or self._roster.get(jid) or jid
        return Expert(
            id=jid,
            name=name,
            title=entry.title if entry else None,
            department=entry.department if entry else None,
            skills=list(entry.skills) if entry else [],
            languages=list(entry.languages) if entry else [],
            time_zone=entry.time_zone if entry else None,
            address=entry.address if entry else None,
            presence=presence,
        )


def _matches(expert: Expert, needle: str) -> bool:
    fields = [expert.name, expert.id, expert.title or "", expert.department or "", *expert.skills]
    return any(needle in field.lower() for field in fields)


def _now() -> datetime:
    return datetime.now(UTC)
