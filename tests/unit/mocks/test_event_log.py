"""The mocks' event log: an event is written once with its topics, and a client that reconnects with the
last id it saw gets exactly what it missed, on each topic, from a log of this version or of the one before."""

from __future__ import annotations

from pathlib import Path

from agent_desktop_mocks.common.clock import Clock
from agent_desktop_mocks.common.event_log import EventLog
from agent_desktop_mocks.common.storage import open_database


async def missed(log: EventLog, topic: str, last_event_id: int) -> list[tuple[int, str]]:
    """(id, type) of what a client resuming from `last_event_id` is sent before the first heartbeat."""
    log.heartbeat_s = 0.01
    chunks = log.subscribe(topic, last_event_id)
    got = []
    try:
        async for chunk in chunks:
            if chunk.startswith(": heartbeat"):
                break
            fields = dict(line.split(": ", 1) for line in chunk.splitlines() if line and not line.startswith(":"))
            if fields:
                got.append((int(fields["id"]), fields["event"]))
    finally:
        await chunks.aclose()
    return got


async def test_each_topic_resumes_with_exactly_what_it_missed_and_the_event_is_stored_once(tmp_path: Path) -> None:
    log = EventLog(open_database(tmp_path, "log", fresh=True), Clock())
    seen = log.publish(["supervisor", "agent:a1"], "agent_state", {"state": "available"})
    offer = log.publish(["supervisor", "agent:a1"], "offer", {"offer": "o-1"})
    log.publish(["supervisor"], "contact", {"contact": "c-2"})
    log.publish(["supervisor", "agent:a2"], "offer", {"offer": "o-2"}, persist=False)  # pushed live only

    assert await missed(log, "agent:a1", seen) == [(offer, "offer")]
    assert await missed(log, "supervisor", seen) == [(offer, "offer"), (offer + 1, "contact")]
    assert await missed(log, "agent:a2", 0) == []
    rows = log._conn.execute("select count(*) from events").fetchone()[0]
    assert rows == 3, "one row an event, whatever its topics"
    assert log.stored("agent:a1", "offer", seen) == [(offer, '{"offer": "o-1"}')]


async def test_a_log_of_the_earlier_layout_is_taken_up_and_ids_keep_increasing(tmp_path: Path) -> None:
    db = open_database(tmp_path, "log", fresh=True)
    db.conn.executescript(
        """
        create table events (id integer primary key, topic text, type text, data text, created_at text);
        create index events_topic_id on events (topic, id);
        insert into events values (1, 'supervisor', 'offer', '{}', '2026-11-23T09:00:00');
        insert into events values (2, 'agent:a1', 'offer', '{}', '2026-11-23T09:00:00');
        insert into events values (3, 'supervisor', 'contact', '{}', '2026-11-23T09:00:01');
        """
    )
    db.conn.commit()
    log = EventLog(open_database(Path(tmp_path), "log"), Clock())

    assert await missed(log, "supervisor", 1) == [(3, "contact")]
    assert await missed(log, "agent:a1", 0) == [(2, "offer")]
    assert log.publish(["agent:a1"], "agent_state", {}) == 4
    assert await missed(log, "agent:a1", 2) == [(4, "agent_state")]
