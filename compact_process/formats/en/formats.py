"""English dates as the United Nations writes them (British usage: "5 September 2017",
a 24-hour clock), not Django's American defaults. The other five languages use
Django's own formats for their locale (e.g. 2017年9月5日, 5 сентября 2017)."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
TIME_FORMAT = "H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
