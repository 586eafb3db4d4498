"""Every URL pattern of the project, for every role, answers as its access rule says.

The walk collects the URL patterns from the resolver itself, so a URL added later without an
entry in ``RULES`` (or, for the Django admin, without fitting the admin's rule) fails here.
Objects of another network or municipality answer 404, so their existence does not leak.
"""

from datetime import date

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from assessment import services as assessment_services
from assessment.models import Questionnaire
from benchmarking import services as benchmarking_services
from benchmarking.models import Indicator, Observation, ReferenceValue
from community import services as community_services
from networks.models import (
    Country,
    Invitation,
    MembershipInvitation,
    MunicipalityCode,
    PeerGroup,
    ProgrammeObjective,
)
from notices.models import Notice
from reports import narrative_services
from reports.models import ReportingPeriod, ReportRequest
from sessions_app import selectors as sessions_selectors
from sessions_app import services as sessions_services
from sessions_app.models import CalendarToken
from sessions_app.tokens import answer_token
from strategies import services as strategy_services

from . import factories as f
from .assessment.helpers import seed_first_questionnaire
from .networks.invitations import invitation_with_link

ROLES = [
    "anonymous",
    "facilitator",
    "other_facilitator",
    "chief_executive",
    "other_chief_executive",
    "project_officer",
    "staff",
]

LOGIN = "login"  # a 302 to the sign-in page


def _rule(anonymous, facilitator, other_facilitator, chief, other_chief, officer, staff):
    return dict(
        zip(
            ROLES,
            [anonymous, facilitator, other_facilitator, chief, other_chief, officer, staff],
            strict=True,
        )
    )


def _everyone(status):
    return _rule(*[status] * len(ROLES))


def _signed_in(status):
    return _rule(LOGIN, *[status] * (len(ROLES) - 1))


VIEW_NETWORK = _rule(LOGIN, 200, 404, 200, 404, 200, 200)  # members, officer and staff read
RUN_NETWORK = _rule(LOGIN, 200, 404, 403, 404, 403, 200)  # its facilitators and staff change
POST_ONLY = _signed_in(405)  # a GET is refused once signed in
# The municipality's chief executive (and staff) write; readers of the network get 403.
EDIT_STRATEGY = _rule(LOGIN, 403, 404, 200, 404, 403, 200)

