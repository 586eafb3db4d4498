"""The action plan as a sheet, written as CSV or Excel by benchmarking/exports.py (which
neutralises any cell a spreadsheet would read as a formula)."""

from django.utils.translation import gettext as _

from benchmarking.exports import Sheet

from .selectors import ActionPlan


def action_plan_sheet(plan: ActionPlan) -> Sheet:
    headers = [
        _("Title"),
        _("Section"),
        _("Owner"),
        _("Start"),
        _("Due date"),
        _("Status"),
        _("Progress (%)"),
        _("Overdue"),
        _("Cost estimate"),
        _("Expected benefit"),
        _("Key figure"),
        _("Baseline year"),
        _("Baseline value"),
        _("Target year"),
        _("Target value"),
        _("Latest year"),
        _("Latest value"),
        _("Progress by the key figure (%)"),
        _("Description"),
    ]
    rows = []
    for row in plan.rows:
        m = row.measure
        rows.append(
            [
                m.title,
                m.section.title if m.section else "",
                str(m.owner) if m.owner else "",
                m.starts_on.isoformat() if m.starts_on else "",
                m.due_on.isoformat() if m.due_on else "",
                m.get_status_display(),
                m.progress,
                _("yes") if row.overdue else "",
                int(m.cost_estimate) if m.cost_estimate is not None else None,
                m.expected_benefit,
                m.indicator.name if m.indicator else "",
                m.baseline_year,
                m.baseline_value,
                m.target_year,
                m.target_value,
                row.latest_year,
                row.latest_value,
                round(row.toward_target) if row.toward_target is not None else None,
                m.description,
            ]
        )
    return Sheet(
        title=_("Action plan %(name)s") % {"name": plan.strategy.municipality.name},
        headers=headers,
        rows=rows,
    )
