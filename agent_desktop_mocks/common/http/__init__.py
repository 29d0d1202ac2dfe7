"""What every mock server does with HTTP the same way: bearer tokens, the request guard, header limits, idempotency, the service API."""
