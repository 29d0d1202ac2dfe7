"""baresip, the terminal's SIP softphone, driven over its `ctrl_tcp` link: netstring-framed JSON commands out, call
events back (docs/voice.md)."""
