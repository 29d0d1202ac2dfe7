"""A link in words for the agent's and the supervisor's status lines: when it is down, what failed, where,
and what happens next; when it sent events the desktop could not read, how many (each is in desk.log)."""

from __future__ import annotations

from textual.content import Content

from agent_desktop.domain.streams.link_status import LinkStatus
from agent_desktop.ui.plain_text import plain


def link_problem(link: LinkStatus) -> Content:
    """`refused at http://127.0.0.1:8701 — reconnecting`: what failed, where, and what happens next."""
    if link.refused:
        next_step = (
            f"check the configuration (retrying every {link.retry_s:g} s)"
            if link.retry_s
            else "check the configuration"
        )
    else:
        next_step = "reconnecting"
    parts: list[Content | str | tuple[str, str]] = [plain(link.detail or "connection lost", "bold $error")]
    if link.url:
        parts += [(" at ", "$error"), plain(link.url, "$error")]
    parts.append((f" — {next_step}", "bold $error"))
    return Content.assemble(*parts)


def unreadable_events(link: LinkStatus) -> tuple[str, str] | str:
    """`⚠ 2 events not read ` (its reasons are in desk.log), or nothing."""
    if not link.unreadable:
        return ""
    return (f"⚠ {link.unreadable} event{'s' if link.unreadable > 1 else ''} not read ", "$warning")
