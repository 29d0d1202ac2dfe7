"""What a supervisor sees of the contact center and does to it: the floor's models, the protocol, and the alerts from what customers say."""
