"""The keys: bindings from the command tables, how a key is shown, the help, and a key decided in its own turn (the user's keymap and the palette: ui/keymap.py, ui/palette.py)."""
