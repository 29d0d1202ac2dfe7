"""A suggested reply end to end, on the real mock servers and the mock model server over HTTP with the desk's own
client (streamed server-sent events): a chat arrives, the customer's message is answered by a suggestion grounded in
the CRM's knowledge base, the agent puts it in the composer with ctrl+n, edits it and sends it; the customer sees
exactly what the agent sent, and nothing else. Then the chat is ended and its wrap-up is the model's (a summary and
one of the queue's dispositions), saved with ctrl+s: the CRM holds it once. The model was offered no tool."""

from __future__ import annotations

from dataclasses import replace

import httpx

from agent_desktop.domain.models import ParticipantRole
from agent_desktop.services import utc_now
from agent_desktop.ui.agent.conversations.composer import Composer
from tests.e2e.conversations.test_agent_conversations import ready, servers, take, transcript_text  # noqa: F401
from tests.support.desk_app import desk_app
from tests.support.model_server import model_server
from tests.support.scenes.pilot_steps import agent_screen, type_burst
from tests.support.scenes.scenes import SIZE, SceneServers, screen_text, wait_until

CRM = {"Authorization": "Bearer demo-crm-token"}


async def test_a_grounded_suggestion_is_edited_and_sent_by_the_agent(servers: SceneServers) -> None:  # noqa: F811
    caller = servers.caller(5)  # an English speaker: a Spanish one's reply is previewed translated first
    with model_server(first_token_s=0.05, token_s=0.01) as model:
        backends = replace(servers.backends(), assist=model.desk_model())
        app = desk_app(backends, clock=utc_now)
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            contact_id = await take(pilot, servers, caller.email)
            desk = agent_screen(pilot).desk
            await pilot.press("i")
            servers.as_supervisor(
                "POST",
                f"/v1/contacts/{contact_id}/customer-messages",
                {"text": "I was charged twice, please refund the duplicate charge"},
            )
            await wait_until(pilot, lambda: "refund the duplicate" in transcript_text(pilot), "the customer's message")

            def answered() -> bool:
                suggestion = desk.conversations.suggestions.get(contact_id)
                return suggestion is not None and suggestion.state == "done" and "refund" in str(model.received()[-1])

            await wait_until(pilot, answered, "the suggestion for that message streamed in", timeout_s=20)
            suggestion = desk.conversations.suggestions[contact_id]
            assert suggestion.sources, "grounded in the knowledge base's passages"
            text = suggestion.text
            assert text, text
            assert not text.startswith("No "), text

            await pilot.press("ctrl+n")
            composer = pilot.app.screen.query_one("#composer", Composer)
            # (The simulated customer may write again meanwhile, and a new suggestion replace this one: whichever is
            # shown at ctrl+n goes in, whole.)
            await wait_until(pilot, lambda: bool(composer.text), "the suggestion in the composer")
            inserted = composer.text
            await type_burst(pilot, " Anything else?")
            await pilot.press("enter")
            sent = inserted + " Anything else?"
            await wait_until(pilot, lambda: sent[:40] in transcript_text(pilot), "the reply sent")
            agent_said = [
                i.text
                for i in desk.conversations[contact_id].items
                if i.role is ParticipantRole.AGENT and i.kind == "message"
            ]
            assert agent_said == [sent], agent_said

            await pilot.press("escape", "e")

            def asked() -> bool:
                return type(pilot.app.screen).__name__ == "EndConversationDialog"

            await wait_until(pilot, lambda: asked() or desk.wrap_up() is not None, "ended, or a question")
            if asked():  # the simulated customer answered the reply meanwhile: end it anyway
                await pilot.press("ctrl+e")

            def status() -> str:
                return screen_text(pilot, "#wrap-up-status")

            await wait_until(pilot, lambda: "Drafted by mock-grounded" in status(), "the AI wrap-up", timeout_s=20)
            draft = desk.wrap_ups[contact_id]
            assert draft.notes.startswith("The customer wrote:"), draft
            assert draft.disposition, draft
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: screen_text(pilot, "#contacts") == "", "the wrap-up saved", timeout_s=20)

        written = httpx.get(f"{servers.crm_url}/v1/interactions", params={"contact_id": contact_id}, headers=CRM).json()
        assert len(written) == 1, written
        whole = httpx.get(f"{servers.crm_url}/v1/interactions/{written[0]['id']}", headers=CRM).json()
        assert whole["disposition"] == draft.disposition, whole
        assert whole["notes"].startswith("The customer wrote:"), whole

        bodies = model.received()
        assert bodies
        assert all(body["stream"] is True for body in bodies)
        assert not any("tools" in body or "functions" in body for body in bodies)
