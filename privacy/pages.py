"""The download as a page: each part of it under a heading in the reader's language."""

import json
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

TITLES = {
    "profile": _("Your account"),
    "roles": _("Your roles"),
    "invitations_received": _("Invitations to you"),
    "invitations_sent": _("Invitations you sent"),
    "membership_invitations": _("Municipalities you invited to a network, or answered for"),
    "attendance": _("Your attendance at gatherings"),
    "section_revisions": _("Strategy text you wrote (every saved revision)"),
    "section_comments": _("Your comments on strategy sections"),
    "sections_last_saved": _("Sections you saved last"),
    "reports_issued": _("Review report versions you issued"),
    "report_reviews": _("Your reviews of issued review reports"),
    "narrative_revisions": _("Review report text you wrote (every saved revision)"),
    "narrative_sections": _("Review report sections you saved last or marked final"),
    "measures_owned": _("Measures you own"),
    "strategies_started": _("Strategies you started"),
    "strategy_status_changes": _("Strategy status changes you made"),
    "sections_open": _("Sections you have open for editing"),
    "digests_sent": _("Weekly digests sent to you"),
    "materials_uploaded": _("Materials you uploaded"),
    "assignments_marked_done": _("Assignments you marked done"),
    "calendar_feed": _("Your personal calendar feed"),
    "gathering_answers": _("Your answers to invitations to gatherings"),
    "answer_reminders": _("Reminders sent to you to answer an invitation"),
    "evaluations_given": _("Gatherings you evaluated (your answers are stored without your name)"),
    "reports_requested": _("Reports you asked for"),
    "assessment_rounds": _("Self-assessment rounds you opened or closed"),
    "assessment_responses": _("Self-assessment answers you saved last or submitted"),
    "practices_as_contact": _("Practices that name you as their contact"),
    "practices_featured": _("Practices you featured"),
    "practices_published": _("Practices you published"),
    "practices_taken_up": _("Practices you took up into an action plan"),
    "expert_profile": _("Your expert profile"),
    "speaker_invitations": _("Invitations to you to speak at a gathering"),
    "speaker_invitations_sent": _("Invitations to speak that you sent"),
    "audit_entries": _("The audit log: your changes, and changes to your records"),
    "administration_log": _("Your changes in the administration"),
}


@dataclass
class DataSection:
    title: str
    columns: list[str]
    rows: list[list]
    pairs: bool = False  # rows of (name, value), not a table


def _label(key: str) -> str:
    return key.replace("_", " ")


def _cell(value):
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def data_sections(data: dict) -> list[DataSection]:
    """``selectors.personal_data`` as tables: a part's rows under its keys."""
    sections = []
    for key, title in TITLES.items():
        value = data.get(key)
        if isinstance(value, dict):
            rows = [[_label(k), _cell(v)] for k, v in value.items()]
            sections.append(DataSection(str(title), [], rows, pairs=True))
        elif isinstance(value, list):
            keys = list(value[0]) if value else []
            rows = [[_cell(row.get(k)) for k in keys] for row in value]
            sections.append(DataSection(str(title), [_label(k) for k in keys], rows))
        else:
            answer = _("yes") if value else _("no")
            sections.append(DataSection(str(title), [], [[_("You have one"), answer]], pairs=True))
    return sections
