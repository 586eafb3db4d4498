"""Reads of the community of practice: the expert directory, an expert's entry and a speaker
invitation's page, each in a fixed number of queries whatever the number of experts, roles or
invitations. Who sees what is ``rules.py``'s; these take what the policy lets through."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.models import Theme
from networks.countries import role_title
from networks.models import Country, Role
from sessions_app.models import Gathering
from strategies.models import DlaPriority

from . import rules
from .models import ExpertProfile, SpeakerInvitation


def expert_theme_choices() -> QuerySet[Theme]:
    """The themes an expert names: those of the active questionnaires, in their order."""
    return Theme.objects.filter(questionnaire__active=True).order_by(
        "questionnaire__code", "order", "pk"
    )


def agenda_room_minutes(gathering: Gathering) -> int:
    """Minutes of the gathering's day the agenda does not fill yet."""
    planned = gathering.agenda.aggregate(total=Sum("duration_minutes"))["total"] or 0
    return max(0, int(gathering.duration.total_seconds() // 60) - planned)


def language_names(codes: list[str]) -> list[str]:
    """The portal's names of the languages, in the reader's language (settings.LANGUAGES)."""
    names = dict(settings.LANGUAGES)
    return [str(names[code]) for code in codes if code in names]


@dataclass
class ExpertEntry:
    """An expert as the directory and their page show them."""

    profile: ExpertProfile
    roles: list[str] = field(default_factory=list)  # "Chief executive (rådmann), Alta"
    countries: list[Country] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)

    @property
    def user(self):
        return self.profile.user


def _role_line(role: Role) -> str:
    if role.kind in Role.MUNICIPAL_KINDS:
        return _("%(role)s, %(municipality)s") % {
            "role": role_title(role.kind, role.municipality.country),
            "municipality": role.municipality.name,
        }
    # A facilitator's or project officer's network or programme may be one the reader does
    # not see (a draft): the role alone, the country beside it.
    return role.get_kind_display()


def _country_of(role: Role) -> Country | None:
    if role.municipality_id:
        return role.municipality.country
    if role.network_id:
        return role.network.region.country
    return None


def _entries(profiles) -> list[ExpertEntry]:
    entries = []
    for profile in profiles:
        roles = list(profile.user.roles.all())
        countries = {c.pk: c for c in (_country_of(r) for r in roles) if c is not None}
        entries.append(
            ExpertEntry(
                profile=profile,
                roles=list(dict.fromkeys(_role_line(r) for r in roles)),
                countries=sorted(countries.values(), key=lambda c: c.display_name),
                languages=language_names(profile.languages),
            )
        )
    return entries


def _with_everything(profiles: QuerySet[ExpertProfile]) -> QuerySet[ExpertProfile]:
    roles = Role.objects.select_related(
        "municipality__country", "network__region__country"
    ).order_by("kind", "pk")
    return profiles.select_related("user").prefetch_related(
        Prefetch("themes", queryset=Theme.objects.order_by("order", "pk")),
        "dla_priorities",
        Prefetch("user__roles", queryset=roles),
    )


@dataclass
class ExpertFilter:
    theme: Theme | None = None
    dla_priority: DlaPriority | None = None
    language: str = ""
    country: Country | None = None


def expert_directory(*, user, expert_filter: ExpertFilter | None = None) -> list[ExpertEntry]:
    """The listed experts the user finds (``rules.experts_visible_to``, without their own
    unlisted profile), filtered: six queries whatever their number."""
    chosen = expert_filter or ExpertFilter()
    profiles = rules.experts_visible_to(user).filter(listed=True, user__is_active=True)
    if chosen.theme is not None:
        profiles = profiles.filter(themes=chosen.theme)
    if chosen.dla_priority is not None:
        profiles = profiles.filter(dla_priorities=chosen.dla_priority)
    if chosen.country is not None:
        profiles = profiles.filter(
            Q(user__roles__municipality__country=chosen.country)
            | Q(user__roles__network__region__country=chosen.country)
        )
    profiles = profiles.distinct().order_by("user__last_name", "user__first_name", "pk")
    entries = _entries(_with_everything(profiles))
    if chosen.language:
        # A JSON list: matched here, the same on SQLite and PostgreSQL (a page of experts).
        entries = [e for e in entries if chosen.language in e.profile.languages]
    return entries


def expert_entry(profile: ExpertProfile) -> ExpertEntry:
    return _entries(_with_everything(ExpertProfile.objects.filter(pk=profile.pk)))[0]


def invitations_of_expert(*, user, profile: ExpertProfile) -> list[SpeakerInvitation]:
    """The invitations of the expert that the user reads (their own, or those to the
    gatherings of networks the user runs), newest first."""
    return list(
        rules.speaker_invitations_visible_to(user)
        .filter(expert_id=profile.user_id)
        .select_related("gathering__network", "invited_by")
        .order_by("-created_at", "-pk")
    )


def my_speaker_invitations(*, user) -> list[SpeakerInvitation]:
    """The invitations to the person, newest first."""
    return list(
        SpeakerInvitation.objects.filter(expert=user)
        .select_related("gathering__network", "invited_by")
        .order_by("-created_at", "-pk")
    )


def gatherings_to_invite_to(user) -> QuerySet[Gathering]:
    return (
        rules.gatherings_inviting_speakers(user)
        .select_related("network")
        .order_by("starts_at", "pk")
    )


def invitation_is_answerable(invitation: SpeakerInvitation) -> bool:
    gathering = invitation.gathering
    return (
        invitation.state == SpeakerInvitation.State.SENT
        and gathering.cancelled_at is None
        and gathering.starts_at > timezone.now()
    )


def invitation_is_withdrawable(invitation: SpeakerInvitation) -> bool:
    return (
        invitation.state in SpeakerInvitation.OPEN_STATES
        and invitation.gathering.starts_at > timezone.now()
    )
