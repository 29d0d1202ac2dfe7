"""Twilio's REST APIs as the contact center reads them: one long-lived client (basic auth with the API key), 429
retried with a growing wait up to `rate_limit_wait_s` (Twilio sends no Retry-After), every answer read within
bounds and checked as the resource it names (fields.py), lists followed across pages only on the host asked, and
Twilio's errors in a line an agent can read. TaskRouter's clock is read from each answer's `Date`."""

from __future__ import annotations

import asyncio
import random
from typing import Any

import httpx

from agent_desktop.adapters.twilio import fields
from agent_desktop.adapters.twilio.config import TwilioConfig
from agent_desktop.adapters.wire.answer_json import AnswerTooLarge, answer_json, send_bounded, too_large
from agent_desktop.adapters.wire.http_errors import json_body, one_line, transport_error
from agent_desktop.adapters.wire.paging import Pages
from agent_desktop.domain.center_clock import CenterClock
from agent_desktop.domain.errors import BackendError


class TwilioRest:
    def __init__(
        self, config: TwilioConfig, name: str, center_clock: CenterClock, transport: httpx.AsyncBaseTransport | None
    ) -> None:
        self.config, self.name, self.center_clock = config, name, center_clock
        timeout = httpx.Timeout(config.timeout_s, connect=min(config.timeout_s, 3.0))
        self.client = httpx.AsyncClient(
            base_url=config.base_url.rstrip("/"),
            auth=httpx.BasicAuth(config.api_key_sid, config.api_key_secret),
            headers={"User-Agent": "agent-desktop", "Accept": "application/json"},
            timeout=timeout,
            transport=transport,
        )

    async def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        waited, delay = 0.0, 0.25
        while True:
            try:
                response = await send_bounded(self.client, method, url, **kwargs)
                self.center_clock.heard_header(response.headers.get("date"), self.center_clock.monotonic())
            except httpx.HTTPError as error:
                raise transport_error(self.name, error) from error
            except AnswerTooLarge:
                raise too_large(self.name, fields.VENDOR) from None
            except httpx.InvalidURL as error:  # an id read from an answer that no URL can hold
                raise BackendError(self.name, f"cannot ask for that id: {error}"[:200], status=400) from error
            if response.status_code != 429 or waited >= self.config.rate_limit_wait_s:
                break
            pause = min(delay * (1 + random.random()), self.config.rate_limit_wait_s - waited)
            await asyncio.sleep(pause)  # Twilio gives no Retry-After: back off and try again
            waited, delay = waited + pause, delay * 2
        if not response.is_success:
            raise twilio_error(self.name, response)
        return response

    def json(self, url: str, response: httpx.Response) -> dict[str, Any]:
        """The answer's JSON, read within bounds and checked as the resource `url` names (twilio_fields.py)."""
        return fields.resource(self.name, url, answer_json(self.name, response, fields.VENDOR))

    async def get(self, url: str, **params: Any) -> dict[str, Any]:
        return self.json(url, await self.request("GET", url, params=params or None))

    async def post(self, url: str, **kwargs: Any) -> dict[str, Any]:
        return self.json(url, await self.request("POST", url, **kwargs))

    async def list(
        self, url: str, key: str, most: int = 1000, page_size: int = 1000, **params: Any
    ) -> list[dict[str, Any]]:
        """Items across pages (`meta.next_page_url`, followed only on the host `url` is on: paging.py), at most `most`."""
        items: list[dict[str, Any]] = []
        pages = Pages(self.name, fields.VENDOR, self._origin(url))
        page = await self._page(url, key, PageSize=min(most, page_size), **params)
        while True:
            items += page.get(key) or []
            following = pages.next((page.get("meta") or {}).get("next_page_url"))
            if following is None or len(items) >= most:
                return items[:most]
            page = await self._page(following, key)

    async def _page(self, url: str, key: str, **params: Any) -> dict[str, Any]:
        response = await self.request("GET", url, params=params or None)
        return fields.page(self.name, key, answer_json(self.name, response, fields.VENDOR))

    def _origin(self, url: str) -> str:
        """The configured base URL a request for `url` goes to: its own, or TaskRouter's for a path."""
        return url if "://" in url else self.config.base_url


def twilio_error(backend: str, response: httpx.Response) -> BackendError:
    """Twilio's `{"code", "message", "more_info", "status"}` in a line an agent can read."""
    text = response.reason_phrase
    body = json_body(response)
    if isinstance(body, dict) and body.get("message"):
        text = f"{body['message']} (Twilio error {body.get('code')})"
    if response.status_code == 429:
        text = "rate limited (Twilio error 20429)"
    return BackendError(backend, f"{response.status_code} {one_line(text)}", response.status_code)
