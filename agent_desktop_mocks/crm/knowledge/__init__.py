"""The mock CRM's knowledge base: its data table, its seed, its store and ranked search."""
