"""A call's audio on the mock: relayed over RTP and decoded (G.711, SDP), its levels, its recording, the hold music and the script spoken."""
