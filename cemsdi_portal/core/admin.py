from django.contrib import admin

from . import audit
from .models import AuditEntry


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows the portal's own paths write (the audit log, self-assessment rounds): read here, never
    added, changed or deleted by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """The audit log, for staff to read: nobody edits or deletes it here."""

    list_display = ["at", "actor", "action", "model", "object_repr"]
    list_filter = ["action", "model"]
    search_fields = ["object_repr", "actor__username", "actor__last_name"]
    list_select_related = ["actor"]
    date_hierarchy = "at"


def _stored(form) -> dict:
    """What an admin form's record held before: its initial values for what it changed."""
    before = audit.snapshot(form.instance)
    for field in form.instance._meta.concrete_fields:
        if field.name in form.changed_data and field.attname in before:
            before[field.attname] = form.initial.get(field.name)
    return before


class AuditedInlines:
    """A model admin whose inlines' rows go into the audit log as they are added, changed
    and deleted, by the member of staff who saved."""

    def save_formset(self, request, form, formset, change):
        before = {
            f.instance.pk: _stored(f)
            for f in formset.initial_forms
            if f.instance.pk is not None and f.has_changed()
        }
        for gone in formset.deleted_forms:
            if gone.instance.pk is not None:
                audit.log(gone.instance, AuditEntry.Action.DELETED)
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            audit.log(obj, AuditEntry.Action.CREATED)
        for obj, _names in formset.changed_objects:
            audit.log_change(obj, before=before.get(obj.pk))


class AuditedAdmin(AuditedInlines):
    """A model admin whose every save and delete goes into the audit log, like a service's."""

    def save_model(self, request, obj, form, change):
        before = _stored(form) if change else None
        super().save_model(request, obj, form, change)
        audit.log_change(obj, before=before)

    def delete_model(self, request, obj):
        audit.log(obj, AuditEntry.Action.DELETED)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        audit.log_bulk(model=queryset.model, objects=queryset, action=AuditEntry.Action.DELETED)
        super().delete_queryset(request, queryset)
