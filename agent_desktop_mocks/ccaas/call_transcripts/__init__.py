"""Live transcription of voice calls: the simulated caller and agent speak their intent's lines while a call is
connected, each line as interim words, then final, on the agent's stream and the watching supervisors'."""
