"""The knowledge base a CRM may serve: its records, its protocol, and the searches made from what a customer wrote."""
