"""An agent's softphone contact as the mock accepts it: `sip:[user@]127.x.y.z[:port]`, nothing else.

The mock's caller legs are real SIP calls from processes on this machine: a contact elsewhere would send a call (and a
caller's recorded voice) off the machine, so only IPv4 loopback is taken. Each refusal says which part is wrong.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

MAX_LENGTH = 256
DEFAULT_SIP_PORT = 5060
_USER = re.compile(r"[A-Za-z0-9._~+-]{1,64}")


class ContactUriError(ValueError):
    """Why a contact URI is refused, in words an API answer can carry."""


@dataclass(frozen=True)
class SipContact:
    user: str | None
    host: str
    port: int

    @property
    def uri(self) -> str:
        """The URI in its one normal form (scheme in lower case, the port written out)."""
        return f"sip:{self.user + '@' if self.user else ''}{self.host}:{self.port}"


def parse_contact_uri(text: str) -> SipContact:
    """The contact `text` names, or `ContactUriError` saying what is wrong with it."""
    if len(text) > MAX_LENGTH:
        raise ContactUriError(f"a contact URI is at most {MAX_LENGTH} characters")
    if not text.isascii() or not text.isprintable() or any(c.isspace() for c in text):
        raise ContactUriError("a contact URI is printable ASCII without spaces")
    scheme, colon, rest = text.partition(":")
    if not colon or scheme.lower() != "sip":
        if scheme.lower() == "sips":
            raise ContactUriError("only sip: is served (the caller legs are SIP over UDP on loopback), not sips:")
        raise ContactUriError("a contact URI starts with sip:")
    if ";" in rest or "?" in rest:
        raise ContactUriError("a contact URI takes no parameters (;) or headers (?)")
    user, at, hostport = rest.rpartition("@")
    if at and not _USER.fullmatch(user):
        raise ContactUriError("the user part is 1-64 letters, digits or ._~+-")
    host, port = _host_port(hostport)
    return SipContact(user or None, host, port)


def _host_port(hostport: str) -> tuple[str, int]:
    if hostport.startswith("["):
        raise ContactUriError("IPv6 is not served: the caller legs listen on 127.0.0.1")
    host, colon, port_text = hostport.partition(":")
    if not host:
        raise ContactUriError("a contact URI names a host")
    try:
        address = ipaddress.IPv4Address(host)
    except ValueError:
        raise ContactUriError(
            f"the host must be an IPv4 loopback address such as 127.0.0.1, not {host[:60]!r}"
        ) from None
    if not address.is_loopback:
        raise ContactUriError(f"the host {host} is not loopback: calls from this mock stay on the machine")
    if not colon:
        return host, DEFAULT_SIP_PORT
    if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
        raise ContactUriError(f"the port must be a number from 1 to 65535, not {port_text[:12]!r}")
    return host, int(port_text)
