"""A Zendesk Support-shaped server over the mock CRM's data (docs/vendors/zendesk-support.openapi.yaml)."""
