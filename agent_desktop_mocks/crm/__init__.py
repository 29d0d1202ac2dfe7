"""Mock CRM: customers, their past interactions and cases, looked up by phone, email or account."""
