from django.db import migrations, models
from django.db.models import Q


def mark_international(apps, schema_editor):
    """The indicators already stored: Eurostat's, the self-assessment's and the register's
    structure are defined alike in every country (benchmarking/comparability.py)."""
    Indicator = apps.get_model("benchmarking", "Indicator")
    Indicator.objects.filter(
        Q(code__startswith="DM-")
        | Q(code__startswith="REG-")
        | Q(source__istartswith="estat")
        | Q(source__istartswith="eurostat")
    ).update(comparable_across_countries=True)


class Migration(migrations.Migration):
    dependencies = [
        ("benchmarking", "0011_register_names_in_five_languages"),
    ]

    operations = [
        migrations.AddField(
            model_name="indicator",
            name="comparable_across_countries",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "Defined alike in every country (Eurostat, the self-assessment, the "
                    "register's structure), so that municipalities of several countries may "
                    "be compared on it."
                ),
                verbose_name="comparable across countries",
            ),
        ),
        migrations.RunPython(mark_international, migrations.RunPython.noop),
    ]
