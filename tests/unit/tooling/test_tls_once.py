"""The tests' httpx clients share one default TLS context (tests/support/tls_once.py), and still verify."""

from __future__ import annotations

import ssl

import httpx


def test_default_clients_share_one_verifying_context_and_others_keep_their_own() -> None:
    def context(client: httpx.Client) -> ssl.SSLContext:
        found: ssl.SSLContext = client._transport._pool._ssl_context  # type: ignore[attr-defined]  # httpx's internals
        return found

    with httpx.Client() as first, httpx.Client() as second, httpx.Client(verify=False) as unverified:
        assert context(first) is context(second)
        assert context(first).verify_mode is ssl.CERT_REQUIRED
        assert context(first).check_hostname
        assert context(unverified) is not context(first)
        assert context(unverified).verify_mode is ssl.CERT_NONE
