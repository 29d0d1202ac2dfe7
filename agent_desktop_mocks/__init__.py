"""Mock CRM, CCaaS and presence servers: a whole simulated contact center for demos and tests.

They stand in for someone else's systems, so the desktop never imports them.
"""
