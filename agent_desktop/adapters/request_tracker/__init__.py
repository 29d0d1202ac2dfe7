"""Request Tracker 5 as a CRM backend (REST 2.0): docs/vendors/request-tracker.md."""
