"""Scenes of the conversation workspace for `make screenshots` and the snapshot tests: a chat in progress
and an email reply, against the real mock servers (frozen clock, fixed seed, fast simulated customers).

The customers' answers are the same for a seed; the scene waits for each one (and its read receipt)
before it goes on, so every run shows the same screen.
"""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import DataTable

from agent_desktop.app.backend_factory import build_backends
from agent_desktop.app.demo import demo_settings
from agent_desktop.domain.models import ParticipantRole
from agent_desktop.ui.app import AgentDesktopApp
from agent_desktop.ui.shared.transcript_view import TranscriptView
from tests.support.desk_app import desk_app
from tests.support.in_process.model import InProcessModel
from tests.support.scenes.pilot_steps import agent_screen, back_to_contacts, type_burst
from tests.support.scenes.scenes import (
    FROZEN_TIME,
    SIZE,
    SceneServers,
    go_available,
    scene_servers,
    steady_cursors,
    wait_until,
)

SPEED = 20
CONVERSATION_STEPS = ("chat", "email", "quick-responses")
CHAT_CALLER = 5
EMAIL_CALLER = 6
CHAT_REPLY = "Sorry about that! Can you verify your email address?"
CHAT_DRAFT = "Thanks, I can see both payments. I will refund the second one"
EMAIL_DRAFT = "Hello,\nI am sorry for the wait. The duplicate payment is refunded today;"


def transcript_lines(pilot: Pilot[None]) -> str:
    return "\n".join(pilot.app.screen.query_one("#transcript", TranscriptView).plain_lines())


async def take(pilot: Pilot[None], servers: SceneServers, address: str, channel: str, subject: str) -> str:
    """The customer writes in; `a` accepts; returns the contact id once their first message shows."""
    desk = agent_screen(pilot).desk
    servers.place_call(address, channel=channel, subject=subject)
    await wait_until(pilot, lambda: desk.offer is not None and desk.offer.contact.from_address == address, "the offer")
    await pilot.press("a")

    def in_hand() -> str | None:
        return next((cid for cid, held in desk.held.items() if held.contact.from_address == address), None)

    await wait_until(pilot, lambda: in_hand() is not None, "the contact in hand")
    await back_to_contacts(pilot)
    contact_id = in_hand()
    assert contact_id is not None
    await wait_until(
        pilot,
        lambda: any(i.role is ParticipantRole.CUSTOMER for i in desk.conversations[contact_id].items),
        "the customer's first message",
    )
    return contact_id


async def conversation_flow_until(pilot: Pilot[None], servers: SceneServers, step: str) -> None:
    """'chat': a chat answered once, the customer's answer read, a reply being typed ('quick-responses': then
    the quick responses opened over it, searched);
    'knowledge': the knowledge search opened over it, its articles found;
    'suggestion': (with the mock model's engine as the assistant) its suggested reply to the customer's answer;
    'ai-wrap-up': (the same) the chat ended, its wrap-up drafted by the model;
    'ask-box': (the same) f7, a question, the answer whole with the articles it cites, the running summary under
    the card;
    'email': an email thread (subject, quoted earlier message) with a reply being typed;
    'translation': (the same assistant) a chat from a customer whose IVR language is Spanish, read in English, the
    agent's English reply shown in Spanish under the composer before it goes."""
    steady_cursors(pilot)
    await wait_until(pilot, lambda: pilot.app.screen.query_one("#expert-table", DataTable).row_count > 0, "the experts")
    await wait_until(pilot, lambda: bool(agent_screen(pilot).desk.queues), "the queues")
    await go_available(pilot)
    if step == "translation":
        await _translated_chat(pilot, servers)
    elif step in ("chat", "quick-responses", "knowledge", "suggestion", "ai-wrap-up", "ask-box"):
        caller = servers.caller(CHAT_CALLER)
        await take(pilot, servers, caller.email, "chat", "Charged twice this month")
        await pilot.press("i")
        await type_burst(pilot, CHAT_REPLY)
        await pilot.press("enter")
        await wait_until(pilot, lambda: "my email is" in transcript_lines(pilot), "the customer's answer", timeout_s=30)
        await wait_until(pilot, lambda: "✓✓ read" in transcript_lines(pilot), "the read receipt", timeout_s=30)
        if step == "ai-wrap-up":  # ended (the customer wrote last: ctrl+e ends anyway), the model's wrap-up drafted
            await pilot.press("escape", "e")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "EndConversationDialog", "a question")
            await pilot.press("ctrl+e")
            status = pilot.app.screen.query_one("#wrap-up-status")
            await wait_until(pilot, lambda: "Drafted by" in str(status.render()), "the model's wrap-up", timeout_s=30)
            steady_cursors(pilot)
            await pilot.pause(0.3)
            return
        if step == "ask-box":  # the agent's question, the answer whole with its articles, the cursor on the first
            await pilot.press("escape", "f7")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "AskBox", "the ask box")
            await type_burst(pilot, "How do I refund a duplicate charge?")
            await pilot.press("enter")
            box = pilot.app.screen
            done = lambda: (a := getattr(box, "answer", None)) is not None and a.finished  # noqa: E731
            await wait_until(pilot, done, "the whole answer", timeout_s=30)
            await pilot.press("down")
            steady_cursors(pilot)
            await pilot.pause(0.3)
            return
        if step == "suggestion":  # the assistant's reply to the customer's answer, whole, above the empty composer
            area = pilot.app.screen.query_one("#suggestion")
            await wait_until(pilot, lambda: area.display and " use · " in str(area.render()), "the suggestion")
            steady_cursors(pilot)
            await pilot.pause(0.3)
            return
        await type_burst(pilot, CHAT_DRAFT)
        if step == "quick-responses":  # the team's responses, filled in for this customer, searched for "refund"
            await pilot.press("ctrl+r")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "QuickResponsePicker", "the picker")
            await pilot.press(*"re")
        if step == "knowledge":  # the articles for the customer's last words, found as it opened (not recorded)
            await pilot.press("ctrl+l")
            await wait_until(pilot, lambda: bool(getattr(pilot.app.screen, "hits", None)), "the articles")
    else:
        caller = servers.caller(EMAIL_CALLER)
        await take(pilot, servers, caller.email, "email", "Charged twice this month")
        await wait_until(pilot, lambda: "│" in transcript_lines(pilot), "the quoted thread")
        first, second = EMAIL_DRAFT.split("\n")
        await pilot.press("i")
        await type_burst(pilot, first)
        await pilot.press("ctrl+j")
        await type_burst(pilot, second)
    steady_cursors(pilot)
    await pilot.pause(0.3)


