"""Indicators imported before categories existed get the category of their statistics table
(benchmarking/categories.py), where the table is known and no category was typed."""

from django.db import migrations

# A copy of categories.TABLES as it stood: a migration does not follow later edits.
TABLES = {
    "13502": "kindergartens",
    "09220": "kindergartens",
    "11816": "transport",
    "12191": "health",
    "12134": "finances",
    "12367": "finances",
    "07221": "housing",
    "1106": "population",
    "01222": "population",
    "07459": "population",
}


def categories_from_tables(apps, schema_editor):
    Indicator = apps.get_model("benchmarking", "Indicator")
    for table_id, category in TABLES.items():
        Indicator.objects.filter(table_id=table_id, category="").update(category=category)


class Migration(migrations.Migration):
    dependencies = [("benchmarking", "0004_statistics_feeds")]

    operations = [migrations.RunPython(categories_from_tables, migrations.RunPython.noop)]
