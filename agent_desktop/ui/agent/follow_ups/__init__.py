"""The follow-up after wrap-up: channel, template and the text the customer gets."""
