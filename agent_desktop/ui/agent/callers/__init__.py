"""The screen pop: the caller's card and its tabs, the timeline, the new-caller form, picking or finding the caller's
customer, cases, and copying their details."""
