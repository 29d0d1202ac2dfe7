"""The CRM's /v1 routes, one module per resource."""
