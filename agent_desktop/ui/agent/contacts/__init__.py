"""The contacts in the agent's hands: the list, the selected contact's routing details, and the caller's journey in a
few words."""
