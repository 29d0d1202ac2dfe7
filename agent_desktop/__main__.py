"""`python -m agent_desktop` is the `agent-desktop` command."""

from agent_desktop.app.cli import main

raise SystemExit(main())
