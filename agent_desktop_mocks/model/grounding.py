"""The mock model's answers, deterministic and grounded in the request: for a suggested reply, the sentences of the
given knowledge passages that best match the customer's last message (or a sentence saying there is nothing to ground
on); for a wrap-up (a request with a dispositions block), a summary and one disposition from that list (as JSON held
to the request's schema where it asks for structured output); for the ask box (a request with a question block), the
passages' sentences that best match the agent's question, each followed by its article's title in brackets, as the
desk's prompt asks a model to cite; for an automated evaluation (a request with a form block), each question answered
with a quote from the transcript (`evaluation_json`); for a supervisor's question about the floor (a request with a
figures block), an answer from the figures (floor_answers.py).

It reads the blocks the desk's prompt fences its data in (`<<<customer NONCE>>>` … `<<<end NONCE>>>`, docs/assist.md);
a request without them is answered from its last user message as if that were the customer's."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

_BLOCK = re.compile(
    r"<<<(customer|agent|virtual_agent|passage|dispositions|question|card|form|translate|figures)(?: ([^\n]*?))? ([0-9a-f]{12})>>>\n(.*?)\n<<<end \3>>>",
    re.DOTALL,
)
_WORD = re.compile(r"[a-z0-9]+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_TOKEN = re.compile(r"\w+|[^\w\s]")
STOP_WORDS = frozenset(
    "a an and are as at be but by can do does for from has have how i if in is it its me my no not of on or our so "
    "that the their them there this to was we were what when where which who why will with you your".split()
)
NOTHING_TO_GROUND = "I have no knowledge passage to ground a reply on; please answer from what you know."
NONE_MATCHES = "None of the knowledge passages given answers this, so I have nothing to ground a reply on."
NOTHING_TO_CITE = "I found no knowledge article that answers this question."
SENTENCES_PICKED = 2
# What the demo's dispositions (ccaas/tables/data/floor.toml) are heard as beyond their own words, each phrase with its
# weight: an outcome agreed ("let us do it") outweighs what led to it ("how much"), so a customer who only asked a price
# is a quote sent, never a sale closed. Deterministic, and a mock's: a real model reads the whole conversation.
CUES: dict[str, tuple[tuple[str, int], ...]] = {
    "sale closed": (("let us do it", 5), ("let's do it", 5), ("sign me up", 5), ("i'll take it", 5), ("go ahead", 3)),
    "quote sent": (("how much", 2), ("cost", 2), ("price", 2), ("quote", 2), ("options", 1)),
    "not interested": (("not interested", 5), ("no thanks", 3)),
    "follow-up scheduled": (("decide by", 3), ("think about it", 3), ("get back to me", 2)),
    "refund issued": (("refund", 2), ("money back", 2), ("credited", 2)),
    "payment arrangement": (("arrangement", 3), ("instalment", 3), ("installment", 3)),
    "escalated": (("supervisor", 3), ("manager", 3), ("escalat", 3)),
    "callback scheduled": (("call me back", 3), ("callback", 3)),
    "technician dispatched": (("engineer", 2), ("technician", 2)),
    "troubleshooting guided": (("restart", 1), ("router", 1), ("pair", 1)),
    "resolved": (("that's everything", 1), ("that is all", 1), ("thanks", 1)),
}
UNCOMMITTED = ("resolved", "quote sent", "ticket opened")  # where nothing said points at an outcome


@dataclass(frozen=True)
class Passage:
    id: str
    title: str
    text: str


@dataclass(frozen=True)
class Blocks:
    customer: list[str]
    agent: list[str]
    passages: list[Passage]
    dispositions: list[str] | None
    question: str | None = None
    form: list[FormQuestion] | None = None
    said: tuple[str, ...] = ()  # the customer's and the agent's lines, in the order given
    translate: tuple[str, str, str] | None = None  # (source, target, text): a translation's request
    figures: str | None = None  # a question about the floor: its figures' lines (floor_answers.py)


@dataclass(frozen=True)
class FormQuestion:
    """One line of an evaluation request's form block: `id | question | answers: A / B / C`."""

    id: str
    text: str
    scale: list[str]


