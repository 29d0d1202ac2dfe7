"""The outbox's SQLite file: one row per CRM write, keyed by the Idempotency-Key it is sent with.

A row is committed before anything is sent, so a crash, an outage or a slow CRM
delays a write but cannot lose it; the key makes a resend after a lost answer
harmless (the CRM replays its first answer). One thread owns the connection
(`sqlite_thread.py`): every call runs there in turn, waited for by a thread that calls it (`Outbox`) or awaited
on the event loop (`Outbox.aio`, the async façade); what a write is, is its kind's to say (`kinds/`).

Whoever sends the outbox listens to it (`when_written`): a write queued wakes its sender from the outbox's
thread, so no desk has to pass the news on.

The file and its `-wal`/`-shm` are 0600 in a 0700 folder (agent_desktop/local/paths.py): they hold whole
transcripts, private notes, names and addresses. The outbox keeps WAL (a write is one append and one
fsync, and the sender reads while the UI adds) with `secure_delete` on, so a row replaced or changed
is zeroed in the database file; a checkpoint(TRUNCATE) after a write that replaces content (a payload
fixed, an entry delivered) empties the `-wal`, which would otherwise keep the older version of the page
until SQLite reuses it. Payloads are PCI-masked before the first write (pci_fields), so neither
mechanism is what keeps card numbers off the disk: they keep old versions of the text from lingering.
"""

from __future__ import annotations

import functools
import json
import sqlite3
import time
import uuid
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from agent_desktop.domain.outbox_counts import OutboxCounts
from agent_desktop.domain.pci import mask_pci
from agent_desktop.local.paths import LocalPathError, connect_private_sqlite, private_folder
from agent_desktop.local.places import default_outbox_file
from agent_desktop.outbox.kinds import KINDS
from agent_desktop.outbox.kinds import EntryKind as EntryKind  # (where callers have always found it)
from agent_desktop.outbox.kinds.kind import FitTo
from agent_desktop.outbox.payloads import OutboxPayload, payload_of, read_payload, stored_json
from agent_desktop.outbox.pci_fields import masked_payload
from agent_desktop.outbox.sqlite_thread import SqliteThread

P = ParamSpec("P")
T = TypeVar("T")


