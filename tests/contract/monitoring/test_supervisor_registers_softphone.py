"""The supervisor's desk tells the mock contact center where its own softphone is, through the mock CCaaS's HTTP
supervisor client (`PUT /v1/supervisor/softphone`, taken back by `DELETE`), as the desk's supervisor phone does at
start and at the end; a contact the mock refuses is a refusal in its words. Read back from the mock's own API, not from
the client that wrote it."""

from __future__ import annotations

import httpx
import pytest

from agent_desktop.adapters.http.supervisor import HttpSupervisorConsole
from agent_desktop.domain.calls.softphone import NoSoftphoneRegistrar, softphone_registrar
from agent_desktop.domain.errors import BackendError
from agent_desktop_mocks.ccaas.settings import DEMO_SUPERVISOR_TOKEN

PHONE = "sip:supervisor@127.0.0.1:5999"


def registered(ccaas_url: str) -> str | None:
    answer = httpx.get(
        f"{ccaas_url}/v1/supervisor/softphone", headers={"Authorization": f"Bearer {DEMO_SUPERVISOR_TOKEN}"}, timeout=10
    )
    if answer.status_code == 404:
        return None
    answer.raise_for_status()
    contact: str = answer.json()["contact_uri"]
    return contact


async def test_the_supervisors_client_registers_their_softphone_and_takes_it_back(ccaas_url: str) -> None:
    console = HttpSupervisorConsole(ccaas_url, DEMO_SUPERVISOR_TOKEN)
    try:
        registrar = softphone_registrar(console)
        assert not isinstance(registrar, NoSoftphoneRegistrar), "the mock's supervisor client rings softphones"
        await registrar.register_softphone(PHONE)
        assert registered(ccaas_url) == PHONE
        await registrar.forget_softphone()
        assert registered(ccaas_url) is None
        await registrar.forget_softphone()  # none registered any more: nothing to take back, no error
        with pytest.raises(BackendError) as refused:
            await registrar.register_softphone("sip:supervisor@10.0.0.5:5060")
        assert refused.value.status == 422
        assert "loopback" in refused.value.message
        assert registered(ccaas_url) is None
    finally:
        await console.aclose()
