"""The page `agent-desktop serve` hands a browser, and the headers on every answer: textual-serve's own page with its
fonts from this server (not a third-party host: offline it failed, and that host heard each time a desk opened),
never framed by another site, and a Content-Security-Policy that lets it load only from this server.
"""

from __future__ import annotations

import base64
import hashlib
import re
from importlib.resources import files
from pathlib import Path
from urllib.parse import urlsplit

from agent_desktop.local.paths import read_text

PAGE = "app_index.html"
PAGE_LIMIT = 256 * 1024  # textual-serve's page is 5 KB
# textual-serve 1.1's page asks a third-party host for Roboto Mono; textual-serve ships the font in its statics. A
# relative URL: the font comes from wherever the page came from, a name or a proxy's path included (no CORS needed).
_WEB_FONT = re.compile(r'<link\s+rel="stylesheet"\s+href="https://fonts\.googleapis\.com/[^"]*"\s*/>')
_LOCAL_FONT = """<style>
      @font-face {
        font-family: "Roboto Mono";
        src: url("static/fonts/RobotoMono-VariableFont_wght.ttf") format("truetype");
        font-style: normal;
      }
      @font-face {
        font-family: "Roboto Mono";
        src: url("static/fonts/RobotoMono-Italic-VariableFont_wght.ttf") format("truetype");
        font-style: italic;
      }
    </style>"""
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)
_EVENT_HANDLER = re.compile(r'\son[a-zA-Z]+="([^"]*)"')


def page_template() -> str:
    """textual-serve's page template, its web font replaced by the one it ships. Raises if the page changed (a new
    textual-serve): what it loads must be looked at again."""
    template = read_text(
        Path(str(files("textual_serve").joinpath("templates", PAGE))), limit=PAGE_LIMIT, package_data=True
    )
    page, replaced = _WEB_FONT.subn(_LOCAL_FONT, template)
    if replaced != 1 or "https://" in page:
        raise RuntimeError(f"textual-serve's {PAGE} changed: check what it loads (agent_desktop/app/served_page.py)")
    return page


def _sha256(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'"


def security_headers(page: str, public_url: str) -> dict[str, str]:
    """The headers of every answer: no framing by anyone, and the page loads from this server (as `public_url`
    names it, and as it was opened) only; its inline script and button handlers run by their hashes."""
    parts = urlsplit(public_url)
    origin = f"{parts.scheme}://{parts.netloc}"
    websocket = f"{'wss' if parts.scheme == 'https' else 'ws'}://{parts.netloc}"
    scripts = " ".join(sorted({_sha256(s) for s in _INLINE_SCRIPT.findall(page)}))
    handlers = " ".join(sorted({_sha256(h) for h in _EVENT_HANDLER.findall(page)}))
    policy = "; ".join(
        (
            f"default-src 'self' {origin}",
            f"script-src 'self' {origin} {scripts}" + (f" 'unsafe-hashes' {handlers}" if handlers else ""),
            f"style-src 'self' {origin} 'unsafe-inline'",  # the page's own style block
            f"img-src 'self' {origin} data:",
            f"connect-src 'self' {origin} {websocket}",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        )
    )
    return {
        "Content-Security-Policy": policy,
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }
