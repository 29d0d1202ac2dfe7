"""Twilio's request bodies are `application/x-www-form-urlencoded`: read into a dict (the last value of a
repeated key wins, as Twilio's own parameters are single-valued; unknown keys are ignored, as Twilio does)."""

from __future__ import annotations

from urllib.parse import parse_qsl

from fastapi import Request

from agent_desktop_mocks.twilio.http.errors import TwilioError


async def form(request: Request) -> dict[str, str]:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    if body and kind != "application/x-www-form-urlencoded":
        raise TwilioError(400, 20001, "The request body must be application/x-www-form-urlencoded")
    try:
        return dict(parse_qsl(body.decode(), keep_blank_values=True, strict_parsing=False))
    except UnicodeDecodeError:
        raise TwilioError(400, 20001, "The request body is not UTF-8") from None


def boolean(value: str | None) -> bool:
    return (value or "").strip().lower() in ("true", "1", "yes")
