"""Messages to customers outside a contact: SMS and email through a CPaaS, opt-outs, consent for follow-ups, snoozed and scheduled replies."""
