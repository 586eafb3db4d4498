"""Signals other apps listen to. Sent after the commit of a write that changed key figures."""

from django.dispatch import Signal

# Sent with ``indicator_ids`` (a list of Indicator pks) after observations were written.
key_figures_changed = Signal()