class EntryState(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    # On disk, not to be sent yet: a blind transfer's record, written before the transfer is asked for and released
    # once it is made (discarded if it is not). Never sent, counted or listed while held.
    HELD = "held"


# The kinds this desk knows how to send. An entry of another kind (written by a newer desk sharing the file) is
# left where it is for the desk that knows it: not sent, listed or counted here, and never a crash at start.
KNOWN_KINDS = "kind in (" + ", ".join(f"'{name}'" for name in KINDS) + ")"

# The agent's desk counts and lists its own writes only: a supervision record is the supervisor's desk's (in the
# demo both desks share the outbox), and says who monitored the agent, which they are not told unannounced.
AGENT_VIEW = "kind in (" + ", ".join(f"'{name}'" for name, kind in KINDS.items() if kind.agent_sees) + ")"
AGENT_VIEW += " and state != 'held'"


@dataclass(frozen=True)
class OutboxEntry:
    key: str
    kind: EntryKind
    contact_id: str | None
    payload: OutboxPayload  # the kind's model (agent_desktop/outbox/kinds/)
    state: EntryState
    attempts: int
    next_attempt_at: float
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None
    result_id: str | None
    label: str

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> OutboxEntry:
        return cls(
            key=row["key"],
            kind=EntryKind(row["kind"]),
            contact_id=row["contact_id"],
            payload=read_payload(row["kind"], row["payload"]),
            state=EntryState(row["state"]),
            attempts=row["attempts"],
            next_attempt_at=row["next_attempt_at"],
            last_error=row["last_error"],
            created_at=datetime.fromisoformat(row["created_at"]),
            sent_at=datetime.fromisoformat(row["sent_at"]) if row["sent_at"] else None,
            result_id=row["result_id"],
            label=row["label"] or "",
        )


_SCHEMA = """
create table if not exists outbox (
    key text primary key,
    kind text not null,
    contact_id text,
    dedupe text unique,
    payload text not null,
    state text not null default 'pending',
    attempts integer not null default 0,
    next_attempt_at real not null default 0,
    last_error text,
    created_at text not null,
    sent_at text,
    result_id text,
    label text
);
create index if not exists outbox_due on outbox (state, next_attempt_at);
"""


def default_outbox_path() -> Path:
    return default_outbox_file()


def _open(path: Path) -> sqlite3.Connection:
    """Open (or create) the outbox, or raise OutboxUnavailable: never a traceback, never a clobbered file."""
    if path.is_dir():
        raise OutboxUnavailable(f"{path}: is a directory (give a file name, e.g. {path / 'outbox.db'})")
    try:
        private_folder(path.parent, tighten_existing=path.parent == default_outbox_path().parent)
    except LocalPathError as error:  # a folder of someone else's, or others can write in, or a link: refused
        raise OutboxUnavailable(f"{path}: cannot be created ({error})") from None
    try:
        db = connect_private_sqlite(path, check_same_thread=False, isolation_level=None)
    except LocalPathError as error:  # a file of someone else's, a link, a FIFO: refused, left untouched
        raise OutboxUnavailable(f"{path}: cannot be used ({error})") from None
    except OSError as error:
        raise OutboxUnavailable(f"{path}: cannot be created ({error.strerror or error})") from None
    except sqlite3.Error as error:
        raise OutboxUnavailable(f"{path}: cannot be created ({error})") from None
    try:
        # Reading the schema first: a file that is not SQLite fails here, before anything writes to it.
        db.execute("select count(*) from sqlite_master").fetchone()
        db.execute("PRAGMA secure_delete=ON")
        db.execute("PRAGMA journal_mode=WAL")
        # FULL: a committed write survives the desktop being killed, and the machine losing power.
        db.execute("PRAGMA synchronous=FULL")
        db.execute("PRAGMA busy_timeout=5000")
        db.executescript(_SCHEMA)
    except sqlite3.DatabaseError as error:
        db.close()
        if "not a database" in str(error):
            raise OutboxUnavailable(
                f"{path}: not an SQLite database ({error}); move it or choose another file"
            ) from None
        raise OutboxUnavailable(f"{path}: cannot be created ({error})") from None
    return db


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


class OutboxUnavailable(Exception):
    """The outbox file cannot be opened; the message is one line saying where and why."""


def on_its_thread(method: Callable[Concatenate[Outbox, P], T]) -> Callable[Concatenate[Outbox, P], T]:
    """`method` run on the outbox's thread (inline when called there already: a job calling the outbox again)."""

    @functools.wraps(method)
    def called(outbox: Outbox, /, *args: P.args, **kwargs: P.kwargs) -> T:
        return outbox._thread.call(lambda: method(outbox, *args, **kwargs))

    return called


class Outbox:
    """The outbox, called from any thread but the event loop's (which awaits `aio`): each call waits for its turn
    on the outbox's thread."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._thread = SqliteThread(lambda: _open(path), name=f"outbox {path.name}")
        self._db = self._thread.start_owning()
        self._db.row_factory = sqlite3.Row
        self._listeners: list[Callable[[], None]] = []
        self.aio = AsyncOutbox(self)
        # An outbox dropped unclosed (a test's) stops its thread, which closes the connection.
        weakref.finalize(self, self._thread.stop)

    def when_written(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Call `listener()` after each write queued to send (added, a held one released, or a refused one sent
        again), on the outbox's thread, once it is committed; returns what stops it."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def _tell_written(self) -> None:
        for listener in list(self._listeners):
            listener()

    @on_its_thread
    def add(
        self,
        kind: EntryKind,
        payload: OutboxPayload | dict[str, Any],
        *,
        contact_id: str | None = None,
        dedupe: str | None = None,
        label: str = "",
        held: bool = False,
        earlier_customer: Sequence[str] = (),
        fit: FitTo | None = None,
    ) -> OutboxEntry:
        """Store a write to send (its kind's model, or that model's JSON). With `dedupe`, a second add of the same
        write returns the first entry. `held`: on disk but not sent until `release` (or dropped by `discard`).

        The one way into the outbox, so the one place its free text (and label) is PCI-masked: nobody masks a write
        before adding it (`tests/unit/outbox/test_outbox_masks_once.py`). `earlier_customer`: the customer's lines of their
        previous interaction, which a card number split between the two is masked against (its kind's `masked`).
        `fit`: the backend's limits the masked JSON is fitted to by its kind before it is stored (a wrap-up): a line
        is cut after it is masked, or a line cut short could keep half a card number the masker would no longer
        know."""
        stored, label = self._masked(kind, payload, earlier_customer), mask_pci(label)
        if fit is not None:
            stored = stored_json(payload_of(kind, KINDS[kind].fitted(stored, fit)))
        key = f"{kind.value}-{contact_id or 'none'}-{uuid.uuid4()}"
        state = EntryState.HELD if held else EntryState.PENDING
        self._db.execute(
            "insert or ignore into outbox (key, kind, contact_id, dedupe, payload, state, created_at, label)"
            " values (?, ?, ?, ?, ?, ?, ?, ?)",
            [key, kind.value, contact_id, dedupe, json.dumps(stored), state.value, _now_iso(), label],
        )
        where, params = ("dedupe = ?", [dedupe]) if dedupe else ("key = ?", [key])
        row = self._db.execute(f"select * from outbox where {where}", params).fetchone()
        if not held:
            self._tell_written()
        return OutboxEntry.from_row(row)

    @staticmethod
    def _masked(
        kind: EntryKind, payload: OutboxPayload | dict[str, Any], earlier_customer: Sequence[str] = ()
    ) -> dict[str, Any]:
        """The JSON stored for `payload`: its kind's model's, free text masked (read back as that model)."""
        return masked_payload(kind, stored_json(payload_of(kind, payload)), earlier_customer)

    @on_its_thread
    def latest_json(
        self, kind: EntryKind, field: str, value: str, other_than: str, after: datetime | None = None
    ) -> dict[str, Any] | None:
        """The stored JSON of the latest write of `kind` whose top-level `field` is `value`, of a contact other than
        `other_than`, added after `after` (None: whenever); None when there is none."""
        since = after.astimezone(UTC).isoformat(timespec="microseconds") if after is not None else ""
        row = self._db.execute(
            "select payload from outbox where kind = ? and json_extract(payload, '$.' || ?) = ?"
            " and coalesce(contact_id, '') != ? and created_at > ? order by created_at desc limit 1",
            [kind.value, field, value, other_than, since],
        ).fetchone()
        stored: dict[str, Any] | None = json.loads(row["payload"]) if row else None
        return stored

    @on_its_thread
    def release(self, key: str) -> None:
        """A held entry is to be sent now (what it records happened)."""
        self._db.execute(
            "update outbox set state = 'pending', next_attempt_at = 0 where key = ? and state = 'held'", [key]
        )
        self._tell_written()

    @on_its_thread
    def discard(self, key: str) -> None:
        """A held entry is dropped unsent (what it would record did not happen)."""
        self._db.execute("delete from outbox where key = ? and state = 'held'", [key])
        self._drop_old_versions()

    @on_its_thread
    def held_links(self, contact_id: str) -> list[OutboxEntry]:
        """The case links held for a contact (CrmCapabilities.link_with_wrap_up), oldest first."""
        rows = self._db.execute(
            "select * from outbox where state = 'held' and kind = ? and contact_id = ? order by created_at",
            [EntryKind.CASE_LINK.value, contact_id],
        ).fetchall()
        return [OutboxEntry.from_row(row) for row in rows]

    @on_its_thread
    def settle_links(self, contact_id: str, merged_case_id: str | None) -> None:
        """The contact's held case links once its wrap-up is on its way: the one it carries (`merged_case_id`)
        dropped, any other sent on its own."""
        link = EntryKind.CASE_LINK.value
        self._db.execute("begin immediate")  # both or neither: a link is never dropped and not sent
        try:
            self._db.execute(
                "delete from outbox where state = 'held' and kind = ? and contact_id = ?"
                " and json_extract(payload, '$.case_id') is ?",
                [link, contact_id, merged_case_id],
            )
            self._db.execute(
                "update outbox set state = 'pending', next_attempt_at = 0"
                " where state = 'held' and kind = ? and contact_id = ?",
                [link, contact_id],
            )
        except BaseException:
            self._db.execute("rollback")
            raise
        self._db.execute("commit")
        self._tell_written()

    @on_its_thread
    def held(self) -> list[OutboxEntry]:
        """The entries held (a desk that stopped between writing one and settling it left them)."""
        rows = self._db.execute(f"select * from outbox where state = 'held' and {KNOWN_KINDS}").fetchall()
        return [OutboxEntry.from_row(row) for row in rows]

    @on_its_thread
    def get(self, key: str) -> OutboxEntry | None:
        row = self._db.execute("select * from outbox where key = ?", [key]).fetchone()
        return OutboxEntry.from_row(row) if row else None

    @on_its_thread
    def due(self, now: float | None = None, limit: int = 20) -> list[OutboxEntry]:
        now = time.time() if now is None else now
        rows = self._db.execute(
            f"select * from outbox where state = 'pending' and next_attempt_at <= ? and {KNOWN_KINDS}"
            " order by next_attempt_at, created_at limit ?",
            [now, limit],
        ).fetchall()
        return [OutboxEntry.from_row(row) for row in rows]

    @on_its_thread
    def bring_forward(self, latest: float) -> int:
        """Pending entries due after `latest` made due at `latest`: the wall clock went back (a due time further
        away than any wait the sender sets was set before the jump). How many."""
        changed: int = self._db.execute(
            "update outbox set next_attempt_at = ? where state = 'pending' and next_attempt_at > ?",
            [latest, latest],
        ).rowcount
        return changed

    @on_its_thread
    def shift_due(self, seconds: float) -> None:
        """Every pending entry's due time moved by `seconds` (the wall clock jumped: the waits keep their length)."""
        self._db.execute("update outbox set next_attempt_at = next_attempt_at + ? where state = 'pending'", [seconds])

    @on_its_thread
    def next_due_at(self) -> float | None:
        when: float | None  # the row's (sqlite rows are Any); None with nothing pending
        (when,) = self._db.execute(
            f"select min(next_attempt_at) from outbox where state = 'pending' and {KNOWN_KINDS}"
        ).fetchone()
        return when

    @on_its_thread
    def update_payload(self, key: str, payload: OutboxPayload) -> None:
        self._db.execute("update outbox set payload = ? where key = ?", [json.dumps(stored_json(payload)), key])
        self._drop_old_versions()

    @on_its_thread
    def mark_sent(self, key: str, result_id: str | None) -> None:
        self._db.execute(
            "update outbox set state = 'sent', sent_at = ?, result_id = ?, last_error = null,"
            " attempts = attempts + 1 where key = ?",
            [_now_iso(), result_id, key],
        )
        self._drop_old_versions()

    @on_its_thread
    def mark_retry(self, key: str, error: str, next_attempt_at: float) -> None:
        self._db.execute(
            "update outbox set attempts = attempts + 1, last_error = ?, next_attempt_at = ? where key = ?",
            [error, next_attempt_at, key],
        )

    @on_its_thread
    def mark_failed(self, key: str, error: str) -> None:
        """The CRM refused the write (a 4xx): resending the same request cannot help."""
        self._db.execute(
            "update outbox set state = 'failed', attempts = attempts + 1, last_error = ? where key = ?",
            [error, key],
        )

    @on_its_thread
    def retry(self, key: str, payload: OutboxPayload | None = None) -> None:
        """The agent asks to try a failed write again (same key: still stored once), fixed with
        `payload` if given (a refused request does not use up its key at the CRM)."""
        entry = self.get(key) if payload is not None else None
        if entry is not None and payload is not None:
            self._db.execute(
                "update outbox set payload = ? where key = ? and state = 'failed'",
                [json.dumps(self._masked(entry.kind, payload)), key],
            )
        self._db.execute(
            "update outbox set state = 'pending', next_attempt_at = 0 where key = ? and state = 'failed'", [key]
        )
        if payload is not None:
            self._drop_old_versions()
        self._tell_written()

    @on_its_thread
    def counts(self) -> OutboxCounts:
        """The agent's writes by state (AGENT_VIEW)."""
        rows = self._db.execute(
            f"select state, count(*) from outbox where {AGENT_VIEW} and {KNOWN_KINDS} group by state"
        ).fetchall()
        return OutboxCounts(**dict(rows))

    @on_its_thread
    def recent(self, limit: int = 50) -> list[OutboxEntry]:
        """The agent's writes (AGENT_VIEW): pending and failed first, then the latest sent."""
        rows = self._db.execute(
            f"select * from outbox where {AGENT_VIEW} and {KNOWN_KINDS}"
            " order by case state when 'failed' then 0 when 'pending' then 1 else 2 end,"
            " created_at desc limit ?",
            [limit],
        ).fetchall()
        return [OutboxEntry.from_row(row) for row in rows]

    def _drop_old_versions(self) -> None:
        """Copy the `-wal` into the database and empty it (on the outbox's thread): the older versions of the
        pages just rewritten leave the disk (secure_delete zeroes what the database file frees)."""
        self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        """Closed once what was asked of it is done (the connection closes on its thread)."""
        self._thread.stop()


class AsyncOutbox:
    """The outbox awaited from the event loop: each call runs on the outbox's thread, no worker thread waits."""

    def __init__(self, outbox: Outbox) -> None:
        self._outbox = weakref.proxy(outbox)  # (the outbox holds its façade: no cycle to keep it alive)

    async def run(self, work: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """`work(*args, **kwargs)` run on the outbox's thread as one job (a wrap-up's reads and writes in turn)."""
        done: T = await self._outbox._thread.run_async(lambda: work(*args, **kwargs))
        return done

    async def get(self, key: str) -> OutboxEntry | None:
        return await self.run(self._outbox.get, key)

    async def due(self, now: float | None = None) -> list[OutboxEntry]:
        return await self.run(self._outbox.due, now)

    async def next_due_at(self) -> float | None:
        return await self.run(self._outbox.next_due_at)

    async def bring_forward(self, latest: float) -> int:
        return await self.run(self._outbox.bring_forward, latest)

    async def shift_due(self, seconds: float) -> None:
        await self.run(self._outbox.shift_due, seconds)

    async def update_payload(self, key: str, payload: OutboxPayload) -> None:
        await self.run(self._outbox.update_payload, key, payload)

    async def mark_sent(self, key: str, result_id: str | None) -> None:
        await self.run(self._outbox.mark_sent, key, result_id)

    async def mark_retry(self, key: str, error: str, next_attempt_at: float) -> None:
        await self.run(self._outbox.mark_retry, key, error, next_attempt_at)

    async def mark_failed(self, key: str, error: str) -> None:
        await self.run(self._outbox.mark_failed, key, error)

    async def retry(self, key: str, payload: OutboxPayload | None = None) -> None:
        await self.run(self._outbox.retry, key, payload)

    async def held(self) -> list[OutboxEntry]:
        return await self.run(self._outbox.held)

    async def recent(self) -> list[OutboxEntry]:
        return await self.run(self._outbox.recent)

    async def counts(self) -> OutboxCounts:
        return await self.run(self._outbox.counts)