RULES = {
    "home": _signed_in(200),
    "network_list": _signed_in(200),
    "network_create": _rule(LOGIN, 200, 200, 403, 403, 403, 200),
    "network_detail": _rule(LOGIN, 200, 404, 200, 404, 200, 200),
    "network_update": _rule(LOGIN, 200, 404, 403, 404, 403, 200),
    "network_invite": _rule(LOGIN, 200, 404, 403, 404, 403, 200),
    "network_invite_file": RUN_NETWORK,
    "network_invite_file_confirm": POST_ONLY,
    "municipality_detail": _rule(LOGIN, 200, 404, 200, 404, 200, 200),
    "programme_detail": _signed_in(200),
    "invitation_accept": _everyone(200),  # the secret link is the key: no sign-in
    "invitation_withdraw": POST_ONLY,
    "membership_decide": POST_ONLY,
    "login": _everyone(200),
    "logout": _everyone(405),  # signing out is a POST
    "password_change": _signed_in(200),
    "password_change_done": _signed_in(200),
    "password_reset": _everyone(200),
    "password_reset_done": _everyone(200),
    "password_reset_confirm": _everyone(200),
    "password_reset_complete": _everyone(200),
    "set_language": _everyone(302),  # a GET only redirects back
    "healthz": _everyone(200),
    "accessibility_statement": _everyone(200),
    # Gatherings (sessions_app)
    "network_schedule": RUN_NETWORK,
    "network_gatherings": VIEW_NETWORK,
    "facilitator_overview": _rule(LOGIN, 200, 200, 403, 403, 403, 200),
    "gathering_detail": VIEW_NETWORK,
    "gathering_summary": RUN_NETWORK,
    "gathering_summary_preview": POST_ONLY,
    "gathering_invite": POST_ONLY,
    "gathering_move": RUN_NETWORK,
    "gathering_cancel": POST_ONLY,
    "agenda_item_add": POST_ONLY,
    "agenda_item_edit": RUN_NETWORK,
    "agenda_item_move": POST_ONLY,
    "agenda_item_delete": POST_ONLY,
    "gathering_attendance": RUN_NETWORK,
    "gathering_answer": POST_ONLY,
    # The signed token is the key: no sign-in. The world's gathering is over: 410 Gone.
    "gathering_answer_link": _everyone(410),
    "gathering_answer_remind": POST_ONLY,
    # Those recorded present (the chief executive); others who see the gathering get 403.
    "gathering_evaluation": _rule(LOGIN, 403, 404, 200, 404, 403, 403),
    # The facilitators, the project officer and administrators.
    "gathering_evaluation_results": _rule(LOGIN, 200, 404, 403, 404, 200, 200),
    "material_upload": RUN_NETWORK,
    "material_download": VIEW_NETWORK,
    "material_delete": POST_ONLY,
    "assignment_create": RUN_NETWORK,
    "assignment_done": POST_ONLY,
    "assignment_edit": RUN_NETWORK,
    "assignment_delete": RUN_NETWORK,  # a GET asks first
    "network_calendar": VIEW_NETWORK,
    "network_calendar_ics": VIEW_NETWORK,
    "my_calendar": _signed_in(200),
    "person_calendar_ics": _everyone(200),  # the secret token is the key: no sign-in
    # Key figures (benchmarking)
    "municipality_keyfigures": VIEW_NETWORK,
    "municipality_keyfigures_export": VIEW_NETWORK,
    "network_keyfigures": VIEW_NETWORK,
    "network_keyfigures_export": VIEW_NETWORK,
    "indicator_detail": _signed_in(200),  # public statistics; each sees the sets they may
    "keyfigure_catalogue": _signed_in(200),  # the catalogue of indicators: public statistics
    "municipality_similar": VIEW_NETWORK,
    "keyfigures_import": _rule(LOGIN, 200, 200, 403, 403, 403, 200),  # facilitators, staff
    # A person's own comparison sets: anyone signed in keeps some; each is its owner's alone
    # (the chief executive's here), even an administrator gets 404.
    "comparison_set_list": _signed_in(200),
    "comparison_set_create": _signed_in(200),
    "comparison_set_edit": _rule(LOGIN, 404, 404, 200, 404, 404, 404),
    "comparison_set_delete": _rule(LOGIN, 404, 404, 200, 404, 404, 404),
    "keyfigures_import_confirm": POST_ONLY,
    # Statistics feeds: administrators only; a feed does not exist for anyone else (404).
    "feed_list": _rule(LOGIN, 403, 403, 403, 403, 403, 200),
    "feed_create": _rule(LOGIN, 403, 403, 403, 403, 403, 200),
    "feed_detail": _rule(LOGIN, 404, 404, 404, 404, 404, 200),
    "feed_edit": _rule(LOGIN, 404, 404, 404, 404, 404, 200),
    "feed_fetch": POST_ONLY,
    "feed_run_apply": POST_ONLY,
    # Review reports (reports)
    "report_list": _signed_in(200),
    "report_request": POST_ONLY,
    "report_download": VIEW_NETWORK,  # a network report: whoever sees the network
    "report_download_format": VIEW_NETWORK,  # its .docx, to the same readers
    "report_page": VIEW_NETWORK,  # its web page, to the same readers
    "report_detail": VIEW_NETWORK,  # the same report's page
    "report_issue": POST_ONLY,
    "report_review": POST_ONLY,
    "programme_figures": _rule(LOGIN, 403, 403, 403, 403, 200, 200),  # officer and staff
    "programme_figures_export": _rule(LOGIN, 403, 403, 403, 403, 200, 200),
    # The officer reads the periods and targets (the coordinator and staff edit them).
    "programme_review_targets": _rule(LOGIN, 403, 403, 403, 403, 200, 200),
    "gathering_sign_in_sheet": _rule(LOGIN, 200, 404, 403, 404, 200, 200),
    "gathering_attendance_export": _rule(LOGIN, 200, 404, 403, 404, 200, 200),
    # The review report's narrative: the workspace is read by the report's readers and by the
    # facilitators of the programme's networks (each sees their own network's sections); the
    # coordinator and staff write the programme's, a network's facilitator and staff its own.
    "narrative_workspace": _rule(LOGIN, 200, 200, 403, 403, 200, 200),
    "narrative_write_programme": _rule(LOGIN, 403, 403, 403, 403, 403, 200),
    "narrative_write_network": _rule(LOGIN, 200, 404, 403, 404, 403, 200),
    "narrative_status": POST_ONLY,
    "narrative_restore": POST_ONLY,
    # The self-assessment: a round of the world's network. Its facilitators open and close;
    # a municipality's answers are seen by its own people and the facilitators only.
    "network_assessment": VIEW_NETWORK,
    "assessment_round_open": RUN_NETWORK,
    "round_detail": VIEW_NETWORK,
    "round_close": POST_ONLY,
    "response_edit": _rule(LOGIN, 200, 404, 200, 404, 404, 200),
    # Strategies: the world's strategy (Alta's) is shared with its network.
    "network_strategies": VIEW_NETWORK,
    "dla_priorities": _signed_in(200),  # reference data: what the DLA codes mean
    "strategy_start": POST_ONLY,
    "strategy_detail": VIEW_NETWORK,
    "strategy_edit": EDIT_STRATEGY,
    "strategy_status": EDIT_STRATEGY,
    "section_add": EDIT_STRATEGY,
    "section_edit": EDIT_STRATEGY,
    "section_presence": POST_ONLY,
    "section_preview": POST_ONLY,
    "section_history": VIEW_NETWORK,
    "section_restore": POST_ONLY,
    "section_comment": POST_ONLY,
    "action_plan": VIEW_NETWORK,
    "action_plan_timeline": VIEW_NETWORK,
    "action_plan_export": VIEW_NETWORK,
    "measure_create": EDIT_STRATEGY,
    "measure_edit": EDIT_STRATEGY,
    "measure_delete": EDIT_STRATEGY,  # a GET asks first
    "section_delete": EDIT_STRATEGY,
    "comment_reply": POST_ONLY,
    "comment_resolve": POST_ONLY,
    # The library of practices (community): the world's practice is of Alta's shared strategy,
    # so everyone in the programme reads it; Alta's editors edit it, its named contact (the
    # chief executive) agrees, the facilitators of any network of the programme curate.
    "practice_list": _signed_in(200),
    "practice_detail": _signed_in(200),
    "practice_edit": _rule(LOGIN, 403, 403, 200, 403, 403, 200),
    "practice_contact": _rule(LOGIN, 403, 403, 200, 403, 403, 200),
    "practice_curate": POST_ONLY,
    "practice_merge": _rule(LOGIN, 200, 200, 403, 403, 403, 200),
    "practice_adopt": POST_ONLY,
    "practice_publish_measure": EDIT_STRATEGY,
    "practice_publish_section": EDIT_STRATEGY,
    # Notices: one's own only. The world's notice is the facilitator's (Alta's strategy shared).
    "notices": _signed_in(200),
    "notice_open": _rule(LOGIN, 302, 404, 404, 404, 404, 404),
    "notices_read": POST_ONLY,
    "notice_settings": _signed_in(200),
    # A person's own data (privacy): one's own only, so no id; erasure for administrators.
    "my_data": _signed_in(200),
    "my_data_download": _signed_in(200),
    "person_erase": _rule(LOGIN, 404, 404, 404, 404, 404, 200),  # GET: the confirmation
    # The next phase (community): the world's network runs, so its facilitators and
    # administrators see the page saying why it cannot start yet; readers get 403.
    "network_next_phase": RUN_NETWORK,
    # A municipality's timeline (community): whoever sees the municipality, as its page.
    "municipality_timeline": _rule(LOGIN, 200, 404, 200, 404, 200, 200),
    # The network of experts (community): everyone here takes part in the world's programme,
    # so finds Bodø's chief executive (the world's expert) and may offer themself.
    "expert_directory": _signed_in(200),
    "expert_profile": _signed_in(200),
    "expert_profile_delete": POST_ONLY,
    "expert_detail": _signed_in(200),
    "speaker_invite": POST_ONLY,
    # The world's invitation: the network's facilitator invited Bodø's chief executive; only
    # they, the expert and administrators read it.
    "speaker_invitation": _rule(LOGIN, 200, 404, 404, 200, 404, 200),
    "speaker_invitation_answer": POST_ONLY,
    "speaker_invitation_withdraw": POST_ONLY,
}

