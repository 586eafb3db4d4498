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
    ]
