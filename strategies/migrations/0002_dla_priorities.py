from django.db import migrations


def seed(apps, schema_editor):
    from strategies.dla import seed_priorities

    seed_priorities(apps.get_model("strategies", "DlaPriority"))


class Migration(migrations.Migration):
    """Seed the Digital Local Agenda's priorities with what is known (strategies/dla.py)."""

    dependencies = [("strategies", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
