"""The agent's screen and widgets. Its dialogs load the first time one opens (`agent_ui.ReasonPicker`), and the
assistant's suggestion area with the first conversation drawn, by the screens' one way of loading on demand
(agent_desktop/ui/__init__.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from agent_desktop import on_demand

if TYPE_CHECKING:
    from agent_desktop.ui.agent.callbacks.callback_dialog import CallbackDialog as CallbackDialog
    from agent_desktop.ui.agent.callers.case_dialog import CaseDialog as CaseDialog
    from agent_desktop.ui.agent.callers.copy_picker import CopyPicker as CopyPicker
    from agent_desktop.ui.agent.callers.customer_picker import CustomerPicker as CustomerPicker
    from agent_desktop.ui.agent.callers.customer_search import CustomerSearch as CustomerSearch
    from agent_desktop.ui.agent.conversations.dial_pad import DialPad as DialPad
    from agent_desktop.ui.agent.conversations.end_conversation_dialog import (
        EndConversationDialog as EndConversationDialog,
    )
    from agent_desktop.ui.agent.conversations.keypad_dialog import KeypadDialog as KeypadDialog
    from agent_desktop.ui.agent.conversations.quick_response_picker import QuickResponsePicker as QuickResponsePicker
    from agent_desktop.ui.agent.conversations.transcript_viewer import TranscriptViewer as TranscriptViewer
    from agent_desktop.ui.agent.conversations.wait_time_dialog import WaitTimeDialog as WaitTimeDialog
    from agent_desktop.ui.agent.experts.escalation_dialog import EscalationDialog as EscalationDialog
    from agent_desktop.ui.agent.experts.expert_actions import ExpertActions as ExpertActions
    from agent_desktop.ui.agent.experts.skill_picker import SkillPicker as SkillPicker
    from agent_desktop.ui.agent.experts.transfer_dialog import TransferDialog as TransferDialog
    from agent_desktop.ui.agent.follow_ups.follow_up_dialog import FollowUpDialog as FollowUpDialog
    from agent_desktop.ui.agent.my_day.my_day_view import MyDayView as MyDayView
    from agent_desktop.ui.agent.outbox.outbox_view import OutboxView as OutboxView
    from agent_desktop.ui.agent.reason_picker import ReasonPicker as ReasonPicker
    from agent_desktop.ui.agent.suggestions.ask_box import AskBox as AskBox
    from agent_desktop.ui.agent.suggestions.knowledge_search import KnowledgeSearch as KnowledgeSearch
    from agent_desktop.ui.agent.suggestions.suggestion_area import SuggestionArea as SuggestionArea
    from agent_desktop.ui.agent.suggestions.suggestion_area import SuggestionKeys as SuggestionKeys
    from agent_desktop.ui.agent.wrap_up.disposition_picker import DispositionPicker as DispositionPicker
    from agent_desktop.ui.agent.wrap_up.timed_out_notice import TimedOutNotice as TimedOutNotice

# Each screen (and the suggestion area) loaded on demand (agent_desktop/ui/__init__.py says how and why) and its
# module, under this package.
ON_DEMAND = {
    "AskBox": "suggestions.ask_box",
    "CallbackDialog": "callbacks.callback_dialog",
    "CaseDialog": "callers.case_dialog",
    "CopyPicker": "callers.copy_picker",
    "CustomerPicker": "callers.customer_picker",
    "CustomerSearch": "callers.customer_search",
    "DialPad": "conversations.dial_pad",
    "DispositionPicker": "wrap_up.disposition_picker",
    "EndConversationDialog": "conversations.end_conversation_dialog",
    "EscalationDialog": "experts.escalation_dialog",
    "ExpertActions": "experts.expert_actions",
    "FollowUpDialog": "follow_ups.follow_up_dialog",
    "KeypadDialog": "conversations.keypad_dialog",
    "KnowledgeSearch": "suggestions.knowledge_search",
    "MyDayView": "my_day.my_day_view",
    "OutboxView": "outbox.outbox_view",
    "QuickResponsePicker": "conversations.quick_response_picker",
    "ReasonPicker": "reason_picker",
    "SkillPicker": "experts.skill_picker",
    "SuggestionArea": "suggestions.suggestion_area",
    "SuggestionKeys": "suggestions.suggestion_area",
    "TimedOutNotice": "wrap_up.timed_out_notice",
    "TranscriptViewer": "conversations.transcript_viewer",
    "TransferDialog": "experts.transfer_dialog",
    "WaitTimeDialog": "conversations.wait_time_dialog",
}


__getattr__ = on_demand(__name__, ON_DEMAND)
