"""Twilio's HTTP manners: basic auth, errors in its shape, form bodies, paging, request signatures."""
