"""Spanish: Django's dates ("2 de diciembre de 2026"); a date and a time as every instant
of the site writes them (compact_process/formats/written.py): "2 de diciembre de 2026,
16:55", not "… a las 16:55" in e-mails and "…, 16:55" on pages."""

TIME_FORMAT = "H:i"
DATETIME_FORMAT = r"j \d\e F \d\e Y, H:i"
# Tables write the day as the text does, not "02/12/2026" (which reads as 12 February
# to some readers).
SHORT_DATE_FORMAT = r"j \d\e F \d\e Y"
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
