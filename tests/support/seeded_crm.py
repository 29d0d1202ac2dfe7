"""The mock CRM as the tests build it: `create_crm(settings)` is `agent_desktop_mocks.crm.app.create_app`, with the
seeded database made once per test process for each seed and copied for every app that asks for it.

Seeding 300 customers (rows, indexes, `analyze`) costs ~60 ms of CPU, and a test run builds a fresh CRM for
several hundred apps and scenes. The copy is the file the seed would write: the seed is a function of `seed`,
`customers` and the clock (`agent_desktop_mocks/crm/seed.py`: everything dated relative to it). A frozen clock is
part of the template's key; an unfrozen one's date is, so its data is dated from the moment the process first
seeded it (minutes older at most, a resolution no test reads), and a new day seeds a new template.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

from fastapi import FastAPI

from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.crm.app import create_app
from tests.support.scratch import scratch_folder

_templates: dict[tuple[object, ...], Path] = {}


def create_crm(settings: MockSettings) -> FastAPI:
    if not settings.fresh:
        return create_app(settings)
    when = settings.frozen_time or datetime.now(UTC).date()
    key = (settings.seed, settings.customers, when)
    template = _templates.get(key)
    if template is None:
        template = _templates[key] = _seeded_template(settings)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    target = settings.data_dir / "crm.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(template, target)
    return create_app(settings.model_copy(update={"fresh": False}))


def _seeded_template(settings: MockSettings) -> Path:
    folder = scratch_folder("crm-seeded-")
    app = create_app(settings.model_copy(update={"data_dir": folder}))
    db = app.state.crm.db
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in crm.db itself, none of it in the -wal file
    db.conn.close()
    return folder / "crm.db"
