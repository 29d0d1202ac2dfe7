"""`python -m desktop` is the `agent-desktop` command."""

from desktop.cli import main

raise SystemExit(main())
