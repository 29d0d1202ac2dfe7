"""The supervisor's desk without a terminal: the floor and the contacts monitored, the rules the screen shows them
by (sorts, filter, alerts, staffing advice, monitoring), its command table and its use cases."""
