"""The collector is off from an offer's parse until its frame, and never stays off (agent_desktop/agent_desk/collector_pause.py)."""

from __future__ import annotations

import asyncio
import gc

from agent_desktop.agent_desk.collector_pause import CollectorPause


async def test_a_pause_ends_when_resumed_or_at_its_deadline():
    assert gc.isenabled()
    pause = CollectorPause(longest_s=0.05)
    pause.pause()
    assert not gc.isenabled() and pause.paused
    pause.resume()
    assert gc.isenabled() and not pause.paused
    pause.pause()
    pause.pause()  # a second offer while the first pops: one pause
    await asyncio.sleep(0.1)  # a pop that never reached its frame
    assert gc.isenabled() and not pause.paused


async def test_a_collector_switched_off_by_someone_else_stays_off():
    gc.disable()  # as start-up does (agent_desktop/app/cli.py) until the app freezes what it made
    try:
        pause = CollectorPause()
        pause.pause()
        pause.resume()
        assert not gc.isenabled() and not pause.paused
    finally:
        gc.enable()
