"""The wire models: the records and events the desktop takes from any backend, as the JSON shapes the HTTP
clients parse (other backends build the same models), one module per part of the contact center they describe. The
vocabulary they are written in (channels, states, "in hand") is agent_desktop/domain/vocabulary.py, re-exported here
for the backends. The mock servers keep their own schemas and tests/contract/backends/test_wire_form_contract.py proves the
two agree.

Every model is re-exported here, as when this was one module: `from agent_desktop.domain.models import Contact` is
how the rest of the desk reads them. `X as X` is an explicit re-export (mypy's strict mode re-exports nothing else),
as textual.widgets does.
"""

from agent_desktop.domain.models.base import CustomerText as CustomerText
from agent_desktop.domain.models.base import Model as Model
from agent_desktop.domain.models.base import StreamEvent as StreamEvent
from agent_desktop.domain.models.base import deferred_adapter as deferred_adapter
from agent_desktop.domain.models.contact_center import ActionAnswer as ActionAnswer
from agent_desktop.domain.models.contact_center import Agent as Agent
from agent_desktop.domain.models.contact_center import AttachedData as AttachedData
from agent_desktop.domain.models.contact_center import AutoAcceptRule as AutoAcceptRule
from agent_desktop.domain.models.contact_center import BotHandoff as BotHandoff
from agent_desktop.domain.models.contact_center import BotLine as BotLine
from agent_desktop.domain.models.contact_center import BreakLimit as BreakLimit
from agent_desktop.domain.models.contact_center import Callback as Callback
from agent_desktop.domain.models.contact_center import Colleague as Colleague
from agent_desktop.domain.models.contact_center import Consult as Consult
from agent_desktop.domain.models.contact_center import Contact as Contact
from agent_desktop.domain.models.contact_center import ContactEndedBy as ContactEndedBy
from agent_desktop.domain.models.contact_center import Handover as Handover
from agent_desktop.domain.models.contact_center import NextState as NextState
from agent_desktop.domain.models.contact_center import Offer as Offer
from agent_desktop.domain.models.contact_center import Queue as Queue
from agent_desktop.domain.models.contact_center import QueueStats as QueueStats
from agent_desktop.domain.models.contact_center import ResponseTarget as ResponseTarget
from agent_desktop.domain.models.contact_center import TakenOver as TakenOver
from agent_desktop.domain.models.contact_center import Target as Target
from agent_desktop.domain.models.contact_center import Voicemail as Voicemail
from agent_desktop.domain.models.contact_center import WrapUpMode as WrapUpMode
from agent_desktop.domain.models.contact_center import WrapUpRule as WrapUpRule
from agent_desktop.domain.models.conversations import ChannelLimits as ChannelLimits
from agent_desktop.domain.models.conversations import Conversation as Conversation
from agent_desktop.domain.models.conversations import ConversationEndedEvent as ConversationEndedEvent
from agent_desktop.domain.models.conversations import ConversationEvent as ConversationEvent
from agent_desktop.domain.models.conversations import DeliveredEvent as DeliveredEvent
from agent_desktop.domain.models.conversations import MessageEvent as MessageEvent
from agent_desktop.domain.models.conversations import ParticipantJoinedEvent as ParticipantJoinedEvent
from agent_desktop.domain.models.conversations import ParticipantLeftEvent as ParticipantLeftEvent
from agent_desktop.domain.models.conversations import ReadEvent as ReadEvent
from agent_desktop.domain.models.conversations import ScheduledReply as ScheduledReply
from agent_desktop.domain.models.conversations import ScheduledReplyEvent as ScheduledReplyEvent
from agent_desktop.domain.models.conversations import SnoozeEvent as SnoozeEvent
from agent_desktop.domain.models.conversations import TranscriptItem as TranscriptItem
from agent_desktop.domain.models.conversations import TranscriptItemEvent as TranscriptItemEvent
from agent_desktop.domain.models.conversations import TranscriptPage as TranscriptPage
from agent_desktop.domain.models.conversations import TypingEvent as TypingEvent
from agent_desktop.domain.models.crm import Account as Account
from agent_desktop.domain.models.crm import Case as Case
from agent_desktop.domain.models.crm import CaseCreate as CaseCreate
from agent_desktop.domain.models.crm import Customer as Customer
from agent_desktop.domain.models.crm import CustomerRecord as CustomerRecord
from agent_desktop.domain.models.crm import Interaction as Interaction
from agent_desktop.domain.models.crm import InteractionCreate as InteractionCreate
from agent_desktop.domain.models.crm import LookupResult as LookupResult
from agent_desktop.domain.models.crm import MatchedOn as MatchedOn
from agent_desktop.domain.models.crm import NewCustomer as NewCustomer
from agent_desktop.domain.models.crm import Note as Note
from agent_desktop.domain.models.crm import Order as Order
from agent_desktop.domain.models.crm import Supervision as Supervision
from agent_desktop.domain.models.crm import SupervisionRecord as SupervisionRecord
from agent_desktop.domain.models.crm import TranscriptLine as TranscriptLine
from agent_desktop.domain.models.events import AgentStateEvent as AgentStateEvent
from agent_desktop.domain.models.events import CallCoachingEvent as CallCoachingEvent
from agent_desktop.domain.models.events import CallLevelEvent as CallLevelEvent
from agent_desktop.domain.models.events import ContactCenterEvent as ContactCenterEvent
from agent_desktop.domain.models.events import ContactEvent as ContactEvent
from agent_desktop.domain.models.events import OfferClosedEvent as OfferClosedEvent
from agent_desktop.domain.models.events import OfferEvent as OfferEvent
from agent_desktop.domain.models.events import RecordingEvent as RecordingEvent
from agent_desktop.domain.models.flags import Broadcast as Broadcast
from agent_desktop.domain.models.flags import BroadcastEvent as BroadcastEvent
from agent_desktop.domain.models.flags import Flag as Flag
from agent_desktop.domain.models.flags import FlagEvent as FlagEvent
from agent_desktop.domain.models.flags import FlagLine as FlagLine
from agent_desktop.domain.models.monitoring import MonitorEvent as MonitorEvent
from agent_desktop.domain.models.presence import Expert as Expert
from agent_desktop.domain.models.presence import ExpertMessage as ExpertMessage
from agent_desktop.domain.models.presence import ExpertMessageEvent as ExpertMessageEvent
from agent_desktop.domain.models.presence import Presence as Presence
from agent_desktop.domain.models.presence import PresenceEvent as PresenceEvent
from agent_desktop.domain.models.quality import Evaluation as Evaluation
from agent_desktop.domain.models.quality import EvaluationAnswer as EvaluationAnswer
from agent_desktop.domain.models.quality import EvaluationEvent as EvaluationEvent
from agent_desktop.domain.models.quality import EvaluationRecord as EvaluationRecord
from agent_desktop.domain.models.quality import EvaluationRecordWritten as EvaluationRecordWritten

# The vocabulary, re-exported for the backends.
from agent_desktop.domain.vocabulary import AWAY as AWAY
from agent_desktop.domain.vocabulary import IN_HAND as IN_HAND
from agent_desktop.domain.vocabulary import TALKING as TALKING
from agent_desktop.domain.vocabulary import AgentState as AgentState
from agent_desktop.domain.vocabulary import Availability as Availability
from agent_desktop.domain.vocabulary import Channel as Channel
from agent_desktop.domain.vocabulary import ConsultState as ConsultState
from agent_desktop.domain.vocabulary import ContactState as ContactState
from agent_desktop.domain.vocabulary import MonitorMode as MonitorMode
from agent_desktop.domain.vocabulary import OfferState as OfferState
from agent_desktop.domain.vocabulary import ParticipantRole as ParticipantRole
from agent_desktop.domain.vocabulary import TargetKind as TargetKind
