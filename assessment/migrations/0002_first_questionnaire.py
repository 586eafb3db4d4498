"""The first questionnaire (assessment/questionnaire.py): reference data every installation
needs, so migrate loads it as the DLA priorities are loaded; an administrator edits it after."""

from django.db import migrations


def forwards(apps, schema_editor):
    from assessment.questionnaire import seed_questionnaire

    names = ("Questionnaire", "ScaleLevel", "Theme", "Question")
    seed_questionnaire(*(apps.get_model("assessment", name) for name in names))


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
