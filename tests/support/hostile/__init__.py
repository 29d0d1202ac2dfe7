"""The hostile-backend harness: real backends' answers, recorded once, replayed mutated.

`recording.py` records what a real (mock or shaped) server answers each desk call and replays it;
`mutations.py` spoils an answer (a field's type, nesting, encodings, sizes, HTML for JSON, paging loops,
foreign hosts, 429s, slow answers); `transport.py` is the httpx transport that replays, asks hypothesis
which spoiling to apply to each answer, and records every credential it sees sent.
"""
