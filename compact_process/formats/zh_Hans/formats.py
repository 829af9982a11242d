"""Chinese: Django's dates and times ("2026年12月2日 16:55"): a space, not a Latin comma,
between the date and the time."""

TIME_FORMAT = "H:i"
DATETIME_FORMAT = "Y年n月j日 H:i"
