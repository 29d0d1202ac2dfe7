"""A Twilio-shaped mock: the mock CCaaS engine's agents, contacts and offers as TaskRouter resources."""
