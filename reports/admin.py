from django.contrib import admin

from .models import ReportRequest


@admin.register(ReportRequest)
class ReportRequestAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "language", "requested_by", "created_at", "attempts"]
    list_filter = ["kind", "status", "language"]
    search_fields = ["subject_key", "requested_by__username"]
    raw_id_fields = ["programme", "network", "municipality", "requested_by", "requesters"]
    readonly_fields = [
        "subject_key",
        "status",
        "note",
        "failure",
        "error",
        "attempts",
        "created_at",
        "enqueued_at",
        "started_at",
        "finished_at",
        "file",
        "size",
        "page_count",
        "period",
        "version",
        "issued_at",
        "issued_by",
        "checksum",
    ]

    # An issued version is frozen: nobody edits or deletes it, not even here.
    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_issued:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_issued:
            return False
        return super().has_delete_permission(request, obj)

    def delete_queryset(self, request, queryset):
        # The bulk action too leaves issued versions alone.
        queryset.filter(issued_at__isnull=True).delete()
