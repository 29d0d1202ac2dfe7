"""A server a test started in a session of its own (`start_new_session=True`), stopped with everything it started:
the mocks' own helper (agent_desktop_mocks/common/process_group.py), which the demo's Request Tracker uses too."""

from agent_desktop_mocks.common.process_group import signal_group, stop_group

__all__ = ["signal_group", "stop_group"]
