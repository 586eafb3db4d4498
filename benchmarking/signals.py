"""What changes the key figures a page shows also changes the data version (cache.py). Bulk
writes send no signals: imports.py and standings.py call ``data_changed`` themselves."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from networks.models import Municipality, Network, NetworkMembership

from .cache import data_changed
from .models import Indicator, Observation, ReferenceValue

WATCHED = (Indicator, Observation, ReferenceValue, Municipality, Network, NetworkMembership)


def _changed(sender, **kwargs):
    data_changed()


def connect() -> None:
    for model in WATCHED:
        post_save.connect(_changed, sender=model, dispatch_uid=f"kf-version-save-{model}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"kf-version-delete-{model}")
    m2m_changed.connect(
        _changed, sender=Network.municipalities.through, dispatch_uid="kf-version-members"
    )
