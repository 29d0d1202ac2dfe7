"""PCI DSS masking of card data in free text: the desk's and the mock contact center's one masker.

Neither the desktop nor the mock backends own it (they must not import each other): both mask with the
same rules, as a contact center's own redaction and the desk's would. `masking` says the rules.
"""

from agent_desktop_pci.cards import luhn_valid
from agent_desktop_pci.digit_runs import ends_in_run
from agent_desktop_pci.masking import (
    CARD_MASK,
    MOST_DIGITS_SHOWN,
    SPLIT_MASK,
    SPLIT_REACH,
    connected_tail,
    mask_arriving,
    mask_continuing,
    mask_draft,
    mask_messages,
    mask_outgoing,
    mask_pci,
    passes_through,
    settled_part,
    stands_apart,
    starts_in_run,
)
from agent_desktop_pci.security_codes import (
    CODE_REMOVED,
    ends_in_code_name,
    remove_security_codes,
    remove_security_codes_across,
)

__all__ = [
    "CARD_MASK",
    "CODE_REMOVED",
    "MOST_DIGITS_SHOWN",
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
    "remove_security_codes",
    "remove_security_codes_across",
    "settled_part",
    "stands_apart",
    "starts_in_run",
]
