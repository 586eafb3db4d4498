from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def from_network(apps, schema_editor):
    """An existing strategy is in its network's working language (the one it started in)."""
    Strategy = apps.get_model("strategies", "Strategy")
    Network = apps.get_model("networks", "Network")
    Strategy.objects.update(
        language=Subquery(Network.objects.filter(pk=OuterRef("network_id")).values("language"))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("networks", "0008_alter_invitation_language_alter_network_language_and_more"),
        ("strategies", "0006_section_measure_theme"),
    ]

    operations = [
        migrations.AddField(
            model_name="strategy",
            name="language",
            field=models.CharField(
                choices=[
                    ("en", "English"),
                    ("nb", "Norwegian Bokmål"),
                    ("pt", "Portuguese"),
                    ("es", "Spanish"),
                    ("it", "Italian"),
                ],
                default="nb",
                help_text="The language the strategy and its action plan are written in.",
                max_length=10,
                verbose_name="language of the text",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(from_network, migrations.RunPython.noop),
    ]
