"""Loopback ports for a server or a softphone about to bind them (the mocks' callers, and the tests' servers)."""

from __future__ import annotations

import socket


class NoFreePorts(OSError):
    """No pair of ports was free (an OSError: a caller that cannot bind falls back as for a port taken)."""


def free_port(kind: int = socket.SOCK_STREAM) -> int:
    """A port on 127.0.0.1 the kernel has free now, for `kind` (TCP by default)."""
    with socket.socket(socket.AF_INET, kind) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def free_port_pair() -> int:
    """An even port whose odd neighbour is free too, for UDP and TCP: RTP and RTCP, or SIP and baresip's SIP over
    TLS on the next port."""
    for _ in range(200):
        port = free_port(socket.SOCK_DGRAM) & ~1
        sockets = [
            socket.socket(socket.AF_INET, kind) for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM) for _ in (0, 1)
        ]
        try:
            for index, sock in enumerate(sockets):
                sock.bind(("127.0.0.1", port + index % 2))
            return port
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()
    raise NoFreePorts("no free pair of ports on 127.0.0.1")
