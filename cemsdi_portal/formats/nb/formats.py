# Norwegian dates as Norwegians write them: "1. september 2010", "1. sep 2010".
DATE_FORMAT = "j. F Y"
SHORT_DATE_FORMAT = "j. b Y"
DATETIME_FORMAT = "j. F Y, H:i"
SHORT_DATETIME_FORMAT = "j. b Y, H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
