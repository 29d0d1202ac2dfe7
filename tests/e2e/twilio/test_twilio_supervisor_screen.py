"""The supervisor screen on the Twilio backend, against the Twilio-shaped mock: the queues by TaskQueue name with
what TaskRouter's statistics say (waiting, the longest wait), the workers by Activity, a waiting call and an
agent's state change reaching the panels through the polled statistics, and a state set from the screen
(t on an agent) landing on the Worker's Activity."""

from __future__ import annotations

from pathlib import Path

import httpx
from textual.pilot import Pilot
from textual.widgets import OptionList

from agent_desktop.adapters.twilio.supervisor import TwilioSupervisorConsole
from agent_desktop.app.backend_factory import build_backends
from agent_desktop.app.demo import (
    DEMO_TWILIO_API_KEY_SECRET,
    DEMO_TWILIO_API_KEY_SID,
    DEMO_TWILIO_WORKSPACE_SID,
    demo_settings,
)
from agent_desktop.services import utc_now
from agent_desktop.ui.app import AgentDesktopApp
from agent_desktop.ui.supervisor.agent_table import AgentTable
from agent_desktop.ui.textual_compat import notifications
from agent_desktop_mocks.twilio.sids import Sids
from tests.support.desk_app import desk_app
from tests.support.narrowing import of_kind
from tests.support.scenes.pilot_steps import supervisor_screen
from tests.support.scenes.scenes import SIZE, SceneServers, scene_servers, wait_until
from tests.support.scenes.supervisor_scene import Floor, row, rows, wait_for_floor


def supervisor_on_twilio(servers: SceneServers) -> AgentDesktopApp:
    settings = demo_settings(
        servers.ccaas_url,
        servers.crm_url,
        servers.presence_url,
        outbox_path=servers.settings.data_dir / "desk" / "outbox.db",
        twilio_url=servers.twilio_url,
        relay_url=servers.relay_url,
    )
    backends = build_backends(settings, supervisor=True)
    of_kind(
        backends.supervisor, TwilioSupervisorConsole
    )._poll_s = 0.5  # the console polls TaskRouter; a test need not wait 2 s a round
    return desk_app(backends, clock=utc_now, desks=("supervisor",))


def activity(servers: SceneServers, worker_sid: str) -> str:
    url = f"{servers.twilio_url}/v1/Workspaces/{DEMO_TWILIO_WORKSPACE_SID}/Workers/{worker_sid}"
    response = httpx.get(url, auth=(DEMO_TWILIO_API_KEY_SID, DEMO_TWILIO_API_KEY_SECRET), timeout=5)
    response.raise_for_status()
    answer: str = response.json()["activity_name"]
    return answer


def agent_row(pilot: Pilot[None], worker_sid: str) -> str:
    return pilot.app.screen.query_one("#agents", AgentTable).row_text(worker_sid)


async def test_the_supervisor_screen_shows_the_floor_through_twilio(tmp_path: Path) -> None:
    with scene_servers(tmp_path, frozen=False, customers=20, twilio=True) as servers:
        floor = Floor(servers)
        sids = Sids(DEMO_TWILIO_WORKSPACE_SID)
        async with supervisor_on_twilio(servers).run_test(size=SIZE) as pilot:
            assert type(supervisor_screen(pilot).controller.console).__name__ == "TwilioSupervisorConsole"
            await wait_for_floor(pilot)
            queues = rows(pilot, "#queues")
            assert [q.split("|")[0].strip() for q in queues] == ["Billing", "Sales", "Technical support"], (
                queues
            )  # whole, by name
            assert len(rows(pilot, "#agents")) == 7

            floor.set_state("agent-002", "available")  # an agent signs in: their Worker's Activity is Available
            second = sids.of("WK", "agent-002")
            await wait_until(
                pilot, lambda: "Available" in agent_row(pilot, second), "agent-002 Available on the screen"
            )
            servers.place_call("(512) 555-0100", queue_id="tech_support")  # nobody there is available: it waits
            await wait_until(
                pilot,
                lambda: row(pilot, "#queues", "Technical").split("|")[1].strip() == "1",
                "a call waiting in Technical support",
            )
            assert supervisor_screen(pilot).desk.floor.waiting[sids.of("WQ", "tech_support")], (
                "the waiting task, for the drill-down"
            )

            third = sids.of("WK", "agent-003")
            table = pilot.app.screen.query_one("#agents", AgentTable)
            await pilot.press("tab", "tab")
            table.move_cursor(row=table.keys.index(third))
            await pilot.press("t")
            await wait_until(pilot, lambda: pilot.app.screen.query("#choice-box"), "the state picker")
            options = pilot.app.screen.query_one("OptionList", OptionList)
            labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
            await pilot.press(*["down"] * labels.index("Not ready — Coaching"), "enter")
            await wait_until(pilot, lambda: activity(servers, third) == "Coaching", "the Worker's Activity set")
            await wait_until(pilot, lambda: "Coaching" in agent_row(pilot, third), "Coaching on the screen")
            assert not [n for n in notifications(pilot.app) if n.severity == "error"]
