"""Arabic: the day, the month and the year in that order, as the United Nations writes
them in Arabic ("9 ديسمبر 2026"), with a 24-hour clock. Django's Arabic locale has no
DATETIME_FORMAT of its own, so it fell back to the American "N j, Y, P"
("ديسمبر 9, 2026, 4:56 م") in e-mails."""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y، H:i"
SHORT_DATE_FORMAT = "j F Y"
SHORT_DATETIME_FORMAT = "j F Y، H:i"
