"""What the desk sends the model for the supervisor's question about the floor ("why is billing's service level
down?"): the floor's figures, one a line in a `figures` block, and the question in a `question` block, each fenced by a
nonce drawn anew for the request, so neither can give the model an instruction (assist/prompt.py `DATA_RULE`). Every
text is masked first, as every request's is. The figures name queues and teams, never an agent or a customer: those
are left out where the figures are made (supervisor_desk/floor_question/floor_figures.py), not masked here."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from agent_desktop.assist.prompt import DATA_RULE, MESSAGE_CHARACTERS, Masking, Prompt, block
from agent_desktop.domain.assist.protocol import ChatMessage

FIGURES_SENT = 120  # lines: a floor of 40 queues with their causes, and its teams
FIGURE_CHARACTERS = 300

FLOOR_SYSTEM = (
    "You answer a contact-center supervisor's question about the floor now, only from the floor's figures given "
    "(one a line: queue or team | figure | value). Name each figure you use in square brackets, as [Billing · cause]. "
    "If the figures do not answer the question, say so in one sentence. Keep it short (at most 120 words). "
)


@dataclass(frozen=True)
class Figure:
    """One figure of the floor as the model is sent it and the supervisor is shown it: whose (a queue's or a team's
    name), which, and its value in words."""

    subject: str
    name: str
    value: str


def figure_lines(figures: Sequence[Figure], masking: Masking) -> list[str]:
    """`subject | name | value`, each part masked whole, then on one line without the bar that parts them."""

    def part(text: str, most: int) -> str:
        return masking.line(text, most).replace("|", "/")

    return [
        f"{part(f.subject, 80)} | {part(f.name, 40)} | {part(f.value, FIGURE_CHARACTERS)}"
        for f in figures[:FIGURES_SENT]
    ]


def floor_prompt(question: str, figures: Sequence[Figure], masking: Masking | None = None) -> Prompt:
    """The request for the supervisor's question, answered from `figures` alone."""
    masking = masking or Masking()
    nonce = secrets.token_hex(6)
    lines = "\n".join(figure_lines(figures, masking))
    user = "\n\n".join(
        [
            "The floor's figures now, one a line (queue or team | figure | value; none yet where empty):\n"
            + block("figures", nonce, lines),
            "The supervisor's question:\n" + block("question", nonce, masking.line(question, MESSAGE_CHARACTERS)),
            "Answer the supervisor's question from the floor's figures.",
        ]
    )
    system = FLOOR_SYSTEM + DATA_RULE.format(nonce=nonce)
    return Prompt((ChatMessage("system", system), ChatMessage("user", user)), nonce)
