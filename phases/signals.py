"""Signals other apps listen to, so that ``phases`` never imports them."""

from django.dispatch import Signal

# Sent by ``seed_gcm`` after the process is loaded (or found loaded), with ``process``.
process_seeded = Signal()
