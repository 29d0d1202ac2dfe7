"""A customer as the CRM tells of them: their timeline, and how much one write may hold."""
