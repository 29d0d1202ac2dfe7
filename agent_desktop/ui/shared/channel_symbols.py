"""One symbol per channel, each meaning one thing on every screen: the customer card marks a phone number with
the voice symbol and an email address with the email symbol, so chat has a symbol of its own (a speech mark)."""

from __future__ import annotations

from agent_desktop.domain.vocabulary import Channel

CHANNEL_SYMBOLS = {Channel.VOICE: "☎", Channel.CHAT: "❝", Channel.EMAIL: "✉", Channel.SMS: "✆"}
