"""The CRM writes the desk still has to make: the status line and the view that fixes a refused write."""
