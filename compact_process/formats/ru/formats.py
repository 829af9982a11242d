"""Russian: Django's dates ("2 декабря 2026 г."); a date and a time as every instant of
the site writes them (compact_process/formats/written.py): "2 декабря 2026 г., 16:55",
hours with two digits ("09:05", not Django's "9:05")."""

TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j E Y г., H:i"
# Tables write the day as the text does, not "02/12/2026" (which reads as 12 February
# to some readers).
SHORT_DATE_FORMAT = "j E Y г."
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
