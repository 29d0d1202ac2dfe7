"""The virtual agent's lines at the start of a handed-on chat are the bot's in everything the desk's assistant sends
a model: a suggested reply, a wrap-up draft (and the running summary, which asks as one), the ask box and an
automated evaluation. Hypothesis interleaves the customer's, the bot's and the agent's lines: each line reaches the
model in its own party's block, so the model never reads the bot's words as the human agent's."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from agent_desktop.assist.prompt import Prompt, SourcePassage, ask_prompt, reply_prompt, said_in, wrap_up_prompt
from agent_desktop.assist.quality.evaluation_prompt import evaluation_prompt
from agent_desktop.domain.models import TranscriptItem
from agent_desktop.domain.models.conversations import VIRTUAL_AGENT_PARTICIPANT
from agent_desktop.domain.quality.forms import Form, FormQuestion, FormSection
from agent_desktop.domain.vocabulary import ParticipantRole
from tests.support.hypothesis_profiles import examples

AT = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)
WHO = {  # who says a line: its role and participant on the desk, and the block the model must read it in
    "customer": (ParticipantRole.CUSTOMER, None, "customer"),
    "bot": (ParticipantRole.AGENT, VIRTUAL_AGENT_PARTICIPANT, "virtual_agent"),
    "agent": (ParticipantRole.AGENT, "agent-001", "agent"),
}
CONVERSATION_KINDS = {"customer", "agent", "virtual_agent"}
WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", min_size=1, max_size=40).filter(str.strip)
LINES = st.lists(st.tuples(st.sampled_from(sorted(WHO)), WORDS), min_size=1, max_size=8)
FORM = Form(
    id="chat-standard",
    name="Chat standard",
    sections=[
        FormSection(
            title="Conversation", questions=[FormQuestion(id="tone", text="Tone", weight=1, scale=["Poor", "Good"])]
        )
    ],
)
PASSAGE = SourcePassage("kb-1", "Charged twice", "We refund a double charge the same day.")


def _transcript(lines: list[tuple[str, str]]) -> list[TranscriptItem]:
    return [
        TranscriptItem(
            id=f"m-{n}",
            contact_id="c-1",
            index=n,
            role=WHO[who][0],
            participant_id=WHO[who][1],
            display_name={"customer": "Pat", "bot": "Virtual agent", "agent": "Alex Morgan"}[who],
            text=text,
            created_at=AT,
        )
        for n, (who, text) in enumerate(lines)
    ]


def _conversation(prompt: Prompt) -> list[tuple[str, str]]:
    """The conversation's blocks of the request, in order: (kind, text)."""
    user = prompt.messages[-1].content
    found = re.findall(rf"<<<(\w+)[^\n]* {prompt.nonce}>>>\n(.*?)\n<<<end {prompt.nonce}>>>", user, re.DOTALL)
    return [(kind, text) for kind, text in found if kind in CONVERSATION_KINDS]


@settings(max_examples=examples(150))
@given(lines=LINES)
def test_every_request_puts_the_bots_lines_in_the_bots_blocks_never_the_agents(lines: list[tuple[str, str]]) -> None:
    said = said_in(_transcript(lines))
    expected = [(WHO[who][2], text) for who, text in lines]
    requests = {
        "suggested reply": reply_prompt(said, [PASSAGE], "Billing"),
        "wrap-up": wrap_up_prompt(said, ["Refund", "Other"], "Billing"),
        "ask box": ask_prompt("What happened?", said, [], [PASSAGE], "Billing"),
        "evaluation": evaluation_prompt(said, FORM, "Billing").prompt,
    }
    for name, prompt in requests.items():
        assert _conversation(prompt) == expected, name
        assert "virtual_agent" in prompt.messages[0].content, f"{name}: the system message says what the bot's are"
