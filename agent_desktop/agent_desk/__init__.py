"""The agent's desk without a terminal: what the agent holds (model), what they can do (commands), and
the use cases that talk to the backends (controller). The agent screen only draws it.

The use cases only a key opens (My day, a callback, a flag, an evaluation, a follow-up, a call placed, a message played) and the assistant's load the
first time the controller builds one (`agent_desk.MyDayUseCase`), and the outbox view's rows when it asks for them
(`agent_desk.written_row`), the way the screens load on demand
(agent_desktop/ui/__init__.py; tests/contract/start_up/test_import_budget.py guards the start)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from agent_desktop import on_demand

if TYPE_CHECKING:
    from agent_desktop.agent_desk.callbacks.callback_use_case import CallbackUseCase as CallbackUseCase
    from agent_desktop.agent_desk.conversations.waits_use_case import WaitsUseCase as WaitsUseCase
    from agent_desktop.agent_desk.flags.flag_use_cases import FlagRaising as FlagRaising
    from agent_desktop.agent_desk.follow_ups.follow_up_use_case import FollowUpUseCase as FollowUpUseCase
    from agent_desktop.agent_desk.my_day.my_day_use_case import EvaluationUseCase as EvaluationUseCase
    from agent_desktop.agent_desk.my_day.my_day_use_case import MyDayUseCase as MyDayUseCase
    from agent_desktop.agent_desk.suggestions.article_hints import ArticleHintsUseCase as ArticleHintsUseCase
    from agent_desktop.agent_desk.suggestions.ask_box import AskBox as AskBox
    from agent_desktop.agent_desk.suggestions.knowledge_lookup import KnowledgeLookup as KnowledgeLookup
    from agent_desktop.agent_desk.suggestions.reply_suggestions import ReplySuggestions as ReplySuggestions
    from agent_desktop.agent_desk.suggestions.running_summaries import RunningSummaries as RunningSummaries
    from agent_desktop.agent_desk.suggestions.translations import Translations as Translations
    from agent_desktop.agent_desk.voice.message_playback import MessagePlayback as MessagePlayback
    from agent_desktop.agent_desk.voice.placed_calls import PlacedCalls as PlacedCalls
    from agent_desktop.agent_desk.wrap_up.written_rows import fix_named as fix_named
    from agent_desktop.agent_desk.wrap_up.written_rows import written_row as written_row

# Each use case loaded on demand and its module, under this package; and the outbox view's rows (`o`).
ON_DEMAND = {
    "ArticleHintsUseCase": "suggestions.article_hints",
    "AskBox": "suggestions.ask_box",
    "CallbackUseCase": "callbacks.callback_use_case",
    "WaitsUseCase": "conversations.waits_use_case",
    "EvaluationUseCase": "my_day.my_day_use_case",
    "FlagRaising": "flags.flag_use_cases",
    "FollowUpUseCase": "follow_ups.follow_up_use_case",
    "KnowledgeLookup": "suggestions.knowledge_lookup",
    "MyDayUseCase": "my_day.my_day_use_case",
    "MessagePlayback": "voice.message_playback",
    "PlacedCalls": "voice.placed_calls",
    "ReplySuggestions": "suggestions.reply_suggestions",
    "Translations": "suggestions.translations",
    "RunningSummaries": "suggestions.running_summaries",
    "fix_named": "wrap_up.written_rows",
    "written_row": "wrap_up.written_rows",
}


__getattr__ = on_demand(__name__, ON_DEMAND)
