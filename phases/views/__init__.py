"""Pages by family: ``public`` (no sign-in) and ``secretariat``."""
