"""The demo's records dated in their pilots' time rather than on the day it was seeded.

The seeders write through the services, so every "when it happened" field (a membership's
joining, a strategy's start, its moves, a measure's last change, a round's closing) would read
the seeding day: a municipality's timeline would say it joined a 2010 network in 2026. This
moves them, after every seeder has run, to the pilot's own dates: members join on the
network's planned start, a strategy starts at the end of gathering 1, its moves follow the
gatherings after it (an adoption on its council's date), a done measure was last changed, and
its audit entries written, at the last gathering held (the timeline dates "done" by the log), a
round closed at the end of its gathering. Only the demo's invented records are moved. Running
it again gives the same dates.
"""

from datetime import UTC, datetime, time

from django.db import transaction
from django.db.models import Q

from assessment.models import Round
from cemsdi_portal.core.models import AuditEntry
from networks.models import NetworkMembership, Programme, Role
from sessions_app.models import Gathering
from strategies.models import Measure, StatusChange, Strategy


def _noon(day) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


@transaction.atomic
def backdate_demo(programme: Programme) -> None:
    networks = list(programme.networks.all())
    held: dict[int, list[Gathering]] = {n.pk: [] for n in networks}
    for gathering in Gathering.objects.filter(
        network__in=networks, cancelled_at__isnull=True
    ).order_by("number"):
        held[gathering.network_id].append(gathering)
    # The people's roles date from their network's start (the earliest, for a municipality in
    # two), so that figures as of a period's end count them: latest start first, earliest last.
    for network in sorted(networks, key=lambda n: n.planned_start, reverse=True):
        Role.objects.filter(
            Q(network=network)
            | Q(kind__in=Role.MUNICIPAL_KINDS, municipality__memberships__network=network)
        ).update(created_at=_noon(network.planned_start))
    for network in networks:
        NetworkMembership.objects.filter(network=network).update(
            joined_at=_noon(network.planned_start)
        )
        gatherings = held[network.pk]
        if not gatherings:
            continue
        Strategy.objects.filter(network=network).update(started_at=gatherings[0].ends_at)
        later = [g.ends_at for g in gatherings[1:]] or [gatherings[0].ends_at]
        changes = list(
            StatusChange.objects.filter(strategy__network=network).order_by("strategy", "pk")
        )
        moves: dict[int, int] = {}
        for change in changes:
            index = moves.get(change.strategy_id, 0)
            moves[change.strategy_id] = index + 1
            change.changed_at = (
                _noon(change.adopted_on) if change.adopted_on else later[min(index, len(later) - 1)]
            )
        StatusChange.objects.bulk_update(changes, ["changed_at"])
        done = Measure.objects.filter(strategy__network=network, status=Measure.Status.DONE)
        AuditEntry.objects.filter(
            model=Measure._meta.label_lower,
            object_id__in=[str(pk) for pk in done.values_list("pk", flat=True)],
        ).update(at=gatherings[-1].ends_at)
        done.update(updated_at=gatherings[-1].ends_at)
    rounds = list(
        Round.objects.filter(network__in=networks, closed_at__isnull=False).select_related(
            "gathering"
        )
    )
    for round_ in rounds:
        round_.closed_at = round_.gathering.ends_at
    Round.objects.bulk_update(rounds, ["closed_at"])
