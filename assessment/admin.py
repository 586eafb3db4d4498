"""The questionnaire is reference data administrators keep: its scale and themes inline on
the questionnaire, its questions inline on each theme (or one by one)."""

from django.contrib import admin

from cemsdi_portal.core import i18n
from cemsdi_portal.core.admin import AuditedAdmin, ReadOnlyAdmin

from .models import Question, Questionnaire, Round, ScaleLevel, Theme


class ScaleLevelInline(admin.TabularInline):
    model = ScaleLevel
    extra = 0


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 0
    show_change_link = True


@admin.register(Questionnaire)
class QuestionnaireAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["code", "title_en", "title_nb", "version", "active"]
    list_filter = ["active"]
    inlines = [ScaleLevelInline, ThemeInline]


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0
    fields = ["order", *i18n.columns("text"), "weight"]


@admin.register(Theme)
class ThemeAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["name_en", "name_nb", "code", "questionnaire", "order"]
    list_filter = ["questionnaire"]
    list_select_related = ["questionnaire"]
    inlines = [QuestionInline]


@admin.register(Question)
class QuestionAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["text_en", "theme", "order", "weight"]
    list_filter = ["theme__questionnaire", "theme"]
    list_select_related = ["theme"]
    search_fields = i18n.columns("text")


@admin.register(Round)
class RoundAdmin(ReadOnlyAdmin):
    """Rounds are opened and closed on the network's pages; here they are only read."""

    list_display = ["network", "questionnaire", "year", "gathering", "state", "demo"]
    list_filter = ["state", "questionnaire"]
    list_select_related = ["network", "questionnaire", "gathering"]
