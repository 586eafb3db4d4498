"""The seeded DLA priorities' working names in the new languages (strategies/dla.py) where
they are blank; an administrator's names stay."""

from django.db import migrations


def forwards(apps, schema_editor):
    from strategies.dla import seed_priorities

    # Only the priorities that are there: one an administrator deleted stays deleted.
    seed_priorities(apps.get_model("strategies", "DlaPriority"), create=False)


class Migration(migrations.Migration):
    dependencies = [("strategies", "0008_vocabulary_in_five_languages")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
