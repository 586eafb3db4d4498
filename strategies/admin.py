from django.contrib import admin

from cemsdi_portal.core import i18n
from cemsdi_portal.core.admin import AuditedAdmin

from .models import DlaGoal, DlaPriority, Measure, Section, StatusChange, Strategy


class DlaGoalInline(admin.TabularInline):
    model = DlaGoal
    extra = 1


@admin.register(DlaPriority)
class DlaPriorityAdmin(AuditedAdmin, admin.ModelAdmin):
    """The Digital Local Agenda framework: reference data that administrators keep."""

    list_display = ["code", "name_en", "name_nb", "position"]
    list_editable = ["position"]
    search_fields = ["code", *i18n.columns("name")]
    inlines = [DlaGoalInline]


class SectionInline(admin.TabularInline):
    model = Section
    fields = ["position", "kind", "title", "version", "updated_at"]
    readonly_fields = ["kind", "version", "updated_at"]
    extra = 0
    show_change_link = False


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    fields = ["changed_at", "from_status", "to_status", "changed_by", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Strategy)
class StrategyAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["title", "municipality", "network", "status", "adopted_on"]
    list_filter = ["status", "network"]
    list_select_related = ["municipality", "network"]
    search_fields = ["title", "municipality__name"]
    readonly_fields = ["network", "municipality", "started_at", "started_by", "baseline_year"]
    inlines = [SectionInline, StatusChangeInline]


@admin.register(Measure)
class MeasureAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["title", "strategy", "status", "progress", "due_on", "owner"]
    list_filter = ["status"]
    list_select_related = ["strategy", "owner"]
    search_fields = ["title"]
    raw_id_fields = ["strategy", "section", "owner", "indicator"]