# The Django admin: staff only. Everyone else is sent to the admin's sign-in page.
ADMIN_STAFF_EXCEPTIONS = {
    "admin:login": 302,  # already signed in: on to the admin's index
    "admin:logout": 405,  # signing out is a POST
    "admin:autocomplete": 403,  # answers only with a model field to complete
    "admin:view_on_site": 404,  # the models have no public URL of their own
    # Records nobody writes by hand: django-axes's sign-in records and the audit log.
    "admin:axes_accessattempt_add": 403,
    "admin:axes_accesslog_add": 403,
    "admin:axes_accessfailurelog_add": 403,
    "admin:core_auditentry_add": 403,
    "admin:core_auditentry_delete": 403,
    "admin:benchmarking_feedrun_add": 403,  # a run is made by fetching a feed
    # Rounds are opened and closed on the network's pages, and only read in the admin.
    "admin:assessment_round_add": 403,
    "admin:assessment_round_delete": 403,
}
ADMIN_EVERYONE = {"admin:login": 200, "admin:logout": 302}  # a GET goes back to the admin


def _walk(patterns, namespace=None, prefix=""):
    """Yield (name, route) for every URL pattern, depth first."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            if namespace and entry.namespace:
                ns = f"{namespace}:{entry.namespace}"
            yield from _walk(entry.url_patterns, ns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
            yield name, prefix + str(entry.pattern), entry


def all_url_patterns():
    return list(_walk(get_resolver().url_patterns))


def _admin_object_kwargs(name, world):
    """kwargs for an admin URL that names an object: one object of that model."""
    for model in admin.site._registry:
        meta = model._meta
        if name.startswith(f"admin:{meta.app_label}_{meta.model_name}_"):
            obj = model.objects.order_by("pk").first()
            assert obj is not None, f"the world fixture has no {meta.model_name} for {name}"
            return {"object_id": obj.pk}
    raise AssertionError(f"no registered model for {name}")


def _kwargs_for(name, entry, world):
    wanted = set(entry.pattern.regex.groupindex)
    if not wanted:
        return {}
    if name.startswith("admin:"):
        if wanted == {"object_id"}:
            return _admin_object_kwargs(name, world)
        if wanted == {"app_label"}:
            return {"app_label": "networks"}
        if wanted == {"id"}:  # admin:auth_user_password_change
            return {"id": world.users["facilitator"].pk}
        if wanted == {"content_type_id", "object_id"}:
            return {"content_type_id": 1, "object_id": 1}
    gathering = world.gathering
    values = {
        "network_schedule": {"pk": world.network.pk},
        "network_gatherings": {"pk": world.network.pk},
        "gathering_detail": {"pk": gathering.pk},
        "gathering_summary": {"pk": gathering.pk},
        "gathering_summary_preview": {"pk": gathering.pk},
        "gathering_invite": {"pk": gathering.pk},
        "gathering_move": {"pk": gathering.pk},
        "gathering_cancel": {"pk": gathering.pk},
        "agenda_item_add": {"pk": gathering.pk},
        "agenda_item_edit": {"pk": gathering.agenda.first().pk},
        "agenda_item_move": {"pk": gathering.agenda.first().pk, "direction": "down"},
        "agenda_item_delete": {"pk": gathering.agenda.first().pk},
        "gathering_attendance": {"pk": gathering.pk},
        "gathering_answer": {"pk": gathering.pk},
        "gathering_answer_link": {"token": world.answer_token, "choice": "yes"},
        "gathering_answer_remind": {"pk": gathering.pk},
        "gathering_evaluation": {"pk": gathering.pk},
        "gathering_evaluation_results": {"pk": gathering.pk},
        "gathering_sign_in_sheet": {"pk": gathering.pk},
        "gathering_attendance_export": {"pk": gathering.pk, "fmt": "csv"},
        "material_upload": {"pk": gathering.pk},
        "material_download": {"pk": gathering.materials.first().pk},
        "material_delete": {"pk": gathering.materials.first().pk},
        "assignment_create": {"pk": gathering.pk},
        "assignment_done": {"pk": gathering.assignments.first().pk},
        "assignment_edit": {"pk": gathering.assignments.first().pk},
        "assignment_delete": {"pk": gathering.assignments.first().pk},
        "network_calendar": {"pk": world.network.pk},
        "network_calendar_ics": {"pk": world.network.pk},
        "person_calendar_ics": {"token": world.calendar_token},
        "municipality_keyfigures": {"pk": world.municipality.pk},
        "municipality_keyfigures_export": {"pk": world.municipality.pk, "fmt": "csv"},
        "municipality_similar": {"pk": world.municipality.pk},
        "comparison_set_edit": {"pk": world.comparison_set.pk},
        "comparison_set_delete": {"pk": world.comparison_set.pk},
        "network_keyfigures": {"pk": world.network.pk},
        "network_keyfigures_export": {"pk": world.network.pk, "fmt": "xlsx"},
        "indicator_detail": {"pk": world.indicator.pk},
        "feed_detail": {"pk": world.feed_run.feed_id},
        "feed_edit": {"pk": world.feed_run.feed_id},
        "feed_fetch": {"pk": world.feed_run.feed_id},
        "feed_run_apply": {"pk": world.feed_run.pk},
        "network_assessment": {"pk": world.network.pk},
        "assessment_round_open": {"pk": world.network.pk},
        "round_detail": {"pk": world.round.pk},
        "round_close": {"pk": world.round.pk},
        "response_edit": {"pk": world.round.pk, "municipality_pk": world.municipality.pk},
        "network_strategies": {"pk": world.network.pk},
        "strategy_start": {"pk": world.network.pk, "municipality_pk": world.neighbour.pk},
        "strategy_detail": {"pk": world.strategy.pk},
        "strategy_edit": {"pk": world.strategy.pk},
        "strategy_status": {"pk": world.strategy.pk},
        "section_add": {"pk": world.strategy.pk},
        "section_edit": {"pk": world.section.pk},
        "section_presence": {"pk": world.section.pk},
        "section_preview": {"pk": world.section.pk},
        "section_history": {"pk": world.section.pk},
        "section_restore": {"pk": world.section.pk, "version": 1},
        "section_comment": {"pk": world.section.pk},
        "action_plan": {"pk": world.strategy.pk},
        "action_plan_timeline": {"pk": world.strategy.pk},
        "action_plan_export": {"pk": world.strategy.pk, "fmt": "xlsx"},
        "measure_create": {"pk": world.strategy.pk},
        "measure_edit": {"pk": world.measure.pk},
        "measure_delete": {"pk": world.measure.pk},
        "section_delete": {"pk": world.section.pk},
        "comment_reply": {"pk": world.comment.pk},
        "comment_resolve": {"pk": world.comment.pk},
        "practice_detail": {"pk": world.practice.pk},
        "practice_edit": {"pk": world.practice.pk},
        "practice_contact": {"pk": world.practice.pk},
        "practice_curate": {"pk": world.practice.pk},
        "practice_merge": {"pk": world.practice.pk},
        "practice_adopt": {"pk": world.practice.pk},
        "practice_publish_measure": {"pk": world.measure.pk},
        "practice_publish_section": {"pk": world.section.pk},
        "notice_open": {"pk": world.notice.pk},
        "network_detail": {"pk": world.network.pk},
        "network_next_phase": {"pk": world.network.pk},
        "network_update": {"pk": world.network.pk},
        "network_invite": {"pk": world.network.pk},
        "network_invite_file": {"pk": world.network.pk},
        "network_invite_file_confirm": {"pk": world.network.pk},
        "municipality_detail": {"pk": world.municipality.pk},
        "municipality_timeline": {"pk": world.municipality.pk},
        "programme_detail": {"pk": world.programme.pk},
        "report_download": {"pk": world.report.pk},
        "report_download_format": {"pk": world.report.pk, "fmt": "docx"},
        "report_page": {"pk": world.report.pk},
        "report_detail": {"pk": world.report.pk},
        "report_issue": {"pk": world.report.pk},
        "report_review": {"pk": world.report.pk},
        "programme_figures": {"pk": world.programme.pk},
        "narrative_workspace": {"pk": world.programme.pk, "number": 1},
        "narrative_write_programme": {"pk": world.programme.pk, "number": 1, "kind": "lessons"},
        "narrative_write_network": {"pk": world.network.pk, "number": 1, "kind": "progress"},
        "narrative_status": {"pk": world.narrative.section_id},
        "narrative_restore": {"pk": world.narrative.section_id, "version": 1},
        "programme_figures_export": {"pk": world.programme.pk, "fmt": "csv"},
        "programme_review_targets": {"pk": world.programme.pk},
        "invitation_accept": {"token": world.invitation_token},
        "invitation_withdraw": {"pk": world.invitation.pk},
        "membership_decide": {"pk": world.membership_invitation.pk},
        "person_erase": {"pk": world.users["chief_executive"].pk},
        "expert_detail": {"pk": world.expert_profile.pk},
        "speaker_invite": {"pk": world.expert_profile.pk},
        "speaker_invitation": {"pk": world.speaker_invitation.pk},
        "speaker_invitation_answer": {"pk": world.speaker_invitation.pk},
        "speaker_invitation_withdraw": {"pk": world.speaker_invitation.pk},
        "password_reset_confirm": {"uidb64": "MQ", "token": "bogus-token"},
    }
    assert name in values, f"{name} takes {sorted(wanted)}: give it values in _kwargs_for"
    return values[name]


def expected_status(name, role):
    if name.startswith("admin:"):
        if name in ADMIN_EVERYONE and role != "staff":
            return ADMIN_EVERYONE[name]
        if role == "staff":
            return ADMIN_STAFF_EXCEPTIONS.get(name, 200)
        return "admin_login"
    return RULES[name][role]


@pytest.fixture
def full_world(world, settings, tmp_path):
    """The world with one row of every model the admin shows, and its gatherings."""
    settings.MEDIA_ROOT = tmp_path
    drafts = sessions_selectors.schedule_proposal(network=world.network)
    world.gathering = sessions_services.gathering_schedule(network=world.network, drafts=drafts)[0]
    sessions_services.material_add(
        gathering=world.gathering,
        title="Slides",
        kind="slides",
        file=SimpleUploadedFile("slides.pdf", b"%PDF-1.4 test"),
        uploaded_by=world.users["facilitator"],
    )
    assignment = sessions_services.assignment_create(
        gathering=world.gathering, title="Key figures", due_date=date(2011, 12, 1)
    )
    sessions_services.assignment_set_done(
        assignment=assignment,
        municipality=world.municipality,
        user=world.users["chief_executive"],
        done=True,
    )
    sessions_services.attendance_record(
        gathering=world.gathering,
        entries=[
            sessions_services.AttendanceEntry(
                world.users["chief_executive"].pk, world.municipality.pk, "chief_executive", True
            )
        ],
    )
    world.calendar_token = CalendarToken.objects.create(user=world.users["chief_executive"]).token
    world.answer_token = answer_token(
        gathering_id=world.gathering.pk, person_id=world.users["chief_executive"].pk
    )
    f.GatheringAnswerFactory(gathering=world.gathering, person=world.users["mayor"])
    round_ = f.AnswerReminderSentFactory(
        round__gathering=world.gathering, person=world.users["mayor"]
    ).round
    assert round_.pk
    f.EvaluationGivenFactory(gathering=world.gathering, person=world.users["mayor"])
    f.EvaluationResponseFactory(gathering=world.gathering)
    # Italy's adapted standard programme (not the world's Norway: its proposals stay the code's).
    sessions_services.standard_programme_adapt(country=Country.objects.get(code="IT"))
    world.indicator = Indicator.objects.create(code="KOSAG110000", name_en="Free income", unit="kr")
    for municipality, value in [(world.municipality, 81240.0), (world.neighbour, 66605.0)]:
        Observation.objects.create(
            indicator=world.indicator, municipality=municipality, year=2024, value=value
        )
    ReferenceValue.objects.create(
        indicator=world.indicator, area_code="EAK", area_name="Landet", year=2024, value=1.0
    )
    PeerGroup.objects.create(country=world.municipality.country, code="EKG01", name="Group 1")
    world.comparison_set = benchmarking_services.comparison_set_save(
        owner=world.users["chief_executive"],
        name="Coast",
        municipalities=[world.neighbour, world.other_municipality],
    )
    ProgrammeObjective.objects.create(programme=world.programme, position=1, text="An objective")
    # An invitation in each state, and a municipality invited to join the network.
    world.invitation, world.invitation_token = invitation_with_link(
        network=world.network, by=world.users["facilitator"], email="new@example.org"
    )
    for state in ("accepted", "expired", "withdrawn"):
        other, _token = invitation_with_link(
            network=world.network, by=world.users["facilitator"], email=f"{state}@example.org"
        )
        Invitation.objects.filter(pk=other.pk).update(state=state)
    world.membership_invitation = MembershipInvitation.objects.create(
        network=world.network,
        municipality=world.other_municipality,
        invited_by=world.users["facilitator"],
    )
    Group.objects.create(name="Editors")
    MunicipalityCode.objects.create(municipality=world.municipality, code="2012", last_year=2019)
    chief = world.users["chief_executive"]
    world.strategy = strategy_services.strategy_start(
        network=world.network, municipality=world.municipality, user=chief
    )
    world.section = world.strategy.sections.first()
    strategy_services.section_save(section=world.section, user=chief, body="Why", base_version=0)
    world.measure = strategy_services.measure_save(
        strategy=world.strategy, data={"title": "Self-service", "owner": chief}
    )
    strategy_services.strategy_set_status(strategy=world.strategy, status="shared", user=chief)
    world.comment = strategy_services.section_comment(
        section=world.section, user=world.users["facilitator"], body="Name the owners."
    )
    world.notice = Notice.objects.get(recipient=world.users["facilitator"])
    world.practice = community_services.practice_publish(
        measure=world.measure,
        data={"title": "Self-service", "what": "A self-service portal.", "contact": chief},
        user=chief,
    )
    seed_first_questionnaire()
    world.round = assessment_services.round_open(
        network=world.network,
        questionnaire=Questionnaire.objects.get(code="dm1"),
        gathering=world.gathering,
        year=2011,
        user=world.users["facilitator"],
    )
    world.report = ReportRequest.objects.create(
        kind=ReportRequest.Kind.NETWORK,
        network=world.network,
        subject_key=f"network:{world.network.pk}",
        language="en",
        requested_by=world.users["facilitator"],
        status=ReportRequest.Status.DONE,
        file=default_storage.save("reports/network.pdf", ContentFile(b"%PDF-1.7 test")),
        html_file=default_storage.save("reports/network.html", ContentFile(b"<!doctype html>")),
        docx_file=default_storage.save("reports/network.docx", ContentFile(b"PK test")),
    )
    # django-axes's records of sign-ins, which its admin pages show.
    attempt = {"user_agent": "pytest", "ip_address": "127.0.0.1", "username": "staff"}
    AccessAttempt.objects.create(**attempt, get_data="", post_data="", failures_since_start=1)
    AccessFailureLog.objects.create(**attempt)
    AccessLog.objects.create(**attempt)
    # A reporting period, and the network's progress written by its facilitator.
    period = ReportingPeriod.objects.create(
        programme=world.programme, number=1, first_month=1, last_month=12
    )
    world.narrative = narrative_services.narrative_save(
        period=period,
        network=world.network,
        kind="progress",
        language="en",
        body="Four gatherings held.",
        version=0,
        user=world.users["facilitator"],
    )
    world.feed_run = f.FeedRunFactory()  # a statistics feed and one applied fetch of it
    # An expert, and a facilitator's invitation to them, not yet answered.
    world.expert_profile = f.ExpertProfileFactory(user=world.users["other_chief_executive"])
    world.speaker_invitation = f.SpeakerInvitationFactory(
        gathering=world.gathering,
        expert=world.users["other_chief_executive"],
        invited_by=world.users["facilitator"],
    )
    return world


def test_every_url_pattern_has_an_access_rule():
    missing = []
    for name, route, _entry in all_url_patterns():
        if name is None:
            # Only the admin's catch-all (which redirects to its sign-in) may be unnamed.
            assert route.startswith("admin/"), f"URL pattern {route!r} has no name"
            continue
        if not name.startswith("admin:") and name not in RULES:
            missing.append(name)
    assert not missing, f"URLs without an access rule in tests/test_url_access.py: {missing}"


@pytest.mark.parametrize("role", ROLES)
def test_url_answers_by_role(client, full_world, role):
    user = full_world.users[role]
    if role != "anonymous":
        client.force_login(user)
    failures = []
    for name, _route, entry in all_url_patterns():
        if name is None:
            continue
        url = reverse(name, kwargs=_kwargs_for(name, entry, full_world))
        response = client.get(url)
        if response.streaming:  # a file download holds its file open until read to the end
            b"".join(response.streaming_content)
        expected = expected_status(name, role)
        if expected == LOGIN:
            ok = response.status_code == 302 and response.url.startswith(reverse("login"))
        elif expected == "admin_login":
            ok = response.status_code == 302 and response.url.startswith(reverse("admin:login"))
        else:
            ok = response.status_code == expected
        if not ok:
            failures.append(f"{name} ({url}): expected {expected}, got {response.status_code}")
    assert not failures, f"as {role}:\n" + "\n".join(failures)
