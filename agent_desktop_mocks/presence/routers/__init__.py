"""The presence server's /v1 routes, one module per resource."""
