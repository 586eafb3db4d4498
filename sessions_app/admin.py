from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from cemsdi_portal.core.admin import AuditedAdmin

from . import services
from .models import (
    AgendaItem,
    Assignment,
    AssignmentCompletion,
    Attendance,
    CalendarToken,
    Gathering,
    GatheringAnswer,
    Material,
    StandardProgramme,
    StandardProgrammeGathering,
    StandardProgrammeItem,
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


@admin.register(StandardProgramme)
class StandardProgrammeAdmin(AuditedAdmin, admin.ModelAdmin):
    """A country's standard programme. Adding one for a country copies the portal's four
    gatherings into it, in the country's language; each gathering's agenda is then adapted on
    its own page (the links below). Its networks' next proposals use it."""

    list_display = ["country", "updated_at"]
    list_select_related = ["country"]

    def get_readonly_fields(self, request, obj=None):
        # The country is chosen once, when the programme is made.
        return ["country", "gathering_links"] if obj is not None else []

    def get_fields(self, request, obj=None):
        return ["country", "gathering_links"] if obj is not None else ["country"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            services.standard_programme_adapt(country=obj.country)

    @admin.display(description=_("gatherings"))
    def gathering_links(self, obj):
        rows = obj.gatherings.all() if obj.pk else []
        return format_html_join(
            mark_safe("<br>"),
            '<a href="{}">{}. {}</a>',
            (
                (
                    reverse("admin:sessions_app_standardprogrammegathering_change", args=[g.pk]),
                    g.number,
                    g.title,
                )
                for g in rows
            ),
        )


class StandardProgrammeItemInline(admin.TabularInline):
    model = StandardProgrammeItem
    extra = 0


@admin.register(StandardProgrammeGathering)
class StandardProgrammeGatheringAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["programme", "number", "title"]
    list_filter = ["programme__country"]
    list_select_related = ["programme__country"]
    inlines = [StandardProgrammeItemInline]
