"""The register's key figures (structure.py) get their names in the new languages where the
indicators exist and those names are blank; an administrator's names stay."""

from django.db import migrations


def forwards(apps, schema_editor):
    from benchmarking.structure import REGISTER_INDICATORS
    from cemsdi_portal.core.i18n import fill_blanks

    Indicator = apps.get_model("benchmarking", "Indicator")
    for spec in REGISTER_INDICATORS:
        indicator = Indicator.objects.filter(code=spec.code).first()
        if indicator and (filled := fill_blanks(indicator, "name", spec.names)):
            indicator.save(update_fields=filled)


class Migration(migrations.Migration):
    dependencies = [("benchmarking", "0010_vocabulary_in_five_languages")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