def read_blocks(text: str) -> Blocks:
    customer: list[str] = []
    agent: list[str] = []
    passages: list[Passage] = []
    dispositions: list[str] | None = None
    question: str | None = None
    form: list[FormQuestion] | None = None
    said: list[str] = []
    translate: tuple[str, str, str] | None = None
    figures: str | None = None
    for kind, label, _nonce, body in _BLOCK.findall(text):
        if kind == "customer":
            customer.append(body)
            said.append(body)
        elif kind == "agent":
            agent.append(body)
            said.append(body)
        elif kind == "virtual_agent":  # the bot's lines before a handoff: said, but not the agent's
            said.append(body)
        elif kind == "form":
            form = [read for line in body.splitlines() if (read := _form_line(line)) is not None]
        elif kind == "passage":
            passage_id, _, title = (label or "").partition(" | ")
            passages.append(Passage(passage_id.strip(), title.strip(), body))
        elif kind == "question":
            question = body
        elif kind == "figures":
            figures = body
        elif kind == "translate":
            source, _, target = (label or "").partition(">")
            translate = (source.strip(), target.strip(), body)
        elif kind == "dispositions":
            dispositions = [line.strip() for line in body.splitlines() if line.strip()]
    return Blocks(customer, agent, passages, dispositions, question, form, tuple(said), translate, figures)


def _form_line(line: str) -> FormQuestion | None:
    parts = [part.strip() for part in line.split(" | ")]
    if len(parts) != 3 or not parts[2].startswith("answers:"):
        return None
    scale = [answer.strip() for answer in parts[2].removeprefix("answers:").split(" / ") if answer.strip()]
    return FormQuestion(parts[0], parts[1], scale) if parts[0] and scale else None


def words(text: str) -> set[str]:
    return {word for word in _WORD.findall(text.lower()) if word not in STOP_WORDS and len(word) > 1}


def count_tokens(text: str) -> int:
    """Tokens as this mock counts them: words and punctuation marks (a real tokenizer differs; the shape does not)."""
    return len(_TOKEN.findall(text))


def grounded_reply(blocks: Blocks, fallback_question: str) -> str:
    question = blocks.customer[-1] if blocks.customer else fallback_question
    if not blocks.passages:
        return NOTHING_TO_GROUND
    best = _best_sentences(blocks.passages, question)
    if not best:
        return NONE_MATCHES
    return " ".join(sentence for _, sentence in best)


def asked_answer(blocks: Blocks) -> str:
    """The ask box's answer: the best sentences for the agent's question, each followed by `[its article's title]`."""
    best = _best_sentences(blocks.passages, blocks.question or "")
    if not best:
        return NOTHING_TO_CITE
    return " ".join(f"{sentence} [{blocks.passages[where].title}]" for where, sentence in best)


def _best_sentences(passages: list[Passage], question: str) -> list[tuple[int, str]]:
    """The passages' sentences sharing the most words with `question` (at most two, in the passages' order), each
    with the index of its passage; none where no sentence shares a word."""
    asked = words(question)
    scored: list[tuple[int, int, int, str]] = []
    for where, passage in enumerate(passages):
        for sentence in _SENTENCE_END.split(" ".join(passage.text.split())):
            if sentence:
                scored.append((len(words(sentence) & asked), len(scored), where, sentence))
    best = sorted(scored, key=lambda item: (-item[0], item[1]))[:SENTENCES_PICKED]
    if not best or best[0][0] == 0:
        return []
    return [(where, sentence) for score, _, where, sentence in sorted(best, key=lambda item: item[1]) if score > 0]


URGENT_ASK = "Write the brief."  # how the supervisor's desk asks for an urgent contact's brief (urgent_brief.py)


def urgent_brief(blocks: Blocks) -> str:
    """An urgent contact's brief for its supervisor: what the customer first and last wrote, in their words."""
    first, last = blocks.customer[0], blocks.customer[-1]
    if len(blocks.customer) == 1:
        return f"The customer is upset and wrote: {_cut(last, 140)}"
    return f"The customer began with: {_cut(first, 100)} and now writes: {_cut(last, 140)}"


