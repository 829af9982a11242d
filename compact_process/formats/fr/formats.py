"""French: Django's dates ("2 décembre 2026"); a date and a time as every instant of the
site writes them (compact_process/formats/written.py): "2 décembre 2026, 16:55"."""

TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
# Tables write the day as the text does, not "02/12/2026" (which reads as 12 February
# to some readers).
SHORT_DATE_FORMAT = "j F Y"
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
