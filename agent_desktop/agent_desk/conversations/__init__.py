"""The conversations in hand: their transcripts, what is sent and held, the composer's limits and the response clocks."""
