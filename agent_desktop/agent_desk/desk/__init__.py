"""The agent's desk, the model its screen draws: `Desk` (model.py) and the rules it applies the contact center's
events by, one collaborator a file (offer_rules.py, contact_rules.py, next_state.py, link_watch.py)."""

from agent_desktop.agent_desk.desk.model import Desk as Desk
