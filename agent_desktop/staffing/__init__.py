"""Workforce figures for supervisors: Erlang C staffing advice (no terminal code here)."""
