"""The composer's unsent text and the private notes of each conversation, on disk beside the wrap-up
drafts: switching conversations, a crash or a restart loses nothing the agent typed. Text goes to disk
PCI-masked (as the wrap-up drafts do), in a file only this user can read."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

from agent_desktop.agent_desk.private_sqlite import PrivateSqlite
from agent_desktop.domain.pci import mask_draft, mask_pci
from agent_desktop.transcripts.conversation import PrivateNote

_SCHEMA = """
create table if not exists composer_drafts (
    contact_id text primary key,
    text text not null,
    saved_at real not null
);
create table if not exists private_notes (
    contact_id text not null,
    seq integer primary key autoincrement,
    text text not null,
    at text not null,
    saved_at real not null
);
"""


def conversation_drafts_path_beside(outbox_path: Path) -> Path:
    return outbox_path.with_name(f"{outbox_path.stem}-conversations.db")


class ConversationDraftStore(PrivateSqlite):
    def __init__(self, path: Path) -> None:
        super().__init__(path, _SCHEMA)

    def load(self, keep_days: float = 7.0) -> tuple[dict[str, str], dict[str, list[PrivateNote]]]:
        """The unsent texts and the notes kept; those of contacts not seen for `keep_days` are dropped."""
        cutoff = time.time() - keep_days * 86400
        with self._lock:
            self._db.execute("delete from composer_drafts where saved_at < ?", [cutoff])
            self._db.execute("delete from private_notes where saved_at < ?", [cutoff])
            drafts = dict(self._db.execute("select contact_id, text from composer_drafts").fetchall())
            rows = self._db.execute("select contact_id, text, at from private_notes order by seq").fetchall()
        notes: dict[str, list[PrivateNote]] = {}
        for contact_id, text, at in rows:
            notes.setdefault(contact_id, []).append(PrivateNote(text, datetime.fromisoformat(at)))
        return drafts, notes

    def save_draft(self, contact_id: str, text: str) -> None:
        with self._lock:
            if text:
                self._db.execute(
                    "insert or replace into composer_drafts (contact_id, text, saved_at) values (?, ?, ?)",
                    [contact_id, mask_draft(text), time.time()],
                )
            else:
                self._db.execute("delete from composer_drafts where contact_id = ?", [contact_id])

    def add_note(self, contact_id: str, note: PrivateNote) -> None:
        with self._lock:
            self._db.execute(
                "insert into private_notes (contact_id, text, at, saved_at) values (?, ?, ?, ?)",
                [contact_id, mask_pci(note.text), note.at.isoformat(), time.time()],
            )

    def forget(self, contact_id: str) -> None:
        with self._lock:
            self._db.execute("delete from composer_drafts where contact_id = ?", [contact_id])
            self._db.execute("delete from private_notes where contact_id = ?", [contact_id])
