"""The backends, one plug-in package each (http, twilio, zendesk, xmpp, openai_compat, baresip), registered by entry point;
`wire` holds the HTTP plumbing they share."""
