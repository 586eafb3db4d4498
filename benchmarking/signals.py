"""What changes the key figures a page shows also changes the data version (cache.py). Bulk
writes send no signals: imports.py and standings.py call ``data_changed`` themselves."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from networks.models import Municipality, Network, NetworkMembership

from .cache import data_changed
from .models import Indicator, Observation, ReferenceValue

WATCHED = (Indicator, Observation, ReferenceValue, Municipality, Network, NetworkMembership)


def _changed(sender, **kwargs):
    data_changed()


def _remember_peer_group(sender, instance, **kwargs):
    """A municipality's peer group as it was before this save."""
    instance._peer_group_before = (
        Municipality.objects.filter(pk=instance.pk).values_list("peer_group_id", flat=True).first()
        if instance.pk
        else None
    )


def _peer_group_moved(sender, instance, created, **kwargs):
    """A municipality changed peer group (the admin): the stored peer-group ranks of its key
    figures are computed again, for both groups, once the change commits (tasks.py)."""
    if created or getattr(instance, "_peer_group_before", None) == instance.peer_group_id:
        return
    from .tasks import standings_refresh_enqueue

    ids = Observation.objects.filter(municipality=instance).values_list("indicator_id", flat=True)
    standings_refresh_enqueue(sorted(set(ids)), in_request=True)


def connect() -> None:
    pre_save.connect(_remember_peer_group, sender=Municipality, dispatch_uid="kf-peer-group-pre")
    post_save.connect(_peer_group_moved, sender=Municipality, dispatch_uid="kf-peer-group-post")
    for model in WATCHED:
        post_save.connect(_changed, sender=model, dispatch_uid=f"kf-version-save-{model}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"kf-version-delete-{model}")
    m2m_changed.connect(
        _changed, sender=Network.municipalities.through, dispatch_uid="kf-version-members"
    )
