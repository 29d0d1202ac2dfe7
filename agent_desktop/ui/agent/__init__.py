"""The agent's screen and widgets. Its dialogs load the first time one opens (`agent_ui.ReasonPicker`), by the
screens' one way of loading on demand (agent_desktop/ui/__init__.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from agent_desktop import on_demand

if TYPE_CHECKING:
    from agent_desktop.ui.agent.dialogs.callback_dialog import CallbackDialog as CallbackDialog
    from agent_desktop.ui.agent.dialogs.case_dialog import CaseDialog as CaseDialog
    from agent_desktop.ui.agent.dialogs.copy_picker import CopyPicker as CopyPicker
    from agent_desktop.ui.agent.dialogs.customer_picker import CustomerPicker as CustomerPicker
    from agent_desktop.ui.agent.dialogs.customer_search import CustomerSearch as CustomerSearch
    from agent_desktop.ui.agent.dialogs.end_conversation_dialog import EndConversationDialog as EndConversationDialog
    from agent_desktop.ui.agent.dialogs.escalation_dialog import EscalationDialog as EscalationDialog
    from agent_desktop.ui.agent.dialogs.expert_actions import ExpertActions as ExpertActions
    from agent_desktop.ui.agent.dialogs.follow_up_dialog import FollowUpDialog as FollowUpDialog
    from agent_desktop.ui.agent.dialogs.knowledge_search import KnowledgeSearch as KnowledgeSearch
    from agent_desktop.ui.agent.dialogs.my_day_view import MyDayView as MyDayView
    from agent_desktop.ui.agent.dialogs.outbox_view import OutboxView as OutboxView
    from agent_desktop.ui.agent.dialogs.quick_response_picker import QuickResponsePicker as QuickResponsePicker
    from agent_desktop.ui.agent.dialogs.reason_picker import ReasonPicker as ReasonPicker
    from agent_desktop.ui.agent.dialogs.skill_picker import SkillPicker as SkillPicker
    from agent_desktop.ui.agent.dialogs.transcript_viewer import TranscriptViewer as TranscriptViewer
    from agent_desktop.ui.agent.dialogs.transfer_dialog import TransferDialog as TransferDialog

# Each screen loaded on demand (agent_desktop/ui/__init__.py says how and why) and its module, under this package.
ON_DEMAND = {
    "CallbackDialog": "dialogs.callback_dialog",
    "CaseDialog": "dialogs.case_dialog",
    "CopyPicker": "dialogs.copy_picker",
    "CustomerPicker": "dialogs.customer_picker",
    "CustomerSearch": "dialogs.customer_search",
    "EndConversationDialog": "dialogs.end_conversation_dialog",
    "EscalationDialog": "dialogs.escalation_dialog",
    "ExpertActions": "dialogs.expert_actions",
    "FollowUpDialog": "dialogs.follow_up_dialog",
    "KnowledgeSearch": "dialogs.knowledge_search",
    "MyDayView": "dialogs.my_day_view",
    "OutboxView": "dialogs.outbox_view",
    "QuickResponsePicker": "dialogs.quick_response_picker",
    "ReasonPicker": "dialogs.reason_picker",
    "SkillPicker": "dialogs.skill_picker",
    "TranscriptViewer": "dialogs.transcript_viewer",
    "TransferDialog": "dialogs.transfer_dialog",
}


__getattr__ = on_demand(__name__, ON_DEMAND)
