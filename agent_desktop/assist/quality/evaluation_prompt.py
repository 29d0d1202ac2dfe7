"""What the desk sends the model for an automated evaluation: the queue's evaluation form and the contact's
whole transcript (a chat's or an email's messages, a call's recognised lines), and the JSON shape each answer must
have: the question's id, one answer of its scale, and a quote copied from the transcript that justifies it.

As every request to the model (prompt.py): each text passes the card-data masker first (a party's lines as one run),
and the transcript's lines, the form's questions and the queue's name are fenced as data in blocks closed by a nonce
drawn anew for each request, so no line of a transcript can speak to the model as an instruction.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from agent_desktop.assist.prompt import (
    DATA_RULE,
    MESSAGE_CHARACTERS,
    Masking,
    Prompt,
    Said,
    block,
    conversation_blocks,
)
from agent_desktop.domain.assist.protocol import AnswerSchema, ChatMessage
from agent_desktop.domain.quality.forms import Form, FormQuestion

# The most lines of a transcript an evaluation reads: far more than a contact here has; a longer one is read from its
# start (the greeting and the verification a form asks about are there).
EVALUATION_LINES = 400
QUOTE_CHARACTERS = 300

EVALUATE_SYSTEM = (
    "You evaluate a finished contact-center contact with the contact center's evaluation form, from its transcript. "
    "Answer every question of the form with one of that question's answers, written exactly as the form lists it, "
    "and justify each with a quote: words copied exactly from one line of the transcript, at most 40 words. Where no "
    "line of the transcript justifies an answer, give an empty quote; never invent or reword one. Answer as JSON: "
    '{"answers": [{"question": "<question id>", "answer": "<answer>", "quote": "<quote or empty>"}]}. '
)


@dataclass(frozen=True)
class ShownQuestion:
    """A question of the form as the model was shown it: its id and its answers masked, on one line, without the
    characters that part a question's line (the model answers in these words; the desk reads them back by place)."""

    id: str
    scale: tuple[str, ...]
    question: FormQuestion


@dataclass(frozen=True)
class EvaluationPrompt:
    """The request, and what it showed the model: the transcript's lines as sent (masked and cut, oldest first: a
    quote is checked against these), and each question as it was shown."""

    prompt: Prompt
    lines: tuple[Said, ...]
    shown: tuple[ShownQuestion, ...]


def evaluation_prompt(said: Sequence[Said], form: Form, queue: str, masking: Masking | None = None) -> EvaluationPrompt:
    """The request for an automated evaluation of `said` (the whole transcript, oldest first) with `form`."""
    masking = masking or Masking()
    nonce = secrets.token_hex(6)
    sent = tuple(
        Said(line.party, line.text[:MESSAGE_CHARACTERS])
        for line in masking.conversation(said[:EVALUATION_LINES], recent=EVALUATION_LINES)
    )
    shown = tuple(
        ShownQuestion(_part(masking, q.id, 60), tuple(_part(masking, a, 60) for a in q.scale), q)
        for q in form.questions()
    )
    questions = "\n".join(
        f"{q.id} | {_part(masking, q.question.text, 200)} | answers: {' / '.join(q.scale)}" for q in shown
    )
    user = "\n\n".join(
        [
            f"Queue: {masking.line(queue, 80)}",
            f"The form: {masking.line(form.name, 80)}. Its questions, one a line (id | question | answers):\n"
            + block("form", nonce, questions),
            "The transcript, oldest first:\n" + (conversation_blocks(sent, nonce) or "(nothing was said)"),
            "Answer every question of the form.",
        ]
    )
    system = EVALUATE_SYSTEM + DATA_RULE.format(nonce=nonce)
    schema = evaluation_schema([q.id for q in shown], [q.scale for q in shown])
    return EvaluationPrompt(
        Prompt((ChatMessage("system", system), ChatMessage("user", user)), nonce, schema), sent, shown
    )


def _part(masking: Masking, text: str, limit: int) -> str:
    """A form's text as the model is shown it: masked whole, on one line, cut to `limit`, without the characters that
    mark a block or part a question's line (`|`, and `/` between answers)."""
    return masking.line(text, limit).replace("|", "¦").replace("/", "∕").replace("<", "‹").replace(">", "›")


def evaluation_schema(ids: Sequence[str], scales: Sequence[Sequence[str]]) -> AnswerSchema:
    """An evaluation as JSON: one object per question, its id one of the form's, its answer one of the form's
    answers (any question's: a schema cannot tie each id to its own scale without the form's length of branches; the
    desk reads each answer against its own question's scale), its quote at most `QUOTE_CHARACTERS`."""
    answers = list(dict.fromkeys(a for scale in scales for a in scale))
    return AnswerSchema(
        "evaluation",
        {
            "type": "object",
            "properties": {
                "answers": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "question": {"type": "string", "enum": list(dict.fromkeys(ids))},
                            "answer": {"type": "string", "enum": answers},
                            "quote": {"type": "string", "maxLength": QUOTE_CHARACTERS},
                        },
                        "required": ["question", "answer", "quote"],
                        "additionalProperties": False,
                    },
                }
            },
            "required": ["answers"],
            "additionalProperties": False,
        },
    )


def flat(text: str) -> str:
    """Whitespace folded to single spaces: a quote is found in a line whatever its line breaks."""
    return " ".join(text.split())


def quoted_from(quote: str, lines: Sequence[Said]) -> tuple[int, str] | None:
    """Where `quote` occurs word for word in the transcript as the model was sent it (whitespace folded, surrounding
    quote marks and ellipses off, case kept): the line's index and the quote as it stands there; None where it
    occurs nowhere, or says nothing (no letter or digit)."""
    wanted = flat(quote).strip(" \"'`“”‘’…").removesuffix("...").removeprefix("...").strip()
    if not any(c.isalnum() for c in wanted):
        return None
    for index, line in enumerate(lines):
        if wanted in flat(line.text):
            return index, wanted
    return None
