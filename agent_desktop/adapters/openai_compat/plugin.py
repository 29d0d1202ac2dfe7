"""The OpenAI-compatible model as a plug-in: the entry point (pyproject.toml, group `agent_desktop.assist`, kind
"openai") that builds the client from the configuration's `[assist]` section."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from agent_desktop.domain.assist.protocol import AssistModel
from agent_desktop.domain.plugins import DeskSettings

if TYPE_CHECKING:
    from agent_desktop.adapters.openai_compat.chat_completions import StructuredOutput


class AssistSection(Protocol):
    """What `[assist]` says (agent_desktop/app/config.py's `AssistConfig`)."""

    @property
    def base_url(self) -> object: ...
    @property
    def model(self) -> str | None: ...
    @property
    def first_token_s(self) -> float: ...
    @property
    def answer_s(self) -> float: ...
    @property
    def structured_output(self) -> StructuredOutput: ...

    def api_key_value(self) -> str | None: ...


def assist(section: AssistSection, settings: DeskSettings) -> AssistModel:
    from agent_desktop.adapters.openai_compat.chat_completions import ChatCompletionsModel

    if section.base_url is None or not section.model:
        raise ValueError("base_url and model are both needed")
    return ChatCompletionsModel(
        str(section.base_url),
        section.model,
        section.api_key_value(),
        first_token_s=section.first_token_s,
        answer_s=section.answer_s,
        structured_output=section.structured_output,
    )
