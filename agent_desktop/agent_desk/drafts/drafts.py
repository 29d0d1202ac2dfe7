"""Wrap-up drafts on disk, beside the outbox: a desktop killed in the middle of a wrap-up finds the
disposition and notes typed so far when it starts again. Notes go to disk PCI-masked (no card number or
security code is ever written to a file), in a file only this user can read. The same file keeps the Idempotency-Keys
of the desk's own writes whose answer has not come (agent_desk/retry_keys.py), so a restart does not change them."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from agent_desktop.agent_desk.private_sqlite import PrivateSqlite
from agent_desktop.domain.pci import mask_draft

_SCHEMA = """
create table if not exists drafts (
    contact_id text primary key,
    disposition text,
    notes text not null default '',
    saved_at real not null default 0
);
create table if not exists retry_keys (
    seq integer primary key autoincrement,
    kind text not null,
    write text not null,
    key text not null unique,
    route text
);
"""


@dataclass(frozen=True)
class Draft:
    disposition: str | None = None
    notes: str = ""

    @property
    def empty(self) -> bool:
        return self.disposition is None and not self.notes


def drafts_path_beside(outbox_path: Path) -> Path:
    return outbox_path.with_name(f"{outbox_path.stem}-drafts.db")


class DraftStore(PrivateSqlite):
    def __init__(self, path: Path) -> None:
        super().__init__(path, _SCHEMA)

    def load(self, keep_days: float = 7.0) -> dict[str, Draft]:
        """The drafts kept; those of contacts not seen for `keep_days` (completed elsewhere) are dropped."""
        with self._lock:
            self._db.execute("delete from drafts where saved_at < ?", [time.time() - keep_days * 86400])
            rows = self._db.execute("select contact_id, disposition, notes from drafts").fetchall()
        return {contact_id: Draft(disposition, notes) for contact_id, disposition, notes in rows}

    def save(self, contact_id: str, draft: Draft) -> None:
        with self._lock:
            self._db.execute(
                "insert or replace into drafts (contact_id, disposition, notes, saved_at) values (?, ?, ?, ?)",
                [contact_id, draft.disposition, mask_draft(draft.notes), time.time()],
            )

    def forget(self, contact_id: str) -> None:
        with self._lock:
            self._db.execute("delete from drafts where contact_id = ?", [contact_id])

    # --- the Idempotency-Keys of writes not answered yet (agent_desk/retry_keys.py) ---

    def unanswered_keys(self, kind: str) -> list[tuple[str, str, str | None]]:
        """(write digest, key, route) of each, oldest first."""
        with self._lock:
            rows = self._db.execute("select write, key, route from retry_keys where kind = ? order by seq", [kind])
            return rows.fetchall()

    def keep_key(self, kind: str, write: str, key: str, route: str | None, kept: int) -> None:
        """Kept (once), and no more than the `kept` newest of its kind."""
        with self._lock:
            self._db.execute(
                "insert or ignore into retry_keys (kind, write, key, route) values (?, ?, ?, ?)",
                [kind, write, key, route],
            )
            self._db.execute(
                "delete from retry_keys where kind = ? and seq not in "
                "(select seq from retry_keys where kind = ? order by seq desc limit ?)",
                [kind, kind, kept],
            )

    def let_key_go(self, key: str) -> None:
        with self._lock:
            self._db.execute("delete from retry_keys where key = ?", [key])
