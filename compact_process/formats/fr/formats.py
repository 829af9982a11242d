"""French: Django's dates ("2 décembre 2026"); a date and a time as every instant of the
site writes them (compact_process/formats/written.py): "2 décembre 2026, 16:55"."""

TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
