"""One factory per model (factory_boy); tests/test_factories.py checks that every model has
one and that each makes a valid row."""

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from networks.models import (
    Country,
    Invitation,
    MembershipInvitation,
    Municipality,
    MunicipalityCode,
    Network,
    NetworkMembership,
    PeerGroup,
    Programme,
    ProgrammeObjective,
    Region,
    Role,
    User,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("a-long-test-password")


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("code",)

    code = "NO"
    name = "Norway"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    country = factory.SubFactory(CountryFactory)
    code = factory.Sequence(lambda n: f"{n + 10:02d}")
    name = factory.Sequence(lambda n: f"Region {n}")


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    region = factory.SubFactory(RegionFactory)
    country = factory.SelfAttribute("region.country")
    code = factory.Sequence(lambda n: f"{9000 + n:04d}")
    name = factory.Sequence(lambda n: f"Municipality {n}")
    population = 5000


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    acronym = factory.Sequence(lambda n: f"PROG{n}")
    full_title = "A test programme"
    grant_agreement_number = "250482"
    start_date = date(2010, 6, 1)
    end_date = date(2012, 5, 31)
    total_cost = Decimal("5179500.00")
    requested_eu_contribution = Decimal("2589750.00")


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Network {n}")
    region = factory.SubFactory(RegionFactory)
    planned_start = date(2010, 9, 1)
    planned_end = date(2011, 5, 31)
    state = Network.State.RUNNING

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        if create and extracted:
            self.municipalities.add(*extracted)


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    user = factory.SubFactory(UserFactory)
    kind = Role.Kind.CHIEF_EXECUTIVE
    municipality = factory.SubFactory(MunicipalityFactory)


class PeerGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PeerGroup

    country = factory.SubFactory(CountryFactory)
    code = factory.Sequence(lambda n: f"K{n:02d}")
    name = factory.Sequence(lambda n: f"Peer group {n}")


class MunicipalityCodeFactory(factory.django.DjangoModelFactory):
    """A code the municipality had before (``last_year``), as statistics offices still use."""

    class Meta:
        model = MunicipalityCode

    municipality = factory.SubFactory(MunicipalityFactory)
    code = factory.Sequence(lambda n: f"8{n:03d}")
    last_year = 2019


class ProgrammeObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeObjective

    programme = factory.SubFactory(ProgrammeFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Objective {n}")


class NetworkMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NetworkMembership

    network = factory.SubFactory(NetworkFactory)
    municipality = factory.SubFactory(MunicipalityFactory)


class MembershipInvitationFactory(factory.django.DjangoModelFactory):
    """A network's open invitation to a municipality to join."""

    class Meta:
        model = MembershipInvitation

    network = factory.SubFactory(NetworkFactory)
    municipality = factory.SubFactory(MunicipalityFactory)


class InvitationFactory(factory.django.DjangoModelFactory):
    """A person's invitation, sent and open; the services make and send real ones
    (tests/networks/invitations.py)."""

    class Meta:
        model = Invitation

    network = factory.SubFactory(NetworkFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    kind = Role.Kind.MUNICIPAL_STAFF
    municipality = factory.SubFactory(MunicipalityFactory)
    language = "en"
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))


def facilitator_of(network, **user_fields) -> User:
    user = UserFactory(**user_fields)
    Role.objects.create(user=user, kind=Role.Kind.FACILITATOR, network=network)
    return user


def municipal(kind, municipality, *, granted_in=None, **user_fields) -> User:
    """A person in a municipal role: given in ``granted_in`` (as an accepted invitation
    gives it) or, by default, by an administrator for every network."""
    user = UserFactory(**user_fields)
    role = Role.objects.create(user=user, kind=kind, municipality=municipality)
    if granted_in is not None:
        role.granted_in.add(granted_in)
    return user


def coordinator_of(programme, **user_fields) -> User:
    user = UserFactory(**user_fields)
    Role.objects.create(user=user, kind=Role.Kind.COORDINATOR, programme=programme)
    return user


def project_officer_of(programme, **user_fields) -> User:
    user = UserFactory(**user_fields)
    Role.objects.create(user=user, kind=Role.Kind.PROJECT_OFFICER, programme=programme)
    return user


# --- Key figures (benchmarking) ---------------------------------------------------------------


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "benchmarking.Indicator"
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"KOSTEST{n:04d}")
    name_en = factory.Sequence(lambda n: f"Key figure {n}")
    unit = "%"
    decimals = 1
    higher_is_better = True
    category = "Test"


class ObservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "benchmarking.Observation"

    indicator = factory.SubFactory(IndicatorFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    year = 2024
    value = 50.0


class ReferenceValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "benchmarking.ReferenceValue"

    indicator = factory.SubFactory(IndicatorFactory)
    area_code = "EKA00"
    area_name = "Landet"
    year = 2024
    value = 55.0


class SimilarMunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "benchmarking.SimilarMunicipality"

    municipality = factory.SubFactory(MunicipalityFactory)
    neighbour = factory.SubFactory(
        MunicipalityFactory, region=factory.SelfAttribute("..municipality.region")
    )
    rank = 1
    distance = 0.25
    compared_on = factory.LazyFunction(lambda: ["REG-population"])
    computed_at = factory.LazyFunction(timezone.now)
    method_version = "1"


class ComparisonSetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "benchmarking.ComparisonSet"
        skip_postgeneration_save = True

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Set {n}")

    @factory.post_generation
    def municipalities(self, create, extracted, **kwargs):
        if create:
            self.municipalities.set(extracted or [MunicipalityFactory()])


class StatisticsFeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "benchmarking.StatisticsFeed"

    name = factory.Sequence(lambda n: f"Feed {n}")
    source = "ssb"
    table_id = "12134"
    indicator_codes = factory.LazyFunction(lambda: ["KOSAG110000"])
    region_variable = "KOKkommuneregion0000"
    region_codes = factory.LazyFunction(lambda: ["0301"])
    years = factory.LazyFunction(lambda: [2024])
    release_months = factory.LazyFunction(lambda: [3, 6])


class FeedRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "benchmarking.FeedRun"

    feed = factory.SubFactory(StatisticsFeedFactory)
    trigger = "manual"
    state = "applied"


class StandingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "benchmarking.Standing"

    indicator = factory.SubFactory(IndicatorFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    year = 2024
    scope = "country"
    rank = 1
    percentile = 100.0


class SetSummaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "benchmarking.SetSummary"

    indicator = factory.SubFactory(IndicatorFactory)
    year = 2024
    scope = "country"
    group = factory.LazyFunction(lambda: CountryFactory().pk)
    count = 1
    mean = median = minimum = maximum = 50.0


# --- Gatherings (sessions_app) ----------------------------------------------------------------


class GatheringFactory(factory.django.DjangoModelFactory):
    """One gathering on its own; ``services.gathering_schedule`` makes a network's four with
    their standard agendas."""

    class Meta:
        model = "sessions_app.Gathering"

    network = factory.SubFactory(NetworkFactory)
    number = 1
    title = factory.Sequence(lambda n: f"Gathering {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    ends_at = factory.LazyAttribute(lambda g: g.starts_at + timedelta(hours=8))


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "sessions_app.AgendaItem"

    gathering = factory.SubFactory(GatheringFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Item {n}")
    kind = "lecture"
    duration_minutes = 45


class StandardProgrammeFactory(factory.django.DjangoModelFactory):
    """A country's adapted programme, empty; ``services.standard_programme_adapt`` fills one."""

    class Meta:
        model = "sessions_app.StandardProgramme"
        django_get_or_create = ("country",)

    country = factory.SubFactory(
        CountryFactory, code=factory.Sequence(lambda n: f"Q{chr(65 + n % 26)}"), name="Testland"
    )


class StandardProgrammeGatheringFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "sessions_app.StandardProgrammeGathering"

    programme = factory.SubFactory(StandardProgrammeFactory)
    number = 1
    title = factory.Sequence(lambda n: f"Standard gathering {n}")


class StandardProgrammeItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "sessions_app.StandardProgrammeItem"

    gathering = factory.SubFactory(StandardProgrammeGatheringFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Standard item {n}")
    kind = "lecture"
    duration_minutes = 45


class MaterialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "sessions_app.Material"

    gathering = factory.SubFactory(GatheringFactory)
    title = factory.Sequence(lambda n: f"Material {n}")
    kind = "document"
    file = factory.django.FileField(filename="notes.pdf", data=b"%PDF-1.4 notes")
    size = 14
    uploaded_by = factory.SubFactory(UserFactory)


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "sessions_app.Attendance"

    gathering = factory.SubFactory(GatheringFactory)
    person = factory.SubFactory(UserFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    role_kind = Role.Kind.CHIEF_EXECUTIVE
    present = True


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "sessions_app.Assignment"

    gathering = factory.SubFactory(GatheringFactory)
    title = factory.Sequence(lambda n: f"Assignment {n}")
    due_date = factory.LazyAttribute(lambda a: a.gathering.ends_at.date() + timedelta(days=45))


class AssignmentCompletionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "sessions_app.AssignmentCompletion"

    assignment = factory.SubFactory(AssignmentFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    done_by = factory.SubFactory(UserFactory)


class CalendarTokenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "sessions_app.CalendarToken"

    user = factory.SubFactory(UserFactory)


class GatheringAnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "sessions_app.GatheringAnswer"

    gathering = factory.SubFactory(GatheringFactory)
    person = factory.SubFactory(UserFactory)
    answer = "yes"
    answered_at = factory.LazyFunction(timezone.now)


class AnswerReminderRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "sessions_app.AnswerReminderRound"

    gathering = factory.SubFactory(GatheringFactory)


class AnswerReminderSentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "sessions_app.AnswerReminderSent"

    round = factory.SubFactory(AnswerReminderRoundFactory)
    person = factory.SubFactory(UserFactory)


class EvaluationResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "sessions_app.EvaluationResponse"

    gathering = factory.SubFactory(GatheringFactory)
    overall = 4
    relevance = 5
    what_should_change = ""


class EvaluationGivenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "sessions_app.EvaluationGiven"

    gathering = factory.SubFactory(GatheringFactory)
    person = factory.SubFactory(UserFactory)


class GatheringUpdateFactory(factory.django.DjangoModelFactory):
    """A moved gathering's update to its invitees, from where it was a day earlier."""

    class Meta:
        model = "sessions_app.GatheringUpdate"

    gathering = factory.SubFactory(GatheringFactory, sequence=1)
    sequence = factory.LazyAttribute(lambda u: u.gathering.sequence)
    method = "REQUEST"
    previous_starts_at = factory.LazyAttribute(lambda u: u.gathering.starts_at - timedelta(days=1))
    previous_ends_at = factory.LazyAttribute(lambda u: u.gathering.ends_at - timedelta(days=1))


class GatheringUpdateSentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "sessions_app.GatheringUpdateSent"

    update = factory.SubFactory(GatheringUpdateFactory)
    person = factory.SubFactory(UserFactory)


# --- Strategies -------------------------------------------------------------------------------


class DlaPriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "strategies.DlaPriority"
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"T{n}")
    name_en = factory.Sequence(lambda n: f"Priority {n}")
    position = factory.Sequence(lambda n: 100 + n)


class DlaGoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "strategies.DlaGoal"

    priority = factory.SubFactory(DlaPriorityFactory)
    code = factory.Sequence(lambda n: f"G{n}")
    text_en = factory.Sequence(lambda n: f"Goal {n}")


class StrategyFactory(factory.django.DjangoModelFactory):
    """A bare strategy row. ``strategies.services.strategy_start`` makes the real thing (the
    template's sections and the frozen baseline); tests that need those call it."""

    class Meta:
        model = "strategies.Strategy"

    network = factory.SubFactory(NetworkFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    title = factory.LazyAttribute(lambda s: f"eKommune strategy for {s.municipality.name}")
    language = factory.LazyAttribute(lambda s: s.network.language)
    status = "draft"
    adopted_on = factory.LazyAttribute(
        lambda s: date(2011, 6, 14) if s.status == "adopted" else None
    )
    decision_reference = factory.LazyAttribute(
        lambda s: "PS 45/11" if s.status == "adopted" else ""
    )


class StatusChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "strategies.StatusChange"

    strategy = factory.SubFactory(StrategyFactory)
    from_status = "draft"
    to_status = "shared"


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "strategies.Section"

    strategy = factory.SubFactory(StrategyFactory)
    kind = "own"
    title = factory.Sequence(lambda n: f"Section {n}")
    position = factory.Sequence(lambda n: n + 1)


class SectionRevisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "strategies.SectionRevision"

    section = factory.SubFactory(SectionFactory)
    version = factory.LazyAttribute(lambda r: r.section.version)
    title = factory.LazyAttribute(lambda r: r.section.title)
    body = factory.LazyAttribute(lambda r: r.section.body)


class SectionCommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "strategies.SectionComment"

    section = factory.SubFactory(SectionFactory)
    author = factory.SubFactory(UserFactory)
    body = "A comment."


class SectionPresenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "strategies.SectionPresence"

    section = factory.SubFactory(SectionFactory)
    user = factory.SubFactory(UserFactory)
    last_seen = factory.LazyFunction(timezone.now)


class BaselineFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "strategies.BaselineFigure"

    strategy = factory.SubFactory(StrategyFactory)
    indicator = factory.SubFactory(IndicatorFactory)
    comparison = "network"
    year = 2024
    value = 50.0
    count = 1


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "strategies.Measure"

    strategy = factory.SubFactory(StrategyFactory)
    title = factory.Sequence(lambda n: f"Measure {n}")
    status = "planned"
    progress = 0


class DigestSentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "strategies.DigestSent"

    user = factory.SubFactory(UserFactory)
    week = "2011-W45"


# --- Notices (notices) ---------------------------------------------------------------------------


class NoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "notices.Notice"

    recipient = factory.SubFactory(UserFactory)
    kind = "comment"
    event_key = factory.Sequence(lambda n: f"comment:{n}")
    actor = factory.SubFactory(UserFactory)
    about = "Benefits realisation (Alta)"
    link = "/strategies/1/"
    language = "en"
    rhythm = "immediate"


class NoticePreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "notices.NoticePreference"
        django_get_or_create = ("user", "kind")

    user = factory.SubFactory(UserFactory)
    kind = "comment"
    rhythm = "weekly"


# --- Review reports (reports) -------------------------------------------------------------------


class ReportRequestFactory(factory.django.DjangoModelFactory):
    """A network report by default; give ``kind`` and its subject for the others."""

    class Meta:
        model = "reports.ReportRequest"

    kind = "network"
    network = factory.SubFactory(NetworkFactory)
    subject_key = factory.LazyAttribute(
        lambda r: {
            "programme": lambda: f"programme:{r.programme.pk}",
            "network": lambda: f"network:{r.network.pk}",
            "strategy": lambda: f"strategy:{r.network.pk}:{r.municipality.pk}",
            "position": lambda: f"position:{r.municipality.pk}:{r.network.pk if r.network else 0}",
        }[r.kind]()
    )
    language = "en"  # the asker's language (services.report_language), English by default
    requested_by = factory.SubFactory(UserFactory)
    status = "done"


class ReportingPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reports.ReportingPeriod"

    programme = factory.SubFactory(ProgrammeFactory)
    number = factory.Sequence(lambda n: n + 1)
    first_month = 1
    last_month = 12


class ObjectiveTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reports.ObjectiveTarget"

    objective = factory.SubFactory(ProgrammeObjectiveFactory)
    measure = "municipalities"
    target = 15


class NarrativeSectionFactory(factory.django.DjangoModelFactory):
    """The programme's executive summary by default (no network)."""

    class Meta:
        model = "reports.NarrativeSection"

    period = factory.SubFactory(ReportingPeriodFactory)
    kind = "executive_summary"
    language = "en"
    body = "The first year of the pilots."


class NarrativeRevisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reports.NarrativeRevision"

    section = factory.SubFactory(NarrativeSectionFactory)
    version = factory.Sequence(lambda n: n + 1)
    body = "The first year of the pilots."
    author = factory.SubFactory(UserFactory)


class ReportReviewFactory(factory.django.DjangoModelFactory):
    """A returned version needs a comment: an acknowledgement by default."""

    class Meta:
        model = "reports.ReportReview"

    report = factory.SubFactory(ReportRequestFactory)
    reviewer = factory.SubFactory(UserFactory)
    verdict = "acknowledged"


# --- The audit log (core) ---------------------------------------------------------------------


class AuditEntryFactory(factory.django.DjangoModelFactory):
    """An entry as the services write them (cemsdi_portal/core/audit.py)."""

    class Meta:
        model = "core.AuditEntry"

    actor = factory.SubFactory(UserFactory)
    action = "created"
    model = "networks.network"
    object_id = "1"
    object_repr = "Network 1"


# --- assessment ---------------------------------------------------------------------------


class QuestionnaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "assessment.Questionnaire"

    code = factory.Sequence(lambda n: f"q{n}")
    title_en = factory.Sequence(lambda n: f"Questionnaire {n}")
    title_nb = factory.Sequence(lambda n: f"Spørreskjema {n}")
    source_en = "Written for the tests."


class ScaleLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "assessment.ScaleLevel"

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    value = factory.Sequence(lambda n: n + 1)
    label_en = factory.Sequence(lambda n: f"Level {n + 1}")


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "assessment.Theme"

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    code = factory.Sequence(lambda n: f"theme{n}")
    name_en = factory.Sequence(lambda n: f"Theme {n}")
    order = factory.Sequence(lambda n: n)


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "assessment.Question"

    theme = factory.SubFactory(ThemeFactory)
    order = factory.Sequence(lambda n: n)
    text_en = factory.Sequence(lambda n: f"Question {n}?")
    weight = 1


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "assessment.Round"

    network = factory.SubFactory(NetworkFactory)
    questionnaire = factory.SubFactory(QuestionnaireFactory)
    gathering = factory.SubFactory(GatheringFactory, network=factory.SelfAttribute("..network"))
    year = 2011


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "assessment.Response"

    round = factory.SubFactory(RoundFactory)
    municipality = factory.SubFactory(MunicipalityFactory)


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "assessment.Answer"

    response = factory.SubFactory(ResponseFactory)
    question = factory.SubFactory(
        QuestionFactory,
        theme__questionnaire=factory.SelfAttribute("...response.round.questionnaire"),
    )
    level = factory.SubFactory(
        ScaleLevelFactory, questionnaire=factory.SelfAttribute("..response.round.questionnaire")
    )


# --- community -------------------------------------------------------------------------------


class PracticeFactory(factory.django.DjangoModelFactory):
    """A bare practice row of a measure. ``community.services.practice_publish`` makes the real
    thing (values before and after from the key figures, the search document)."""

    class Meta:
        model = "community.Practice"

    measure = factory.SubFactory(MeasureFactory, status="done", progress=100)
    strategy = factory.SelfAttribute("measure.strategy")
    municipality = factory.SelfAttribute("measure.strategy.municipality")
    title = factory.SelfAttribute("measure.title")
    language = factory.SelfAttribute("measure.strategy.language")
    what = factory.Sequence(lambda n: f"What was done {n}")
    status = "done"


class AdoptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "community.Adoption"

    practice = factory.SubFactory(PracticeFactory)
    measure = factory.SubFactory(MeasureFactory)
    strategy = factory.SelfAttribute("measure.strategy")
    municipality = factory.SelfAttribute("measure.strategy.municipality")


class ExpertProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "community.ExpertProfile"

    user = factory.SubFactory(UserFactory)
    summary = "Digital services and their governance"
    languages = factory.LazyFunction(lambda: ["en"])


class SpeakerInvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "community.SpeakerInvitation"

    gathering = factory.SubFactory(GatheringFactory)
    expert = factory.SubFactory(UserFactory)
    topic = factory.Sequence(lambda n: f"Topic {n}")
