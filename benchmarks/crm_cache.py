"""A seeded CRM database kept between benchmark runs, keyed by seed and size (a million customers take
minutes to seed; a lookup benchmark only reads them)."""

from __future__ import annotations

import shutil
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from platformdirs import user_cache_path

from agent_desktop_mocks.common.storage import open_database
from agent_desktop_mocks.crm import seed, store

# Fixed, so the cached data does not depend on the day it was made.
SEEDED_AT = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def cached_crm_dir(seed_value: int, customers: int) -> Path:
    """A folder holding `crm.db` seeded with `customers` customers; seeded on first use only."""
    folder = user_cache_path("agent-desktop-bench", appauthor=False) / f"crm-seed{seed_value}-{customers}"
    if (folder / "crm.db").is_file() and (folder / "complete").is_file():
        _indexes_up_to_date(folder)
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    building = folder.with_name(folder.name + ".building")
    shutil.rmtree(building, ignore_errors=True)
    started = time.monotonic()
    print(f"seeding {customers:,} CRM customers into {folder} (once)…", file=sys.stderr, flush=True)
    db = open_database(building, "crm", fresh=True)
    store.create_tables(db)
    seed.seed(db, seed=seed_value, customers=customers, now=SEEDED_AT)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    (building / "complete").write_text(f"seeded in {time.monotonic() - started:.0f} s\n")
    building.rename(folder)
    print(f"seeded in {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
    return folder


def _indexes_up_to_date(folder: Path) -> None:
    """A column or an index added to the CRM since the cache was seeded is made here, once, before any server
    opens the file: servers starting side by side would otherwise race to build it (and one time out on the lock)."""
    db = open_database(folder, "crm")
    try:
        store.create_tables(db)
        store.create_indexes(db)
    finally:
        db.conn.close()
