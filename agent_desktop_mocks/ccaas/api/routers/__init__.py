"""The CCaaS mock's routes, by resource."""
