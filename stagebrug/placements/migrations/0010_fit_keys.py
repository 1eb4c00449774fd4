"""`Placement.fit_keys` and `fit_mask`: the fit score's terms of each placement, stored with its
search text, filled from the search text for the placements there are."""

from django.db import migrations, models

BATCH = 2000


def fill(apps, schema_editor):
    from stagebrug.core.text.terms import fit_fields

    Placement = apps.get_model("placements", "Placement")
    db = schema_editor.connection.alias
    rows = Placement.objects.using(db).order_by("pk").only("pk", "search_text")
    last = 0
    while True:
        chunk = list(rows.filter(pk__gt=last)[:BATCH])
        if not chunk:
            return
        for placement in chunk:
            terms = fit_fields(placement.search_text)
            placement.fit_keys, placement.fit_mask = terms["fit_keys"], terms["fit_mask"]
        Placement.objects.using(db).bulk_update(chunk, ["fit_keys", "fit_mask"])
        last = chunk[-1].pk


class Migration(migrations.Migration):
    # The columns have database defaults, so code of the release before keeps writing rows;
    # the fill commits batch by batch instead of locking every placement for minutes.
    atomic = False
    dependencies = [("placements", "0009_duo_seats")]

    operations = [
        migrations.AddField(
            model_name="placement",
            name="fit_keys",
            field=models.TextField(blank=True, db_default="", default="", editable=False),
        ),
        migrations.AddField(
            model_name="placement",
            name="fit_mask",
            field=models.BigIntegerField(db_default=0, default=0, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
