"""`python -m mock_backends`: run the CCaaS, CRM and presence mock servers together."""

from mock_backends.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
