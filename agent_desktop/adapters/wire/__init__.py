"""What the HTTP adapters share: JSON answers read, errors in words, the SSE stream, paging."""
