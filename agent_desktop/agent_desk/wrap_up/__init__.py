"""Wrap-up: the disposition and notes of a contact that left the agent's hands, its time box, and their write to the CRM."""
