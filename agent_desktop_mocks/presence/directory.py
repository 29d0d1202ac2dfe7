"""The people table, and changing someone's presence (stored, then published as an event)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated, Any, cast

import sqlite_utils
from fastapi import Depends, Request

from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.common.clock import Clock
from agent_desktop_mocks.common.event_log import EventLog
from agent_desktop_mocks.presence.schemas import (
    AVAILABILITY_RANK,
    DEFAULT_ACTIVITY,
    Availability,
    Expert,
    Presence,
    PresenceEvent,
    PresenceUpdate,
)

TOPIC = "presence"


@dataclass
class Directory:
    """The presence server's state, kept on `app.state.directory`."""

    settings: MockSettings
    db: sqlite_utils.Database
    clock: Clock
    events: EventLog

    def create_tables(self) -> None:
        if "people" in self.db.table_names():
            return
        self.db.table("people").create(
            {
                "id": str,
                "name": str,
                "title": str,
                "department": str,
                "skills": str,
                "languages": str,
                "time_zone": str,
                "address": str,
                "availability": str,
                "activity": str,
                "status_message": str,
                "changed_at": str,
            },
            pk="id",
        )

    def is_empty(self) -> bool:
        empty: int = self.db.execute("select not exists (select 1 from people)").fetchone()[0]  # sqlite rows are Any
        return empty == 1

    def people(
        self,
        *,
        q: str | None = None,
        skill: str | None = None,
        department: str | None = None,
        availability: Availability | None = None,
        limit: int | None = None,
    ) -> list[Expert]:
        """People matching every filter given, free people first and by name within each group.

        Filtering and ordering run in SQLite, so a search of a large directory builds
        models only for the people it returns.
        """
        where, params = ["1"], list[str | int]()
        if q:
            needle = q.strip().lower()
            where.append(
                "(instr(lower(name), ?) or instr(lower(coalesce(title, '')), ?)"
                " or instr(lower(coalesce(department, '')), ?)"
                " or exists (select 1 from json_each(people.skills) where instr(lower(value), ?)))"
            )
            params += [needle] * 4
        if skill:
            where.append("exists (select 1 from json_each(people.skills) where lower(value) = ?)")
            params.append(skill.strip().lower())
        if department:
            where.append("lower(coalesce(department, '')) = ?")
            params.append(department.strip().lower())
        if availability:
            where.append("availability = ?")
            params.append(availability.value)
        rank = " ".join(f"when '{a.value}' then {r}" for a, r in AVAILABILITY_RANK.items())
        sql = f"select * from people where {' and '.join(where)} order by case availability {rank} else 3 end, lower(name), id"
        if limit is not None:
            sql += " limit ?"
            params.append(limit)
        return [_expert(row) for row in self.db.query(sql, params)]

    def ids(self) -> list[str]:
        return [row[0] for row in self.db.execute("select id from people order by id").fetchall()]

    def person(self, person_id: str) -> Expert | None:
        rows = list(self.db.query("select * from people where id = ?", [person_id]))
        return _expert(rows[0]) if rows else None

    def set_presence(self, person_id: str, update: PresenceUpdate) -> Expert | None:
        """Store a new presence and publish it on the `presence` topic; None for an unknown person."""
        presence = Presence(
            availability=update.availability,
            activity=update.activity or DEFAULT_ACTIVITY[update.availability],
            status_message=update.status_message,
            changed_at=self.clock.now(),
        )
        with self.db.conn:
            cursor = self.db.conn.execute(
                "update people set availability = ?, activity = ?, status_message = ?, changed_at = ? where id = ?",
                [
                    presence.availability.value,
                    presence.activity.value if presence.activity else None,
                    presence.status_message,
                    presence.changed_at.isoformat(),
                    person_id,
                ],
            )
        if cursor.rowcount == 0:
            return None
        event = PresenceEvent(person_id=person_id, presence=presence)
        self.events.publish([TOPIC], "presence", event.model_dump(mode="json"))
        return self.person(person_id)


def _expert(row: dict[str, Any]) -> Expert:
    return Expert(
        id=row["id"],
        name=row["name"],
        title=row["title"],
        department=row["department"],
        skills=json.loads(row["skills"] or "[]"),
        languages=json.loads(row["languages"] or "[]"),
        time_zone=row["time_zone"],
        address=row["address"],
        presence=Presence(
            availability=row["availability"],
            activity=row["activity"],
            status_message=row["status_message"],
            changed_at=row["changed_at"],
        ),
    )


def _directory(request: Request) -> Directory:
    # Starlette types app.state as Any: the app's set-up put this there.
    return cast(Directory, request.app.state.directory)


DirectoryDep = Annotated[Directory, Depends(_directory)]
