from django.db import migrations, models


def date_started(apps, schema_editor):
    # Networks that initiated their Digital Local Agenda before the date was kept: the best
    # record of when is the network's planned start.
    Network = apps.get_model("networks", "Network")
    Network.objects.filter(
        dla_status__in=["initiated", "strategy_adopted"], dla_initiated_on__isnull=True
    ).update(dla_initiated_on=models.F("planned_start"))


class Migration(migrations.Migration):
    dependencies = [("networks", "0013_review_report")]

    operations = [
        migrations.AddField(
            model_name="network",
            name="dla_initiated_on",
            field=models.DateField(
                blank=True, null=True, verbose_name="Digital Local Agenda initiated on"
            ),
        ),
        migrations.RunPython(date_started, migrations.RunPython.noop),
    ]
