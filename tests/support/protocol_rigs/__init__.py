"""What the protocol suites (tests/contract/*/test_*_protocol.py) run each scenario on: one rig per backend
implementation, each with the backend under test and the outside world's side of the scene (a customer
calling, a supervisor changing a queue, time passing), so a scenario reads the same for every one."""
