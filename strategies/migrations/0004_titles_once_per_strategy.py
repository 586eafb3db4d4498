"""A section's and a measure's title once per strategy, whatever its case: two identical
create requests at the same moment made two rows. Rows made so before are renamed first,
"Title (2)", so that the constraints can be added."""

import django.db.models.functions.text
from django.db import migrations, models


def number_duplicate_titles(apps, schema_editor):
    for name in ("Section", "Measure"):
        model = apps.get_model("strategies", name)
        seen: set[tuple[int, str]] = set()
        for row in model.objects.order_by("strategy_id", "pk").only("strategy_id", "title"):
            title, number = row.title, 1
            while (row.strategy_id, title.lower()) in seen:
                number += 1
                title = f"{row.title[:190]} ({number})"
            seen.add((row.strategy_id, title.lower()))
            if title != row.title:
                model.objects.filter(pk=row.pk).update(title=title)


class Migration(migrations.Migration):
    dependencies = [
        ("strategies", "0003_adoption_in_status_history"),
    ]

    operations = [
        migrations.RunPython(number_duplicate_titles, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="measure",
            constraint=models.UniqueConstraint(
                models.F("strategy"),
                django.db.models.functions.text.Lower("title"),
                name="measure_title_once",
            ),
        ),
        migrations.AddConstraint(
            model_name="section",
            constraint=models.UniqueConstraint(
                models.F("strategy"),
                django.db.models.functions.text.Lower("title"),
                name="section_title_once",
            ),
        ),
    ]
