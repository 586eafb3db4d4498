from django.contrib import admin

from .models import Indicator, Observation, ReferenceValue


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name_nb", "name_en", "unit", "higher_is_better", "category"]
    list_filter = ["higher_is_better", "category", "source"]
    search_fields = ["code", "name_nb", "name_en"]


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
