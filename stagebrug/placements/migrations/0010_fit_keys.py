"""`Placement.fit_keys`: the fit score's terms of each placement, stored with its search text,
filled from the search text for the placements there are."""

from django.db import migrations, models

BATCH = 2000


def fill(apps, schema_editor):
    from stagebrug.core.text.terms import fit_keys_of

    Placement = apps.get_model("placements", "Placement")
    db = schema_editor.connection.alias
    rows = Placement.objects.using(db).order_by("pk").only("pk", "search_text")
    last = 0
    while True:
        chunk = list(rows.filter(pk__gt=last)[:BATCH])
        if not chunk:
            return
        for placement in chunk:
            placement.fit_keys = fit_keys_of(placement.search_text)
        Placement.objects.using(db).bulk_update(chunk, ["fit_keys"])
        last = chunk[-1].pk


class Migration(migrations.Migration):
    dependencies = [("placements", "0009_duo_seats")]

    operations = [
        migrations.AddField(
            model_name="placement",
            name="fit_keys",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
