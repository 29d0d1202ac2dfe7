"""Nothing the agent writes back is lost or sent twice, whatever the backends, the disk, a restart or the clock do
(tests/support/write_back_search.py): hypothesis draws the plan; wrap-ups, transfer records and follow-ups reach
their backend exactly once or stay in the outbox saying why, and the desk's own calls (callbacks, flags,
acknowledgements) are stored once done, once more at most where an answer was lost and the agent pressed again."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from hypothesis import given, settings

from tests.support.hypothesis_profiles import examples
from tests.support.write_back_search import Plan, WriteBackRun, check, plans


@settings(max_examples=examples(100))
@given(plan=plans())
def test_what_the_agent_writes_back_arrives_once_through_faults(plan: Plan) -> None:
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(played_and_checked(WriteBackRun(Path(folder), plan)))


async def played_and_checked(run: WriteBackRun) -> None:
    try:
        check(run, await run.play())
    finally:
        await run.close()
