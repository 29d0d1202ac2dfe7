"""`python -m agent_desktop_mocks`: run the CCaaS, CRM and presence mock servers together."""

from agent_desktop_mocks.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
