"""Speech recognised from a call's audio as it is spoken (pocketsphinx, offline): one speaker's PCM in, interim and
final lines out. The contact center's side of a live transcript, as a CCaaS's real-time transcription is
(docs/voice.md, "Where the transcript is recognised")."""
