from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cemsdi_portal.core import i18n
from cemsdi_portal.core.admin import AuditedAdmin

from .models import FeedRun, Indicator, Observation, ReferenceValue, StatisticsFeed
from .tasks import standings_refresh_enqueue


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = [
        "code", "name_nb", "name_en", "unit", "higher_is_better", "category", "standings_state"
    ]  # fmt: skip
    list_filter = [
        "higher_is_better",
        "category",
        "source",
        "comparable_across_countries",
        "standings_state",
    ]
    search_fields = ["code", *i18n.columns("name")]
    readonly_fields = ["standings_state"]
    actions = ["compute_ranks_again"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "higher_is_better" in form.changed_data:  # the stored ranks follow the direction
            standings_refresh_enqueue([obj.pk], in_request=True)

    @admin.action(description=_("Compute the ranks again"))
    def compute_ranks_again(self, request, queryset):
        standings_refresh_enqueue(list(queryset.values_list("pk", flat=True)), in_request=True)


@admin.register(Observation)
class ObservationAdmin(admin.ModelAdmin):
    list_display = ["indicator", "municipality", "year", "value", "status"]
    list_filter = ["year"]
    list_select_related = ["indicator", "municipality"]
    search_fields = ["indicator__code", "municipality__name", "municipality__code"]
    raw_id_fields = ["indicator", "municipality"]


@admin.register(ReferenceValue)
class ReferenceValueAdmin(admin.ModelAdmin):
    list_display = ["indicator", "area_code", "area_name", "year", "value", "status"]
    list_filter = ["area_code", "year"]
    list_select_related = ["indicator"]
    raw_id_fields = ["indicator"]


class FeedRunInline(admin.TabularInline):
    model = FeedRun
    extra = 0
    can_delete = False
    fields = ["created_at", "trigger", "state", "calls", "file_name", "message", "applied_at"]
    readonly_fields = fields
    ordering = ["-created_at"]

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).defer("data")  # a fetched file may be megabytes


@admin.register(StatisticsFeed)
class StatisticsFeedAdmin(AuditedAdmin, admin.ModelAdmin):
    """Feeds are edited on the portal's page too (feeds.py); fetching and applying are there."""

    list_display = ["name", "source", "table_id", "scheduled", "last_success_at"]
    list_filter = ["source", "scheduled"]
    search_fields = ["name", "table_id"]
    readonly_fields = ["last_success_at"]
    inlines = [FeedRunInline]


@admin.register(FeedRun)
class FeedRunAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["feed", "created_at", "trigger", "state", "calls"]
    list_filter = ["state", "trigger"]
    list_select_related = ["feed"]
    readonly_fields = [
        "feed", "trigger", "created_at", "started_at", "finished_at", "applied_at", "calls",
        "file_name", "summary",
    ]  # fmt: skip
    fields = [*readonly_fields, "state", "message"]

    def has_add_permission(self, request):
        return False  # a run is made by fetching its feed

    def has_change_permission(self, request, obj=None):
        return False  # its record is the fetch's: a stuck one is marked failed by the next fetch

    def get_queryset(self, request):
        return super().get_queryset(request).defer("data")
