"""The self-assessment's and the register's indicators get category keys (categories.py) and
the self-assessment's unit a spelling the units vocabulary knows: their words were stored as
English text, so Norwegian pages showed them in English."""

from django.db import migrations

CATEGORIES = {"Digital maturity": "digital", "Population and area": "structure"}


def to_keys(apps, schema_editor):
    Indicator = apps.get_model("benchmarking", "Indicator")
    for text, key in CATEGORIES.items():
        Indicator.objects.filter(category=text).update(category=key)
    Indicator.objects.filter(unit="points (0–100)").update(unit="points of 100")


def to_text(apps, schema_editor):
    Indicator = apps.get_model("benchmarking", "Indicator")
    for text, key in CATEGORIES.items():
        Indicator.objects.filter(category=key).update(category=text)
    Indicator.objects.filter(unit="points of 100").update(unit="points (0–100)")


class Migration(migrations.Migration):
    dependencies = [("benchmarking", "0006_similar_and_sets")]

    operations = [migrations.RunPython(to_keys, to_text)]
