"""The mock contact center's, CRM's and presence service's HTTP APIs (httpx and SSE)."""
