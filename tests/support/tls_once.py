"""One default TLS context for the whole test process, instead of one per httpx client.

httpx builds an `ssl.SSLContext` and loads certifi's CA bundle for every `httpx.Client()` made with the default
`verify=True`, even one that only ever talks plain http to a mock on loopback: 20-50 ms of CPU each, and the
tests make over a thousand (measured: 634 in the contract tier and two e2e files, 14 s of CPU). Every one of
them is the same context (the same bundle, the same defaults), so the first is kept and handed to the rest
(one per value of `SSL_CERT_FILE` and `SSL_CERT_DIR`, which httpx reads).
A client asking for anything else (`verify=False`, its own context, a client certificate) is left alone. The
desktop's own clients already skip TLS on http (agent_desktop/adapters/http/client.py); this is the tests' clients.
"""

from __future__ import annotations

import os
import ssl
from functools import cache

import httpx._transports.default as transports  # where httpx's transports look the function up

_build = transports.create_ssl_context  # type: ignore[attr-defined]  # httpx's private module: not exported


@cache
def _default(cert_file: str | None, cert_dir: str | None) -> ssl.SSLContext:
    return _build()  # reads the same SSL_CERT_FILE / SSL_CERT_DIR it is keyed on


def _create_ssl_context(
    verify: ssl.SSLContext | str | bool = True,
    cert: str | tuple[str, str] | tuple[str, str, str] | None = None,
    trust_env: bool = True,
) -> ssl.SSLContext:
    if verify is True and cert is None and trust_env:
        return _default(os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))
    return _build(verify=verify, cert=cert, trust_env=trust_env)


def install() -> None:
    transports.create_ssl_context = _create_ssl_context  # type: ignore[attr-defined]  # httpx's private module
