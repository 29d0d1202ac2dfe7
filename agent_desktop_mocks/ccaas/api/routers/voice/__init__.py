"""The mock contact center's voice routes: the IVR, recordings, softphones."""