def wrap_up_answer(blocks: Blocks, nonsense: bool) -> str:
    listed = blocks.dispositions or []
    said = " ".join([*blocks.customer, *blocks.agent])
    asked = blocks.customer[0] if blocks.customer else "nothing"
    answered = blocks.agent[-1] if blocks.agent else "nothing yet"
    summary = f"The customer wrote: {_cut(asked, 140)} The agent answered: {_cut(answered, 140)}"
    if nonsense or not listed:
        return f"Summary: {summary}\nDisposition: Customer delighted (not on any list)"
    best = max(range(len(listed)), key=lambda i: (outcome_score(listed[i], said), -i))
    if outcome_score(listed[best], said) == 0:  # nothing said points at any: the least committal, not the first
        best = next((i for i, name in enumerate(listed) if name.lower() in UNCOMMITTED), best)
    return f"Summary: {summary}\nDisposition: {listed[best]}"


def outcome_score(disposition: str, said: str) -> int:
    """How much of what was said points at `disposition`: its own words heard, and its cues (`CUES`) weighed."""
    heard = words(said)
    lowered = " ".join(said.lower().replace("’", "'").split())
    cues = CUES.get(disposition.lower(), ())
    return len(words(disposition) & heard) + sum(weight for phrase, weight in cues if phrase in lowered)


def wrap_up_json(blocks: Blocks, nonsense: bool, schema: dict[str, Any]) -> str:
    """A wrap-up held to `schema` (structured output): JSON whose disposition is one of the schema's enum, a nonsense
    draw included (a constrained model can only be wrong within the list: the enum's member least like the
    conversation), its summary no longer than the schema's `maxLength`."""
    properties = schema.get("properties")
    disposition = properties.get("disposition") if isinstance(properties, dict) else None
    allowed = disposition.get("enum") if isinstance(disposition, dict) else None
    summary_shape = properties.get("summary") if isinstance(properties, dict) else None
    most = summary_shape.get("maxLength") if isinstance(summary_shape, dict) else None
    lines = wrap_up_answer(blocks, nonsense=False).splitlines()
    summary = lines[0].removeprefix("Summary: ")
    if isinstance(most, int) and most > 0:
        summary = _cut(summary, most)
    chosen = lines[1].removeprefix("Disposition: ")
    if isinstance(allowed, list) and allowed and all(isinstance(item, str) for item in allowed):
        heard = words(" ".join([*blocks.customer, *blocks.agent]))
        ranked = sorted(range(len(allowed)), key=lambda i: (-len(words(allowed[i]) & heard), i))
        chosen = allowed[ranked[-1] if nonsense else ranked[0]]
    return json.dumps({"disposition": chosen, "summary": summary}, ensure_ascii=False)


def evaluation_json(blocks: Blocks) -> str:
    """An evaluation request answered (its `form` block): per question, the transcript's sentence sharing the most
    words with the question quoted word for word, and the scale's top answer; where no sentence shares a word, the
    answer at the scale's middle (rounded up) and an empty quote. Deterministic, and a mock's: a real model reads."""
    sentences = [piece for line in blocks.said for piece in _SENTENCE_END.split(line.strip()) if piece.strip()]
    answers = []
    for question in blocks.form or []:
        asked = words(question.text)
        scored = [(len(words(sentence) & asked), -n, sentence) for n, sentence in enumerate(sentences)]
        best = max(scored, default=(0, 0, ""))
        found = best[0] > 0
        answer = question.scale[-1] if found else question.scale[len(question.scale) // 2]
        answers.append({"question": question.id, "answer": answer, "quote": best[2] if found else ""})
    return json.dumps({"answers": answers}, ensure_ascii=False)


def _cut(text: str, most: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= most else flat[: most - 1] + "…"


def pieces(answer: str) -> list[str]:
    """The answer as a stream sends it: each word with the space before it."""
    return re.findall(r"\s*\S+", answer) or [answer]
