from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("placements", "0006_target_index")]

    operations = [
        migrations.AddField(
            model_name="placement",
            name="positions_taken",
            field=models.PositiveSmallIntegerField(default=0, editable=False),
        ),
        # Counted from the internships that exist by internships.0004.
        migrations.AddConstraint(
            model_name="placement",
            constraint=models.CheckConstraint(
                condition=models.Q(positions_taken__lte=models.F("positions")),
                name="placement_taken_within_positions",
            ),
        ),
    ]
