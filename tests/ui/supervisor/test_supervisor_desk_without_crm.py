"""A supervisor's desk made with a console alone, no CRM and no presence directory (as the supervisor benchmarks
make it, and as the runtime allows: joins are then kept nowhere) opens on the floor. It failed at start-up when the
monitoring use case came to read the CRM's lookup, and four benchmarks measured nothing. In-process mocks."""

from __future__ import annotations

from dataclasses import replace

from agent_desktop.services import Backends
from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import InProcessMocks
from tests.support.scenes.pilot_steps import supervisor_screen, wait_until


async def test_a_supervisor_desk_without_a_crm_opens_on_the_floor(mocks: InProcessMocks) -> None:
    full = mocks.backends(supervisor=True)
    backends: Backends = replace(full, crm=None, presence=None)  # type: ignore[arg-type]  # what the runtime allows
    app = desk_app(backends, clock=mocks.clock.now, desks=("supervisor",))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = supervisor_screen(pilot)
        await wait_until(pilot, lambda: screen.desk.floor.agents, "the floor's agents")
        assert app.return_code is None, "still running"
