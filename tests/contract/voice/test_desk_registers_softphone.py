"""The desk tells the mock contact center where its softphone is: at sign-in the agent's calls are made to
ring the softphone's SIP contact (`PUT /v1/agents/{id}/softphone`, through the mock CCaaS's HTTP client), at sign-out
they stop (`DELETE`), and a contact the contact center refuses is said to the agent in its words. Read back from the
mock's own API with the supervisor's token, not from the client that wrote it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from agent_desktop.adapters.baresip.softphone import BaresipSoftphone
from agent_desktop.agent_desk.controller import DeskController
from agent_desktop.agent_desk.desk import Desk
from agent_desktop.app.backend_factory import build_backends
from agent_desktop.app.demo import demo_settings
from agent_desktop.domain.calls.softphone import NoSoftphoneRegistrar, softphone_registrar
from agent_desktop.domain.vocabulary import AgentState
from agent_desktop_mocks.ccaas.settings import DEMO_SUPERVISOR_TOKEN

PATH = "/v1/agents/agent-001/softphone"


def registered(ccaas_url: str) -> str | None:
    """The contact the mock rings agent-001's calls at (None: none), as its supervisor reads it."""
    answer = httpx.get(f"{ccaas_url}{PATH}", headers={"Authorization": f"Bearer {DEMO_SUPERVISOR_TOKEN}"}, timeout=10)
    if answer.status_code == 404:
        return None
    answer.raise_for_status()
    contact: str = answer.json()["contact_uri"]
    return contact


def desk_on(ccaas_url: str, crm_url: str, presence_url: str, folder: Path, contact: str) -> DeskController:
    """The agent's desk on the mock over HTTP, its softphone one already running at `contact` (not dialled here)."""
    backends = build_backends(demo_settings(ccaas_url, crm_url, presence_url, outbox_path=folder / "outbox.db"))
    desk = Desk("agent-001", capabilities=backends.contact_center.capabilities)
    softphone = BaresipSoftphone(contact=contact)
    return DeskController(
        desk, backends.contact_center, backends.crm, backends.presence, backends.outbox, softphone=softphone
    )


@pytest.fixture
async def controllers(tmp_path: Path) -> AsyncIterator[list[DeskController]]:
    made: list[DeskController] = []
    yield made
    for controller in made:
        await controller.aclose()
        await controller.contact_center.aclose()
        await controller.crm.aclose()
        await controller.presence.aclose()
        controller.outbox.close()


async def test_signed_in_the_mock_rings_the_desks_softphone_and_signed_out_no_more(
    ccaas_url: str, crm_url: str, presence_url: str, tmp_path: Path, controllers: list[DeskController]
) -> None:
    controller = desk_on(ccaas_url, crm_url, presence_url, tmp_path, "sip:agent@127.0.0.1:5070")
    controllers.append(controller)
    assert controller.desk.capabilities.softphone_contact, "the mock's client says it rings softphones"

    await controller.sound.register()  # what the desk does as its softphone's link opens (sign-in, and `R`)
    assert registered(ccaas_url) == "sip:agent@127.0.0.1:5070"
    assert not controller.desk.take_changes().notices, "nothing to say when the contact center took it"

    assert await controller.leave_routing(AgentState.OFFLINE) is None  # sign-out
    assert registered(ccaas_url) is None, "the agent's calls still ring a softphone the desk no longer drives"


async def test_a_contact_the_contact_center_refuses_is_said_in_its_words(
    ccaas_url: str, crm_url: str, presence_url: str, tmp_path: Path, controllers: list[DeskController]
) -> None:
    controller = desk_on(ccaas_url, crm_url, presence_url, tmp_path, "sip:agent@192.0.2.10:5060")
    controllers.append(controller)
    await controller.sound.register()
    (notice,) = controller.desk.take_changes().notices
    assert notice.text.startswith("Calls will not ring your softphone:"), notice.text
    assert "192.0.2.10 is not loopback" in notice.text, notice.text
    assert registered(ccaas_url) is None


async def test_a_softphone_that_cannot_say_where_it_is_registers_nothing(
    ccaas_url: str, crm_url: str, presence_url: str, tmp_path: Path, controllers: list[DeskController]
) -> None:
    controller = desk_on(ccaas_url, crm_url, presence_url, tmp_path, "")  # one running, its contact not configured
    controllers.append(controller)
    await controller.sound.register()
    assert registered(ccaas_url) is None
    assert not controller.desk.take_changes().notices


def test_a_contact_center_that_does_not_ring_softphones_gets_the_stand_in() -> None:
    """Twilio's backend declares no `softphone_contact` (docs/vendors/twilio-softphone.md: TaskRouter rings a Worker's
    `contact_uri` attribute, which this desk does not write yet): its registrar refuses, and the desk never asks."""
    from agent_desktop.adapters.twilio.capabilities import TWILIO_CAPABILITIES

    class Twilio:
        capabilities = TWILIO_CAPABILITIES

        async def register_softphone(self, contact_uri: str) -> None: ...
        async def forget_softphone(self) -> None: ...

    assert not TWILIO_CAPABILITIES.softphone_contact
    assert isinstance(softphone_registrar(Twilio()), NoSoftphoneRegistrar)
