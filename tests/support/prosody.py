"""A real Prosody XMPP server on loopback for the XMPP presence tests (and the XMPP benchmark).

Set-up facts from shared/CONVENTIONS.md: config, data, pid and log in a
temporary folder, its own client port, no s2s, `run_as_root`, users registered
with `prosodyctl` before start. Everyone registered is in one shared roster
group (mod_groups), so every user's roster holds every other user with a
subscription both ways: presence flows without any subscribe handshake.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from agent_desktop_mocks.common.ports import free_port

if TYPE_CHECKING:  # slixmpp is imported by the tests that talk XMPP
    from slixmpp.stanza import Message

DOMAIN = "localhost"

CONFIG = """\
run_as_root = true
pidfile = "{dir}/prosody.pid"
data_path = "{dir}/data"
log = {{ info = "{dir}/prosody.log"; error = "{dir}/prosody.err" }}
interfaces = {{ "127.0.0.1" }}
c2s_ports = {{ {port} }}
c2s_direct_tls_ports = {{ }}
s2s_ports = {{ }}
http_ports = {{ }}
https_ports = {{ }}
modules_enabled = {{ "roster"; "saslauth"; "disco"; "groups"; "ping" }}
modules_disabled = {{ "s2s"; "tls"; "offline" }}
c2s_require_encryption = false
allow_unencrypted_plain_auth = true
authentication = "internal_plain"
groups_file = "{dir}/groups.txt"
limits = {{ }}
VirtualHost "{domain}"
"""


@dataclass
class Prosody:
    folder: Path
    port: int
    host: str = "127.0.0.1"
    domain: str = DOMAIN
    users: dict[str, str] = field(default_factory=dict)

    @property
    def config(self) -> Path:
        return self.folder / "prosody.cfg.lua"

    def jid(self, user: str) -> str:
        return f"{user}@{self.domain}"

    def log(self) -> str:
        path = self.folder / "prosody.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""


def _prosodyctl(prosody: Prosody, *args: str) -> None:
    subprocess.run(["prosodyctl", "--config", str(prosody.config), *args], check=True, capture_output=True, timeout=30)


def _wait_listening(prosody: Prosody, process: subprocess.Popen[bytes], timeout_s: float = 15.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"prosody exited with {process.returncode}:\n{prosody.log()}")
        try:
            with socket.create_connection((prosody.host, prosody.port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"prosody did not listen on {prosody.port} within {timeout_s} s:\n{prosody.log()}")


@contextmanager
def running_prosody(folder: Path, users: dict[str, str]) -> Iterator[Prosody]:
    """Prosody with `users` (name -> password) registered and all in one roster group."""
    if shutil.which("prosody") is None:
        raise RuntimeError("prosody is not installed: run scripts/ensure-system-packages.sh")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "data").mkdir(exist_ok=True)
    prosody = Prosody(folder=folder, port=free_port(), users=dict(users))
    prosody.config.write_text(CONFIG.format(dir=folder, port=prosody.port, domain=prosody.domain))
    roster = [f"{prosody.jid(user)}={user}" for user in users]
    (folder / "groups.txt").write_text("[Experts]\n" + "\n".join(roster) + "\n")
    subprocess.run(["chown", "-R", "prosody:prosody", str(folder / "data")], check=False, capture_output=True)
    for user, password in users.items():
        _prosodyctl(prosody, "register", user, prosody.domain, password)
    process = subprocess.Popen(
        ["prosody", "-F", "--config", str(prosody.config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )
    try:
        _wait_listening(prosody, process)
        yield prosody
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class XmppPerson:
    """A second XMPP client, standing in for an expert's own chat app (runs in the test's event loop)."""

    def __init__(self, prosody: Prosody, user: str) -> None:
        import slixmpp

        self.client = slixmpp.ClientXMPP(prosody.jid(user), prosody.users[user])
        self.client.enable_plaintext = True
        self.client.enable_starttls = False
        self.client.enable_direct_tls = False
        self.client.plugin["feature_mechanisms"].unencrypted_scram = True
        self.prosody = prosody
        self.received: list[tuple[str, str]] = []  # (from bare jid, body)
        self._started = None
        self.client.add_event_handler("message", self._on_message)

    def _on_message(self, stanza: Message) -> None:
        if stanza["body"]:
            self.received.append((str(stanza["from"].bare), str(stanza["body"])))

    async def online(self, show: str = "", status: str = "") -> XmppPerson:
        import asyncio

        started = asyncio.Event()

        async def session_start(_event: object) -> None:
            await self.client.get_roster()
            self.set(show, status)
            started.set()

        self.client.add_event_handler("session_start", session_start)
        self.client.connect(self.prosody.host, self.prosody.port)
        await asyncio.wait_for(started.wait(), 15)
        return self

    def set(self, show: str = "", status: str = "") -> None:
        self.client.send_presence(pshow=show or None, pstatus=status or None)

    def say(self, to: str, body: str) -> None:
        import slixmpp

        self.client.send_message(mto=slixmpp.JID(to), mbody=body, mtype="chat")

    async def offline(self) -> None:
        import asyncio

        self.client.disconnect()
        await asyncio.sleep(0)
