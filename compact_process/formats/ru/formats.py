"""Russian: a day as "2 декабря 2026" (Django writes "2 декабря 2026 г.", whose period
doubles at the end of every sentence that ends with a date: "… на 6 декабря 2026 г.."); a
date and a time as every instant of the site writes them (compact_process/formats/
written.py): "2 декабря 2026, 16:55", hours with two digits ("09:05", not Django's
"9:05"). static/js/local-time.js drops the browser's " г." the same way."""

DATE_FORMAT = "j E Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j E Y, H:i"
# Tables write the day as the text does, not "02/12/2026" (which reads as 12 February
# to some readers).
SHORT_DATE_FORMAT = "j E Y"
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
