"""Channel symbols that cannot be confused: chat was drawn ✉ while ✉ also marked the customer's
email address on the card, and an expert's reply in the experts list."""

from __future__ import annotations

from agent_desktop.domain.models import Channel, Customer, CustomerRecord
from agent_desktop.ui.agent.callers.customer_card import CustomerCard
from agent_desktop.ui.agent.experts.experts_panel import REPLY_MARK
from agent_desktop.ui.shared.channel_symbols import CHANNEL_SYMBOLS


def test_each_channel_has_its_own_symbol_and_the_card_marks_addresses_with_their_channels() -> None:
    assert len(set(CHANNEL_SYMBOLS.values())) == len(Channel)
    record = CustomerRecord(
        customer=Customer(id="cus-1", name="Dana Reyes", phones=["+12125550101"], emails=["dana@example.com"])
    )
    card = CustomerCard.summary_of(record, 1).plain
    assert f"{CHANNEL_SYMBOLS[Channel.EMAIL]} dana@example.com" in card
    assert f"{CHANNEL_SYMBOLS[Channel.VOICE]} (212) 555-0101" in card  # the number as the desk writes one
    assert CHANNEL_SYMBOLS[Channel.CHAT] not in card
    assert CHANNEL_SYMBOLS[Channel.SMS] not in card
    assert REPLY_MARK.strip() not in CHANNEL_SYMBOLS.values()
