"""The people behind XMPP addresses: names, titles, departments, skills, read from a TOML or JSON file.

An XMPP server knows who is online, not who is a billing expert. This file fills that in::

    [[people]]
    jid = "ana.ruiz@example.com"
    name = "Ana Ruiz"
    title = "Billing Team Lead"
    department = "Billing"
    skills = ["billing", "refunds"]
    languages = ["en", "es"]
    time_zone = "Europe/Madrid"
    address = "sip:ana.ruiz@example.com"   # where the contact center transfers to

JSON is the same shape (`{"people": [...]}`). Keys are matched on the bare JID, ignoring case.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from agent_desktop.local.paths import DIRECTORY_FILE_BYTES, DocumentError, LocalPathError, read_json, read_toml


class DirectoryEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    jid: str = Field(pattern=r"^[^@/\s]+@[^@/\s]+$")
    name: str | None = None
    title: str | None = None
    department: str | None = None
    skills: list[str] = []
    languages: list[str] = []
    time_zone: str | None = None
    address: str | None = None

    @field_validator("jid")
    @classmethod
    def _bare_lower(cls, jid: str) -> str:
        return jid.lower()


class _DirectoryFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    people: list[DirectoryEntry] = []


def load_directory_file(path: Path) -> dict[str, DirectoryEntry]:
    """Entries by bare JID; ValueError with a one-line reason for a missing or malformed file."""
    read = read_json if path.suffix.lower() == ".json" else read_toml
    try:
        raw = read(path, limit=DIRECTORY_FILE_BYTES)  # by the local paths' rule: owner, mode, size, nesting
    except LocalPathError as error:
        raise ValueError(f"cannot read {path}: {error.reason}") from None
    except DocumentError as error:
        raise ValueError(f"{path}: {' '.join(str(error).split())}") from None
    try:
        parsed = _DirectoryFile.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ValueError(f"{path}: {where}: {first['msg']}") from None
    return {entry.jid: entry for entry in parsed.people}
