"""What the HTTP adapters share: JSON answers read, errors in words, the SSE stream, paging, the marker line of a
wrap-up written as a ticketing system's comment."""
