"""When the agent's keys are one moment of typing: the desk's offer waits for them to pause
(agent_offers.py), and the offer's dialog hands them on to what was open (dialogs/offer_dialog.py)."""

SETTLE_S = 0.4  # a key this soon after the one before is the same moment of typing
MAX_WAIT_S = 2.0  # an offer waits this long at most for the agent's keys to pause
