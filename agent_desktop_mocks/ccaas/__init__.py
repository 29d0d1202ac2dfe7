"""The mock CCaaS: contact routing with queues, offers, agent states and a traffic simulator."""
