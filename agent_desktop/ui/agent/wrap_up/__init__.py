"""Wrap-up: the disposition and notes form, its disposition picker, and the notice when a time-boxed wrap-up ran out."""
