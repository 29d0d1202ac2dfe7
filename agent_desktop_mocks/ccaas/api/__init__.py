"""The mock contact center's FastAPI app, its routers and what they depend on."""
