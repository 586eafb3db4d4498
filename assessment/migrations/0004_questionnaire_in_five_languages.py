"""The first questionnaire's Portuguese, Spanish and Italian texts (the translators' files in
assessment/data/) where they are blank, and the names of its key figures in those languages
where the key figures exist and their names are blank; an administrator's texts stay."""

from django.db import migrations


def forwards(apps, schema_editor):
    from assessment.questionnaire import CODE, seed_questionnaire, theme_indicator_names
    from cemsdi_portal.core.i18n import fill_blanks

    names = ("Questionnaire", "ScaleLevel", "Theme", "Question")
    # Filled where it is; one an administrator deleted is not brought back.
    seed_questionnaire(*(apps.get_model("assessment", name) for name in names), create=False)
    Theme = apps.get_model("assessment", "Theme")
    Indicator = apps.get_model("benchmarking", "Indicator")
    # The codes services.indicator_code gives: DM-<questionnaire>-<theme>.
    for theme in Theme.objects.filter(questionnaire__code=CODE):
        indicator = Indicator.objects.filter(code=f"DM-{CODE}-{theme.code}").first()
        if indicator and (filled := fill_blanks(indicator, "name", theme_indicator_names(theme))):
            indicator.save(update_fields=filled)


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0003_vocabulary_in_five_languages"),
        ("benchmarking", "0010_vocabulary_in_five_languages"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
