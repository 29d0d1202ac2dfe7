"""A desktop against the real mock servers with the CRM on its own server (stopped, restarted, faulted)
and the outbox in a known file: what the write-back fault tests share."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI

from agent_desktop.app.backend_factory import build_backends
from agent_desktop.app.demo import demo_settings
from agent_desktop.outbox.backoff import Backoff
from agent_desktop.outbox.store import Outbox
from agent_desktop.ui.app import AgentDesktopApp
from agent_desktop_mocks.ccaas.api.app import create_app as create_ccaas
from agent_desktop_mocks.ccaas.messaging.recipients import CrmRecipients
from agent_desktop_mocks.ccaas.settings import DEMO_CRM_TOKEN, MockSettings
from agent_desktop_mocks.common.runner import RunningServers, serve_in_thread
from agent_desktop_mocks.crm.app import create_app as create_crm
from agent_desktop_mocks.presence.app import create_app as create_presence
from tests.support.desk_app import desk_app
from tests.support.scenes.scenes import OFFER_CALLER, SceneServers

AUTH = {"Authorization": f"Bearer {DEMO_CRM_TOKEN}"}
FAST_RETRY = Backoff(0.05, 0.2)  # the outbox's: a test waits for the resend, not for real backoff
CUSTOMER_ID = f"cus-{OFFER_CALLER + 1:06d}"


@dataclass
class Rig:
    settings: MockSettings
    others: RunningServers
    crm: RunningServers
    crm_url: str
    outbox_path: Path
    ccaas: FastAPI  # the contact center's app: tests build a conversation through its own service
    stopped: list[RunningServers] = field(default_factory=list)

    @property
    def servers(self) -> SceneServers:
        return SceneServers(self.others.urls[0], self.crm_url, self.others.urls[1], settings=self.settings)

    def app(
        self,
        crm_write_timeout_s: float = 30.0,
        crm_timeout_s: float = 5.0,
        outbox_retry: Backoff = FAST_RETRY,
    ) -> AgentDesktopApp:
        """The desktop against the rig, its CRM timeouts and outbox backoff as a configuration sets them."""
        servers = self.servers
        settings = demo_settings(servers.ccaas_url, self.crm_url, servers.presence_url)
        crm = settings.crm.model_copy(update={"write_timeout_s": crm_write_timeout_s, "timeout_s": crm_timeout_s})
        backends = build_backends(settings.model_copy(update={"outbox_path": self.outbox_path, "crm": crm}))
        return desk_app(backends, outbox_retry=outbox_retry)

    def stop_crm(self) -> None:
        self.crm.stop()

    def start_crm(self) -> None:
        port = int(self.crm_url.rsplit(":", 1)[1])
        self.crm = serve_in_thread([create_crm(self.settings.model_copy(update={"fresh": False}))], ports=[port])

    def faults(self, **faults: Any) -> None:
        httpx.put(f"{self.crm_url}/v1/admin/faults", json=faults, headers=AUTH, timeout=10).raise_for_status()

    def stored(self, customer_id: str = CUSTOMER_ID) -> list[dict[str, Any]]:
        response = httpx.get(f"{self.crm_url}/v1/customers/{customer_id}/interactions", headers=AUTH, timeout=10)
        answer: list[dict[str, Any]] = response.json()
        return answer

    def stored_for_contact(self, contact_id: str, customer_id: str = CUSTOMER_ID) -> list[dict[str, Any]]:
        return [i for i in self.stored(customer_id) if i["contact_id"] == contact_id]

    def attempts(self) -> list[int]:
        outbox = Outbox(self.outbox_path)
        try:
            return [entry.attempts for entry in outbox.recent()]
        finally:
            outbox.close()

    def pending(self) -> int:
        outbox = Outbox(self.outbox_path)
        try:
            return outbox.counts().pending
        finally:
            outbox.close()


@contextmanager
def write_back_rig(tmp_path: Path, *, time_scale: float = 1.0) -> Iterator[Rig]:
    """`time_scale`: the mock's seconds per real second (MockSettings), below 1 to keep its timers (the offer's
    20 s, the ACW's 60 s) out of reach of a long flow on a loaded machine."""
    settings = MockSettings(
        data_dir=tmp_path / "mocks",
        seed=42,
        customers=30,
        experts=10,
        simulator=False,
        fresh=True,
        time_scale=time_scale,
    )
    ccaas = create_ccaas(settings)
    others = serve_in_thread([ccaas, create_presence(settings)])
    crm = serve_in_thread([create_crm(settings)])
    ccaas.state.recipients = CrmRecipients(crm.urls[0], DEMO_CRM_TOKEN)  # follow-ups' consent, as `mocks` wires it
    rig = Rig(settings, others, crm, crm.urls[0], tmp_path / "agent_desktop" / "outbox.db", ccaas)
    try:
        yield rig
    finally:
        rig.crm.stop()
        others.stop()
