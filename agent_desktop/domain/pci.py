"""PCI DSS masking of free text at the desk, before it leaves it or reaches its disk (the rules live in
`pci_redaction`, shared with the mock contact center's own redaction).

Where each mask is applied (one place per way out or in):
- customer and agent text as it arrives: `agent_desktop.domain.models` (subjects, quoted text, each message)
  and `agent_desktop.transcripts.conversation` (a number split over a party's messages);
- the agent's replies: `agent_desktop.agent_desk.controller.DeskController.send_text` (`mask_outgoing`);
- drafts and notes on disk: `agent_desktop.agent_desk.drafts.drafts`, `agent_desktop.agent_desk.drafts.conversation_drafts` (`mask_draft`);
- every CRM write: `agent_desktop.outbox.store.Outbox.add` (a transcript as one conversation per party; the
  customer's side after their previous interaction's, `agent_desktop.outbox.wrap_up`);
- messages to experts: `agent_desktop.domain.pci_masked`.
"""

from agent_desktop_pci import (
    CARD_MASK,
    CODE_REMOVED,
    SPLIT_MASK,
    SPLIT_REACH,
    connected_tail,
    ends_in_code_name,
    ends_in_run,
    luhn_valid,
    mask_arriving,
    mask_continuing,
    mask_draft,
    mask_messages,
    mask_outgoing,
    mask_pci,
    passes_through,
    settled_part,
    stands_apart,
)

__all__ = [
    "CARD_MASK",
    "CODE_REMOVED",
    "SPLIT_MASK",
    "SPLIT_REACH",
    "connected_tail",
    "ends_in_code_name",
    "ends_in_run",
    "luhn_valid",
    "mask_arriving",
    "mask_continuing",
    "mask_draft",
    "mask_messages",
    "mask_outgoing",
    "mask_pci",
    "passes_through",
    "settled_part",
    "stands_apart",
]
