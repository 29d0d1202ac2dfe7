"""The desk's screens and widgets (Textual).

The screens a desk opens later than its start load the first time one is read: each package of screens names
them in `ON_DEMAND` and its module `__getattr__` (PEP 562, as `textual.widgets` loads its widgets) imports the
module then; the type checker sees them through imports under TYPE_CHECKING. Here the supervisor's screen (an
agent's desk never loads it); the dialogs in agent/, shared/ and supervisor/. None is in a desk's first frame, and
together they weighed on the start (`desktop_start_to_interactive`, bench_desktop). The import-budget test
(tests/contract/start_up/test_import_budget.py) guards it: a screen imported at start by mistake raises the start's
count. docs/architecture.md, "What loads on demand"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from agent_desktop import on_demand

if TYPE_CHECKING:
    from agent_desktop.ui.keys.key_help import help_sections as help_sections
    from agent_desktop.ui.keys.key_help import vain_key_message as vain_key_message
    from agent_desktop.ui.supervisor.supervisor_screen import SupervisorScreen as SupervisorScreen

# Each screen loaded on demand and its module, under this package; and what only a key asks for (the help screen's
# sections, what a key pressed in vain says).
ON_DEMAND = {
    "SupervisorScreen": "supervisor.supervisor_screen",
    "help_sections": "keys.key_help",
    "vain_key_message": "keys.key_help",
}


__getattr__ = on_demand(__name__, ON_DEMAND)
