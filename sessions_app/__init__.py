"""The four gatherings (samlinger) of a network: agendas, attendance, calendar.

Built by the gatherings issue."""
