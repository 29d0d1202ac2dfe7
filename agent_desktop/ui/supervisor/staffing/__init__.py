"""The supervisor's staffing panels: the Erlang C advice and why, the gap chart of forecast against schedule, and
the adherence board."""
