from django.contrib import admin
from django.db import transaction

from .models import Indicator, Observation, ReferenceValue
from .tasks import refresh_standings


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name_nb", "name_en", "unit", "higher_is_better", "category"]
    list_filter = ["higher_is_better", "category", "source"]
    search_fields = ["code", "name_nb", "name_en"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "higher_is_better" in form.changed_data:  # the stored ranks follow the direction
            transaction.on_commit(lambda: refresh_standings.delay([obj.pk]))


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
