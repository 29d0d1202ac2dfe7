"""What a narrow and a short terminal are, for every screen: below these the screens reflow (the agent's
panes one at a time, the supervisor's tables with their key columns only). 80×24 is both."""

NARROW_BELOW = 100  # columns
SHORT_BELOW = 34  # rows
