"""Presence rigs: the HTTP client against a real mock presence server on loopback, and the in-process
backend over its directory. `set_presence` is what the expert's own client does (`PUT .../presence`)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import httpx

from agent_desktop.adapters.http.presence import HttpPresenceDirectory
from agent_desktop.domain.protocols import PresenceDirectory
from agent_desktop_mocks.ccaas.settings import DEMO_PRESENCE_TOKEN
from agent_desktop_mocks.presence.app import create_app as create_presence
from agent_desktop_mocks.presence.routers import people
from agent_desktop_mocks.presence.schemas import PresenceUpdate
from tests.support.in_process.presence import InProcessPresenceDirectory
from tests.support.protocol_rigs.contact_center import rig_settings
from tests.support.protocol_rigs.served import served


class PresenceRig(Protocol):
    @property
    def backend(self) -> PresenceDirectory:
        """Read-only here, so that a rig may hold its own backend's class."""
        ...

    async def set_presence(self, person_id: str, availability: str, activity: str | None = None) -> None: ...

    async def pass_time(self, seconds: float) -> None: ...


@dataclass
class HttpPresenceRig:
    backend: HttpPresenceDirectory
    expert_side: httpx.AsyncClient

    async def set_presence(self, person_id: str, availability: str, activity: str | None = None) -> None:
        body = {"availability": availability, **({"activity": activity} if activity else {})}
        (await self.expert_side.put(f"/v1/people/{person_id}/presence", json=body)).raise_for_status()

    async def pass_time(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


@dataclass
class InProcessPresenceRig:
    backend: InProcessPresenceDirectory
    app: Any

    async def set_presence(self, person_id: str, availability: str, activity: str | None = None) -> None:
        update = PresenceUpdate.model_validate({"availability": availability, "activity": activity})
        await people.set_presence(self.app.state.directory, person_id, update)

    async def pass_time(self, seconds: float) -> None:
        # The messenger's replies are asyncio timers at the server's speed (set high by the settings).
        await asyncio.sleep(min(seconds, 0.05))


@asynccontextmanager
async def presence_rig(kind: str, data_dir: Path) -> AsyncIterator[PresenceRig]:
    app = create_presence(rig_settings(data_dir).model_copy(update={"speed": 50.0}))
    if kind == "http":
        async with served(app, DEMO_PRESENCE_TOKEN) as (url, expert_side):
            rig = HttpPresenceRig(HttpPresenceDirectory(url, DEMO_PRESENCE_TOKEN), expert_side)
            try:
                yield rig
            finally:
                await rig.backend.aclose()
    else:
        try:
            yield InProcessPresenceRig(InProcessPresenceDirectory(app), app)
        finally:
            await app.state.messenger.aclose()
            app.state.directory.db.close()
