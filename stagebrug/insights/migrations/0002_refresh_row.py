"""The one row that says how fresh the insight figures are, and that the job locks."""

from django.db import migrations


def create(apps, schema_editor):
    apps.get_model("insights", "Refresh").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("insights", "0001_facts")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