SPANISH_LINES = ("Hola. Me cobraron dos veces este mes.", "Quiero un reembolso del cargo duplicado.")
TRANSLATED_REPLY = "I am sorry about the duplicate charge. I have refunded the duplicate charge today."


async def _translated_chat(pilot: Pilot[None], servers: SceneServers) -> None:
    desk = agent_screen(pilot).desk
    address = servers.caller(CHAT_CALLER).email
    body = {"queue_id": "billing", "channel": "chat", "from_address": address, "attached": {"language": "es"}}
    servers.as_supervisor("POST", "/v1/contacts", body)
    await wait_until(pilot, lambda: desk.offer is not None and desk.offer.contact.from_address == address, "the offer")
    await pilot.press("a")

    def held() -> str | None:
        return next((c for c, h in desk.held.items() if h.contact.from_address == address), None)

    await wait_until(pilot, lambda: held() is not None, "the contact in hand")
    contact_id = held()
    for line in SPANISH_LINES:
        servers.as_supervisor("POST", f"/v1/contacts/{contact_id}/customer-messages", {"text": line})
    await wait_until(pilot, lambda: "duplicate charge." in transcript_lines(pilot), "read in English", timeout_s=30)

    def suggested() -> bool:
        suggestion = desk.conversations.suggestions.get(contact_id or "")
        return suggestion is not None and suggestion.finished

    for _ in range(3):  # the suggested replies (one a customer message, each after a search) discarded: room
        await wait_until(pilot, suggested, "a suggested reply")
        await pilot.press("f8")
        await pilot.pause(0.5)
        if contact_id not in desk.conversations.suggestions:
            break
    await pilot.press("escape", "i")
    await type_burst(pilot, TRANSLATED_REPLY)
    await pilot.press("enter")
    shown = pilot.app.screen.query_one("#reply-translation")
    await wait_until(pilot, lambda: "In Spanish" in str(shown.render()), "the reply in Spanish", timeout_s=30)


@asynccontextmanager
async def conversation_app(step: str) -> AsyncIterator[tuple[AgentDesktopApp, Pilot[None]]]:
    with tempfile.TemporaryDirectory() as data_dir, scene_servers(Path(data_dir), speed=SPEED) as servers:
        app = scene_app_in(
            servers, Path(data_dir), assisted=step in ("suggestion", "ai-wrap-up", "ask-box", "translation")
        )
        async with app.run_test(size=SIZE) as pilot:
            await conversation_flow_until(pilot, servers, step)
            yield app, pilot


def scene_app_in(
    servers: SceneServers, folder: Path, *, frozen: bool = True, assisted: bool = False
) -> AgentDesktopApp:
    """The scene's app with its outbox and drafts in `folder`: nothing typed in another run shows here; `assisted`:
    with the mock model server's engine in-process as the assistant (tests/support/in_process/model.py)."""
    settings = demo_settings(servers.ccaas_url, servers.crm_url, servers.presence_url, outbox_path=folder / "outbox.db")
    backends = build_backends(settings)
    if assisted:
        backends = replace(backends, assist=InProcessModel())
    if frozen:
        return desk_app(backends, clock=lambda: FROZEN_TIME)
    return desk_app(backends)


async def capture_conversation(name: str, folder: Path, step: str) -> Path:
    async with conversation_app(step) as (app, _):
        return Path(app.save_screenshot(filename=f"{name}.svg", path=str(folder)))
