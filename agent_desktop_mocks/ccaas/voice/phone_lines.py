"""The mock's telephone network on this machine: the numbers a call the agent places reaches by SIP on loopback (a test
puts its callee here: `voice_leg.lines.connect("+12125550100", "sip:callee@127.0.0.1:5072")`), and the address the
agent's softphone dials for a placed call: the mock's SIP proxy, the number as the user (the desk matches the call to
its contact by it) and the contact's id as a parameter (the proxy forwards it to the number's line)."""

from __future__ import annotations

import re

from agent_desktop_mocks.ccaas.voice.contact_uri import parse_contact_uri

_PLACED = re.compile(r";x-contact=([A-Za-z0-9_-]{1,64})(?:[;?>]|$)")
MAX_PLACED = 4096  # placed calls whose line the proxy still finds, the oldest forgotten past it


class PhoneLines:
    def __init__(self) -> None:
        self._lines: dict[str, str] = {}
        self._placed: dict[str, str] = {}  # a placed call's contact id: the line it rings

    def place(self, contact_id: str, line: str) -> None:
        """The placed call `contact_id` rings `line`: kept past the call's end (its CANCEL or last ACK still finds the
        line), the oldest forgotten past `MAX_PLACED`."""
        self._placed[contact_id] = line
        while len(self._placed) > MAX_PLACED:
            del self._placed[next(iter(self._placed))]

    def placed(self, contact_id: str) -> str | None:
        """The line a placed call rings (None: not a call the agent placed)."""
        return self._placed.get(contact_id)

    def connect(self, number: str, uri: str) -> None:
        """Calls to `number` (E.164) ring `uri`, a SIP contact on loopback (ValueError otherwise)."""
        self._lines[number] = parse_contact_uri(uri).uri

    def line(self, number: str) -> str | None:
        return self._lines.get(number)


def dial_uri(number: str, contact_id: str, proxy_port: int, *, internal: bool = False) -> str:
    """What the agent's softphone dials for the placed call `contact_id`; `internal`: `number` is a colleague's
    `sip:user@domain` address, whose user part is dialled (the desk matches the call to its contact by it)."""
    user = number.removeprefix("sip:").split("@", 1)[0] if internal else number
    return f"sip:{user}@127.0.0.1:{proxy_port};x-contact={contact_id}"


def placed_contact(request_uri: str) -> str | None:
    """The placed call's contact id a request's URI names (None: it names none)."""
    found = _PLACED.search(request_uri)
    return found.group(1) if found else None
