from django.contrib import admin

from cemsdi_portal.core.admin import AuditedAdmin

from .models import (
    AgendaItem,
    Assignment,
    AssignmentCompletion,
    Attendance,
    CalendarToken,
    Gathering,
    GatheringAnswer,
    Material,
)


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0


@admin.register(Gathering)
class GatheringAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["network", "number", "title", "starts_at", "venue", "attendance_recorded_at"]
    list_filter = ["network"]
    list_select_related = ["network"]
    search_fields = ["title", "network__name"]
    inlines = [AgendaItemInline]


@admin.register(AgendaItem)
class AgendaItemAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["gathering", "position", "title", "kind", "duration_minutes", "speaker"]
    list_filter = ["kind"]
    list_select_related = ["gathering__network"]


@admin.register(Material)
class MaterialAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["title", "gathering", "kind", "size", "uploaded_at"]
    list_select_related = ["gathering__network"]
    raw_id_fields = ["gathering", "uploaded_by"]


@admin.register(Attendance)
class AttendanceAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["gathering", "person", "municipality", "role_kind", "present", "hours"]
    list_filter = ["present", "role_kind"]
    list_select_related = ["gathering__network", "person", "municipality"]
    raw_id_fields = ["gathering", "person", "municipality"]


@admin.register(Assignment)
class AssignmentAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["title", "gathering", "due_date", "strategy_section"]
    list_select_related = ["gathering__network"]
    raw_id_fields = ["gathering"]


@admin.register(AssignmentCompletion)
class AssignmentCompletionAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["assignment", "municipality", "done_by", "done_at"]
    list_select_related = ["assignment", "municipality", "done_by"]
    raw_id_fields = ["assignment", "municipality", "done_by"]


@admin.register(CalendarToken)
class CalendarTokenAdmin(admin.ModelAdmin):
    list_display = ["user"]
    raw_id_fields = ["user"]


@admin.register(GatheringAnswer)
class GatheringAnswerAdmin(AuditedAdmin, admin.ModelAdmin):
    """Answers to invitations. The evaluations are not here: they are anonymous, and shown
    only as the facilitator's summary."""

    list_display = ["gathering", "person", "answer", "answered_at"]
    list_filter = ["answer"]
    list_select_related = ["gathering__network", "person"]
    raw_id_fields = ["gathering", "person"]
