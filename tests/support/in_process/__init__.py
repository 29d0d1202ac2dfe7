"""The desktop's backend protocols served in-process by the mock servers' own code, with no socket.

`InProcessContactCenter` runs the mock CCaaS's `Engine` and conversation service on a clock the test
steps; `InProcessCrm` and `InProcessPresenceDirectory` run the CRM's and the presence server's stores.
Each calls the mock's own route functions (their authorization and refusals included), minus HTTP, and
hands the desktop its models through their wire form (`wire.py`). tests/contract's protocol suites
prove they answer as the HTTP clients do against the servers; tests/ui runs the desktop on them.

They live under tests/ because only tests use them: the desktop may not import the mocks, and the demo
shows the mock APIs over real sockets, as an integrator will meet them.
"""
