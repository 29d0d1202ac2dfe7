"""The real desktop with the XMPP presence backend: a presence change made by another XMPP client
(an expert's own chat app) reaches the experts panel, through a real Prosody."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import DataTable

from agent_desktop.app.backend_factory import build_backends
from agent_desktop.app.config import Settings
from tests.conftest import Servers
from tests.e2e.xmpp.test_xmpp_presence import DIRECTORY, USERS
from tests.support.desk_app import desk_app
from tests.support.prosody import Prosody, XmppPerson, running_prosody
from tests.support.scenes.pilot_steps import wait_until
from tests.support.scenes.scenes import SIZE

# XML 1.0 cannot carry ESC or BEL, but it can carry C1 controls: U+009B is a one-character CSI.
HOSTILE_STATUS = "[@click=app.quit]x[/] \u009b2J\u009d0;pwned\u009c[b]Q3[/b]"
SHOWN_STATUS = "[@click=app.quit]x[/] 2J0;pwned[b]Q3[/b]"

WAIT_S = 10.0  # the bound on a presence change reaching the panel (a broken run, not a slow one)


def xmpp_settings(servers: Servers, prosody: Prosody, directory_file: Path) -> Settings:
    return Settings(
        agent_id="agent-001",
        ccaas={"base_url": servers.ccaas_url, "token": "demo-agent-token"},
        crm={"base_url": servers.crm_url, "token": "demo-crm-token"},
        presence={
            "kind": "xmpp",
            "jid": prosody.jid("desk"),
            "password": USERS["desk"],
            "host": prosody.host,
            "port": prosody.port,
            "tls": "none",
            "directory_file": str(directory_file),
        },
    )


def row_of(pilot: Pilot[None], name: str) -> str:
    table = pilot.app.screen.query_one("#expert-table", DataTable)
    for i in range(table.row_count):
        row = " | ".join(str(cell) for cell in table.get_row_at(i))
        if name in row:
            return row
    return ""


def shows(row: str, symbol: str, word: str) -> bool:
    """The presence as the experts list draws it: its symbol in the first column, its word after the skills."""
    cells = [cell.strip() for cell in row.split(" | ")]
    return cells[0] == symbol and any(cell.startswith(word) for cell in cells[1:])


async def reaches_the_panel(pilot: Pilot[None], condition: Callable[[], object], what: str) -> None:
    """A presence Ana set reaches her row. The wait only bounds a broken run: how fast is a benchmark's to say, not a
    test's (with the cores busy a second was not always enough, and a test that times itself fails on a busy machine)."""
    await wait_until(pilot, condition, what, timeout_s=WAIT_S)


async def test_presence_from_another_xmpp_client_reaches_the_panel(tmp_path: Path, servers: Servers) -> None:
    directory_file = tmp_path / "experts.toml"
    directory_file.write_text(DIRECTORY)
    with running_prosody(tmp_path / "prosody", USERS) as prosody:
        app = desk_app(build_backends(xmpp_settings(servers, prosody, directory_file)))
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(
                pilot, lambda: shows(row_of(pilot, "Ana Ruiz"), "○", "Offline"), "Ana from the roster, offline"
            )
            assert "Billing" in row_of(pilot, "Ana Ruiz")
            assert "billing, refunds" in row_of(pilot, "Ana Ruiz")
            assert row_of(pilot, "cleo")  # on the roster, not in the directory file: listed by name
            ana = await XmppPerson(prosody, "ana").online()
            try:
                await wait_until(pilot, lambda: shows(row_of(pilot, "Ana Ruiz"), "●", "Available"), "Ana available")
                assert (
                    pilot.app.screen.query_one("#expert-table", DataTable).get_row_at(0)[1].plain.endswith("Ana Ruiz")
                )

                ana.set("dnd", HOSTILE_STATUS)
                await reaches_the_panel(pilot, lambda: shows(row_of(pilot, "Ana Ruiz"), "⊘", "Do not disturb"), "dnd")
                # The status text, markup and escape sequences and all, is shown literally.
                assert SHOWN_STATUS[:24] in row_of(pilot, "Ana Ruiz")
                screen = pilot.app.export_screenshot()
                assert "\x9b" not in screen
                assert "\x9d" not in screen
                assert "\x9c" not in screen

                ana.set("xa", "Gone home")
                await reaches_the_panel(
                    pilot,
                    lambda: shows(row_of(pilot, "Ana Ruiz"), "◑", "Away") and "Gone home" in row_of(pilot, "Ana Ruiz"),
                    "xa as Away",
                )
                await ana.offline()
                await reaches_the_panel(pilot, lambda: shows(row_of(pilot, "Ana Ruiz"), "○", "Offline"), "offline")
                assert pilot.app.is_running
            finally:
                await ana.offline()
