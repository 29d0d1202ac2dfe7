"""The outbox's SQLite file: one row per CRM write, keyed by the Idempotency-Key it is sent with.

A row is committed before anything is sent, so a crash, an outage or a slow CRM
delays a write but cannot lose it; the key makes a resend after a lost answer
harmless (the CRM replays its first answer). Thread-safe: the UI calls it from
worker threads.

Whoever sends the outbox listens to it (`when_written`): a write queued wakes its sender from the thread that
wrote it, so no desk has to pass the news on.

The file and its `-wal`/`-shm` are 0600 in a 0700 folder (agent_desktop/local/paths.py): they hold whole
transcripts, private notes, names and addresses. The outbox keeps WAL (a write is one append and one
fsync, and the sender reads while the UI adds) with `secure_delete` on, so a row replaced or changed
is zeroed in the database file; a checkpoint(TRUNCATE) after a write that replaces content (a payload
fixed, an entry delivered) empties the `-wal`, which would otherwise keep the older version of the page
until SQLite reuses it. Payloads are PCI-masked before the first write (pci_fields), so neither
mechanism is what keeps card numbers off the disk: they keep old versions of the text from lingering.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from agent_desktop.domain.outbox_counts import OutboxCounts
from agent_desktop.domain.pci import mask_pci
from agent_desktop.local.paths import LocalPathError, connect_private_sqlite, private_folder
from agent_desktop.local.places import default_outbox_file
from agent_desktop.outbox.payloads import OutboxPayload, payload_of, read_payload, stored_json
from agent_desktop.outbox.pci_fields import masked_payload


class EntryState(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    # On disk, not to be sent yet: a blind transfer's record, written before the transfer is asked for and released
    # once it is made (discarded if it is not). Never sent, counted or listed while held.
    HELD = "held"


class EntryKind(StrEnum):
    INTERACTION = "interaction"
    NOTE = "note"
    CASE_CREATE = "case_create"
    CASE_LINK = "case_link"
    SUPERVISION = "supervision"  # the supervisor's desk's: who monitored a contact and when
    EVALUATION = "evaluation"  # the supervisor's desk's: a quality evaluation it released
    FOLLOW_UP = "follow_up"  # the agent's: an SMS or email to a customer, then its outcome to the CRM
    CONSENT_WITHDRAWAL = "consent_withdrawal"  # the customer texted STOP: their SMS consent withdrawn


# The kinds this desk knows how to send. An entry of another kind (written by a newer desk sharing the file) is
# left where it is for the desk that knows it: not sent, listed or counted here, and never a crash at start.
KNOWN_KINDS = "kind in (" + ", ".join(f"'{kind.value}'" for kind in EntryKind) + ")"

# The agent's desk counts and lists its own writes only: a supervision record is the supervisor's desk's (in the
# demo both desks share the outbox), and says who monitored the agent, which they are not told unannounced.
AGENT_VIEW = "kind not in ('supervision', 'evaluation') and state != 'held'"


@dataclass(frozen=True)
class OutboxEntry:
    key: str
    kind: EntryKind
    contact_id: str | None
    payload: OutboxPayload  # the kind's model (agent_desktop/outbox/payloads.py)
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


class Outbox:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db = _open(path)
        self._db.row_factory = sqlite3.Row
        self._listeners: list[Callable[[], None]] = []

    def when_written(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Call `listener()` after each write queued to send (added, a held one released, or a refused one sent
        again), in the thread that wrote it, once it is committed; returns what stops it."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def _tell_written(self) -> None:
        for listener in list(self._listeners):
            listener()

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
        cut: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    ) -> OutboxEntry:
        """Store a write to send (its kind's model, or that model's JSON). With `dedupe`, a second add of the same
        write returns the first entry. `held`: on disk but not sent until `release` (or dropped by `discard`).

        The one way into the outbox, so the one place its free text (and label) is PCI-masked: nobody masks a write
        before adding it (`tests/unit/outbox/test_outbox_masks_once.py`). `earlier_customer`: the customer's lines of their
        previous interaction, which a card number split between the two is masked against (pci_fields). `cut`: what
        the masked JSON becomes before it is stored (a wrap-up fitted to the CRM's limits): a line is cut after it is
        masked, or a line cut short could keep half a card number the masker would no longer know."""
        stored, label = self._masked(kind, payload, earlier_customer), mask_pci(label)
        if cut is not None:
            stored = stored_json(payload_of(kind, cut(stored)))
        key = f"{kind.value}-{contact_id or 'none'}-{uuid.uuid4()}"
        state = EntryState.HELD if held else EntryState.PENDING
        with self._lock:
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

    def customer_lines_before(
        self, customer_id: str | None, address: str | None, contact_id: str, after: datetime | None = None
    ) -> list[str]:
        """The customer's lines (as stored, masked) of their latest interaction in this outbox other than
        `contact_id`'s: by customer id, else by the address they came from; only one added after `after` (a newer
        conversation the CRM holds wins). [] when there is none."""
        key, path = (customer_id, "$.customer_id") if customer_id else (address, "$.address")
        if not key:
            return []
        since = after.astimezone(UTC).isoformat(timespec="microseconds") if after is not None else ""
        with self._lock:
            row = self._db.execute(
                f"select payload from outbox where kind = 'interaction' and json_extract(payload, '{path}') = ?"
                " and coalesce(contact_id, '') != ? and created_at > ? order by created_at desc limit 1",
                [key, contact_id, since],
            ).fetchone()
        transcript = json.loads(row["payload"]).get("interaction", {}).get("transcript") if row else None
        if not isinstance(transcript, list):
            return []
        return [
            line["text"]
            for line in transcript
            if isinstance(line, dict) and line.get("role") == "customer" and isinstance(line.get("text"), str)
        ]

    def release(self, key: str) -> None:
        """A held entry is to be sent now (what it records happened)."""
        with self._lock:
            self._db.execute(
                "update outbox set state = 'pending', next_attempt_at = 0 where key = ? and state = 'held'", [key]
            )
        self._tell_written()

    def discard(self, key: str) -> None:
        """A held entry is dropped unsent (what it would record did not happen)."""
        with self._lock:
            self._db.execute("delete from outbox where key = ? and state = 'held'", [key])
            self._drop_old_versions()

    def held_links(self, contact_id: str) -> list[OutboxEntry]:
        """The case links held for a contact (CrmCapabilities.link_with_wrap_up), oldest first."""
        with self._lock:
            rows = self._db.execute(
                "select * from outbox where state = 'held' and kind = 'case_link' and contact_id = ?"
                " order by created_at",
                [contact_id],
            ).fetchall()
        return [OutboxEntry.from_row(row) for row in rows]

    def settle_links(self, contact_id: str, merged_case_id: str | None) -> None:
        """The contact's held case links once its wrap-up is on its way: the one it carries (`merged_case_id`)
        dropped, any other sent on its own."""
        with self._lock:
            self._db.execute("begin immediate")  # both or neither: a link is never dropped and not sent
            try:
                self._db.execute(
                    "delete from outbox where state = 'held' and kind = 'case_link' and contact_id = ?"
                    " and json_extract(payload, '$.case_id') is ?",
                    [contact_id, merged_case_id],
                )
                self._db.execute(
                    "update outbox set state = 'pending', next_attempt_at = 0"
                    " where state = 'held' and kind = 'case_link' and contact_id = ?",
                    [contact_id],
                )
            except BaseException:
                self._db.execute("rollback")
                raise
            self._db.execute("commit")
        self._tell_written()

    def held(self) -> list[OutboxEntry]:
        """The entries held (a desk that stopped between writing one and settling it left them)."""
        with self._lock:
            rows = self._db.execute(f"select * from outbox where state = 'held' and {KNOWN_KINDS}").fetchall()
        return [OutboxEntry.from_row(row) for row in rows]

    def get(self, key: str) -> OutboxEntry | None:
        with self._lock:
            row = self._db.execute("select * from outbox where key = ?", [key]).fetchone()
        return OutboxEntry.from_row(row) if row else None

    def due(self, now: float | None = None, limit: int = 20) -> list[OutboxEntry]:
        now = time.time() if now is None else now
        with self._lock:
            rows = self._db.execute(
                f"select * from outbox where state = 'pending' and next_attempt_at <= ? and {KNOWN_KINDS}"
                " order by next_attempt_at, created_at limit ?",
                [now, limit],
            ).fetchall()
        return [OutboxEntry.from_row(row) for row in rows]

    def bring_forward(self, latest: float) -> int:
        """Pending entries due after `latest` made due at `latest`: the wall clock went back (a due time further
        away than any wait the sender sets was set before the jump). How many."""
        with self._lock:
            changed = self._db.execute(
                "update outbox set next_attempt_at = ? where state = 'pending' and next_attempt_at > ?",
                [latest, latest],
            ).rowcount
        return changed

    def shift_due(self, seconds: float) -> None:
        """Every pending entry's due time moved by `seconds` (the wall clock jumped: the waits keep their length)."""
        with self._lock:
            self._db.execute(
                "update outbox set next_attempt_at = next_attempt_at + ? where state = 'pending'", [seconds]
            )

    def next_due_at(self) -> float | None:
        when: float | None  # the row's (sqlite rows are Any); None with nothing pending
        with self._lock:
            (when,) = self._db.execute(
                f"select min(next_attempt_at) from outbox where state = 'pending' and {KNOWN_KINDS}"
            ).fetchone()
        return when

    def update_payload(self, key: str, payload: OutboxPayload) -> None:
        with self._lock:
            self._db.execute("update outbox set payload = ? where key = ?", [json.dumps(stored_json(payload)), key])
            self._drop_old_versions()

    def mark_sent(self, key: str, result_id: str | None) -> None:
        with self._lock:
            self._db.execute(
                "update outbox set state = 'sent', sent_at = ?, result_id = ?, last_error = null,"
                " attempts = attempts + 1 where key = ?",
                [_now_iso(), result_id, key],
            )
            self._drop_old_versions()

    def mark_retry(self, key: str, error: str, next_attempt_at: float) -> None:
        with self._lock:
            self._db.execute(
                "update outbox set attempts = attempts + 1, last_error = ?, next_attempt_at = ? where key = ?",
                [error, next_attempt_at, key],
            )

    def mark_failed(self, key: str, error: str) -> None:
        """The CRM refused the write (a 4xx): resending the same request cannot help."""
        with self._lock:
            self._db.execute(
                "update outbox set state = 'failed', attempts = attempts + 1, last_error = ? where key = ?",
                [error, key],
            )

    def retry(self, key: str, payload: OutboxPayload | None = None) -> None:
        """The agent asks to try a failed write again (same key: still stored once), fixed with
        `payload` if given (a refused request does not use up its key at the CRM)."""
        entry = self.get(key) if payload is not None else None
        with self._lock:
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

    def counts(self) -> OutboxCounts:
        """The agent's writes by state (AGENT_VIEW)."""
        with self._lock:
            rows = self._db.execute(
                f"select state, count(*) from outbox where {AGENT_VIEW} and {KNOWN_KINDS} group by state"
            ).fetchall()
        return OutboxCounts(**dict(rows))

    def recent(self, limit: int = 50) -> list[OutboxEntry]:
        """The agent's writes (AGENT_VIEW): pending and failed first, then the latest sent."""
        with self._lock:
            rows = self._db.execute(
                f"select * from outbox where {AGENT_VIEW} and {KNOWN_KINDS}"
                " order by case state when 'failed' then 0 when 'pending' then 1 else 2 end,"
                " created_at desc limit ?",
                [limit],
            ).fetchall()
        return [OutboxEntry.from_row(row) for row in rows]

    def _drop_old_versions(self) -> None:
        """Copy the `-wal` into the database and empty it (under the lock): the older versions of the
        pages just rewritten leave the disk (secure_delete zeroes what the database file frees)."""
        self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        with self._lock:
            self._db.close()
