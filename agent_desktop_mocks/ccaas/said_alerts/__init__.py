"""Alerts from what customers say: the contact center's rules (words it lists, a customer's mood falling) read over
each customer message, and an alert to the supervisors of the contact's queue, once per contact and cause."""
