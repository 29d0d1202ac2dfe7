"""PCI DSS masking of free text at the desk, before it leaves it or reaches its disk (the rules live in
`pci_redaction`, shared with the mock contact center's own redaction).

Where each mask is applied (one place per way out or in):
- customer and agent text as it arrives: `desktop.backends.models` (subjects, quoted text, each message)
  and `desktop.desk.conversations` (a number split over a party's messages);
- the agent's replies: `desktop.desk.controller.DeskController.send_text` (`mask_outgoing`);
- drafts and notes on disk: `desktop.desk.drafts`, `desktop.desk.conversation_drafts` (`mask_draft`);
- every CRM write: `desktop.outbox.store.Outbox.add` (a transcript as one conversation per party; the
  customer's side after their previous interaction's, `desktop.outbox.wrap_up`);
- messages to experts: `desktop.backends.pci_masked`.
"""

from pci_redaction import (
    CARD_MASK,
    CODE_REMOVED,
    SPLIT_MASK,
    connected_tail,
    ends_in_run,
    luhn_valid,
    mask_arriving,
    mask_continuing,
    mask_draft,
    mask_messages,
    mask_outgoing,
    mask_pci,
    passes_through,
)

__all__ = [
    "CARD_MASK", "CODE_REMOVED", "SPLIT_MASK", "connected_tail", "ends_in_run", "luhn_valid", "mask_arriving",
    "mask_continuing", "mask_draft", "mask_messages", "mask_outgoing", "mask_pci", "passes_through",
]  # fmt: skip
