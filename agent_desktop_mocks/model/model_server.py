"""The mock model server's state and engine: its settings, its seeded draws (failures, nonsense), its answer ids, the
request bodies it received, newest last (a test reads them to prove what left the desk), and the answer to a chat
request in the pieces it is streamed in (`answer`: what the route sends, and what an in-process backend yields)."""

from __future__ import annotations

import random
from collections import deque
from dataclasses import dataclass, field

from agent_desktop_mocks.model.chat_request import ChatRequest
from agent_desktop_mocks.model.floor_answers import floor_answer, read_figures
from agent_desktop_mocks.model.grounding import (
    URGENT_ASK,
    asked_answer,
    count_tokens,
    evaluation_json,
    grounded_reply,
    pieces,
    read_blocks,
    urgent_brief,
    wrap_up_answer,
    wrap_up_json,
)
from agent_desktop_mocks.model.schemas import CompletionUsage
from agent_desktop_mocks.model.settings import ModelMockSettings
from agent_desktop_mocks.model.translation import translated


@dataclass(frozen=True)
class Answer:
    """An answer as streamed: its pieces, why it stopped (`stop`, or `length` at `max_tokens`) and what it cost."""

    pieces: list[str]
    finish: str
    usage: CompletionUsage


@dataclass
class ModelServer:
    settings: ModelMockSettings
    received: deque[str] = field(init=False)
    _random: random.Random = field(init=False)
    _ids: int = 0

    def __post_init__(self) -> None:
        self.received = deque(maxlen=self.settings.keep_bodies)
        self._random = random.Random(f"model-mock:{self.settings.seed}")

    def draw(self) -> float:
        return self._random.random()

    def next_id(self) -> int:
        self._ids += 1
        return self._ids

    def fails_now(self) -> bool:
        """This request is one of the share `failure_rate` answers 500 (seeded)."""
        return self.draw() < self.settings.failure_rate

    def answer(self, chat: ChatRequest) -> Answer:
        """The answer to `chat`: a translation where it asks for one, an evaluation's JSON where it gives a form, the ask
        box's cited answer where it asks a question, a wrap-up's two lines where it lists dispositions, else a reply
        grounded in its passages; cut at `max_tokens` pieces (a runaway answer, `runaway_characters` long, is not)."""
        text = "\n".join(content for role, content in chat.messages if role == "user")
        blocks = read_blocks(text)
        if blocks.translate is not None:
            whole = translated(blocks.translate[2], blocks.translate[0], blocks.translate[1])
        elif blocks.form is not None:
            whole = evaluation_json(blocks)
        elif blocks.figures is not None:
            whole = floor_answer(read_figures(blocks.figures), blocks.question or "")
        elif blocks.question is not None:
            whole = asked_answer(blocks)
        elif blocks.dispositions is not None and chat.schema is not None:
            whole = wrap_up_json(blocks, self.draw() < self.settings.nonsense_rate, chat.schema)
        elif blocks.dispositions is not None:
            whole = wrap_up_answer(blocks, nonsense=self.draw() < self.settings.nonsense_rate)
        elif URGENT_ASK in text and blocks.customer:
            whole = urgent_brief(blocks)
        else:
            last_user = next((content for role, content in reversed(chat.messages) if role == "user"), "")
            whole = grounded_reply(blocks, last_user)
        runaway = self.settings.runaway_characters
        if runaway is not None:  # a model that writes on past max_tokens
            whole = ((whole + " ") * (runaway // (len(whole) + 1) + 1))[:runaway]
        said, finish = pieces(whole), "stop"
        if runaway is None and chat.max_tokens is not None and len(said) > chat.max_tokens:
            said, finish = said[: chat.max_tokens], "length"
        prompt = sum(count_tokens(content) for _, content in chat.messages)
        completion = count_tokens("".join(said))
        return Answer(
            said,
            finish,
            CompletionUsage(prompt_tokens=prompt, completion_tokens=completion, total_tokens=prompt + completion),
        )
