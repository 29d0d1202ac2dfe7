"""What asks for the supervisor over the floor's figures: the flags agents raise and the alerts from what customers
said, each a table whose rows `j` monitors."""
