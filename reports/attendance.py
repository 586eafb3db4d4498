"""A gathering's sign-in sheet and attendance, as files for the facilitator and the project
officer: the attendance as a ``Sheet`` (written as CSV or Excel by benchmarking/exports.py,
which neutralises any cell a spreadsheet would read as a formula) and both as PDF (``pdf.py``,
the one renderer, fetching only the shipped fonts).

A one-gathering PDF (one row per invitee, some 30 to 40) renders in the request. Measured once
at 40 invitees (fonts warm): the sign-in sheet in 0.88 s, the attendance in 0.76 s, on two cores
shared with other work (load average 6.3), so under the second that would call for a Celery task.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from benchmarking.exports import Sheet
from sessions_app.models import Gathering
from sessions_app.selectors import Invitee, effective_hours, gathering_invitees

from . import pdf

SHEET_CSS = "reports/pdf/sheet.css"


@dataclass
class AttendanceRow:
    invitee: Invitee
    answer: str  # the answer's label, or empty when not answered
    present: str  # yes, no, or empty while attendance is not recorded
    hours: Decimal | None


def attendance_rows(gathering: Gathering) -> list[AttendanceRow]:
    """Every invitee by municipality, with their answer, presence and hours (four queries)."""
    items = list(gathering.agenda.all())
    minutes = sum(item.duration_minutes for item in items if item.is_training)
    invitees = sorted(gathering_invitees(gathering), key=lambda i: i.municipality.name)
    rows = []
    for invitee in invitees:
        attendance = invitee.attendance
        present, hours = "", None
        if attendance is not None:
            present = _("yes") if attendance.present else _("no")
            hours = effective_hours(attendance, minutes)
        answer = invitee.answer.get_answer_display() if invitee.answer else ""
        rows.append(AttendanceRow(invitee, str(answer), present, hours))
    return rows


def _number(hours: Decimal | None) -> int | float | None:
    """Hours as a spreadsheet number: 3 for three hours, 1.5 for one and a half."""
    if hours is None:
        return None
    return int(hours) if hours == hours.to_integral_value() else float(hours)


def _name(invitee: Invitee) -> str:
    return invitee.person.get_full_name() or invitee.person.get_username()


def attendance_sheet(gathering: Gathering) -> Sheet:
    headers = [_("Name"), _("Municipality"), _("Role"), _("Answer"), _("Present"), _("Hours")]
    rows = [
        [
            _name(row.invitee),
            row.invitee.municipality.name,
            str(row.invitee.role_label),
            row.answer,
            row.present,
            _number(row.hours),
        ]
        for row in attendance_rows(gathering)
    ]
    return Sheet(title=_title(gathering, _("Attendance")), headers=headers, rows=rows)


def _title(gathering: Gathering, what: str) -> str:
    return _("%(what)s: %(network)s, gathering %(number)d") % {
        "what": what,
        "network": gathering.network.name,
        "number": gathering.number,
    }


def filename(gathering: Gathering, what: str) -> str:
    return f"{slugify(what)}-{slugify(gathering.network.name)}-{gathering.number}"


def _render(template: str, gathering: Gathering, title: str) -> bytes:
    html = render_to_string(
        template,
        {
            "gathering": gathering,
            "title": title,
            "rows": attendance_rows(gathering),
            "generated_at": timezone.localtime(),
            "language": translation.get_language(),
        },
    )
    return pdf.html_to_pdf(html, css=render_to_string(SHEET_CSS)).content


def sign_in_sheet_pdf(gathering: Gathering) -> bytes:
    """Every invitee by municipality with name, role and an empty signature column."""
    return _render("reports/pdf/sign_in_sheet.html", gathering, _title(gathering, _("Sign-in")))


def attendance_pdf(gathering: Gathering) -> bytes:
    return _render("reports/pdf/attendance.html", gathering, _title(gathering, _("Attendance")))
