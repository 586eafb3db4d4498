"""Month and weekday names as Portugal and Italy write them: lower case ("1 de setembro de
2010", "lunedì 18 ottobre 2010"). Django's own pt and it catalogues capitalise them; the
portal's catalogues (LOCALE_PATHS) take precedence over Django's, so these msgids, the same
as ``django.utils.dates``'s, carry the portal's translations. Nothing imports this module:
it is here so that makemessages keeps the msgids in the portal's catalogues."""

from django.utils.translation import gettext_noop

MONTHS = (
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
)
WEEKDAYS = (
    gettext_noop("Monday"),
    gettext_noop("Tuesday"),
    gettext_noop("Wednesday"),
    gettext_noop("Thursday"),
    gettext_noop("Friday"),
    gettext_noop("Saturday"),
    gettext_noop("Sunday"),
)
