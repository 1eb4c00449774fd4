"""The internship becomes its own app: status, dates, hours, the student's programme and
school, workplace supervisor and buddy, school supervisor, and an early stop on the record.
Existing internships get their programme, school, dates and hours from what they came from,
and each placement's taken positions are counted from its internships."""

import datetime as dt

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import F, Q


def _programme_of(internship, apps):
    """The round's programme, else the student's profile, else the placement's first
    approved programme."""
    if internship.round_id:
        return internship.round.programme_id
    profile = apps.get_model("applications", "StudentProfile").objects.filter(
        user_id=internship.student_id
    ).first()
    if profile is not None:
        return profile.programme_id
    target = (
        apps.get_model("placements", "PlacementProgramme")
        .objects.filter(placement_id=internship.placement_id, decision="approved")
        .order_by("pk")
        .first()
    ) or apps.get_model("placements", "PlacementProgramme").objects.filter(
        placement_id=internship.placement_id
    ).order_by("pk").first()
    return target.programme_id


def backfill(apps, schema_editor):
    Internship = apps.get_model("internships", "Internship")
    Programme = apps.get_model("registry", "Programme")
    Placement = apps.get_model("placements", "Placement")
    for internship in Internship.objects.select_related("placement", "round").iterator():
        placement = internship.placement
        programme = Programme.objects.get(pk=_programme_of(internship, apps))
        start = internship.start_date or placement.earliest_start or dt.date.today()
        internship.programme_id = programme.pk
        internship.institution_id = programme.institution_id
        internship.start_date = start
        internship.end_date = start + dt.timedelta(weeks=placement.duration_weeks or 1, days=-1)
        internship.hours_per_week = placement.hours_per_week
        internship.buddy_id = placement.buddy_id
        internship.save(
            update_fields=[
                "programme", "institution", "start_date", "end_date", "hours_per_week", "buddy"
            ]
        )
    counts = Internship.objects.values("placement_id").annotate(n=models.Count("id"))
    for row in counts:
        Placement.objects.filter(pk=row["placement_id"]).update(positions_taken=row["n"])


class Migration(migrations.Migration):
    dependencies = [
        ("internships", "0003_drop_duplicate_placement_index"),
        ("placements", "0007_positions_taken"),
        ("registry", "0002_company_public_name_index"),
        ("applications", "0001_initial"),
        ("matching", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="internship",
            options={
                "ordering": ["-start_date", "-id"],
                "verbose_name": "internship",
                "verbose_name_plural": "internships",
            },
        ),
        migrations.AlterField(
            model_name="internship",
            name="student",
            field=models.ForeignKey(
                blank=True,
                help_text="Empty once the student's account was erased; the record stays.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="internships",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="internship",
            name="student_erased_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="internship",
            name="programme",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="internships",
                to="registry.programme",
            ),
        ),
        migrations.AddField(
            model_name="internship",
            name="institution",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="internships",
                to="registry.institution",
            ),
        ),
        migrations.AddField(
            model_name="internship",
            name="status",
            field=models.CharField(
                choices=[
                    ("confirmed", "Confirmed"),
                    ("active", "Under way"),
                    ("completed", "Completed"),
                    ("stopped", "Stopped early"),
                ],
                default="confirmed",
                max_length=12,
                verbose_name="status",
            ),
        ),
        migrations.AddField(
            model_name="internship",
            name="end_date",
            field=models.DateField(null=True, verbose_name="end date"),
        ),
        migrations.AddField(
            model_name="internship",
            name="hours_per_week",
            field=models.PositiveSmallIntegerField(null=True, verbose_name="hours per week"),
        ),
        migrations.AddField(
            model_name="internship",
            name="buddy",
            field=models.ForeignKey(
                blank=True,
                help_text="The colleague the student can always go to with questions (W9, W19).",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="buddy_internships",
                to="registry.supervisor",
                verbose_name="buddy",
            ),
        ),
        migrations.AddField(
            model_name="internship",
            name="school_supervisor",
            field=models.ForeignKey(
                blank=True,
                help_text="The stagedocent, assigned by the school (W8).",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="supervised_internships",
                to=settings.AUTH_USER_MODEL,
                verbose_name="school supervisor",
            ),
        ),
        migrations.AddField(
            model_name="internship",
            name="started_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="internship",
            name="completed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="internship",
            name="stopped_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="internship",
            name="stopped_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="internship",
            name="stop_reason",
            field=models.CharField(
                blank=True,
                choices=[
                    ("expectations", "Expectations did not match"),
                    ("requirements", "The placement did not meet the programme's requirements"),
                    ("supervision", "Not enough supervision at the workplace"),
                    ("attendance", "Absence or behaviour"),
                    ("unsafe", "Discrimination, intimidation or an unsafe situation"),
                    ("personal", "Personal or health reasons of the student"),
                    ("business", "The business could no longer host the internship"),
                    ("study", "The student changed or stopped their studies"),
                    ("other", "Another reason"),
                ],
                max_length=16,
                verbose_name="reason",
            ),
        ),
        migrations.AddField(
            model_name="internship",
            name="stop_note",
            field=models.TextField(blank=True, max_length=2000, verbose_name="what happened"),
        ),
        migrations.AddField(
            model_name="internship",
            name="updated_at",
            field=models.DateTimeField(auto_now=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="internship",
            name="programme",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="internships",
                to="registry.programme",
            ),
        ),
        migrations.AlterField(
            model_name="internship",
            name="institution",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="internships",
                to="registry.institution",
            ),
        ),
        migrations.AlterField(
            model_name="internship",
            name="start_date",
            field=models.DateField(verbose_name="start date"),
        ),
        migrations.AlterField(
            model_name="internship",
            name="end_date",
            field=models.DateField(verbose_name="end date"),
        ),
        migrations.AlterField(
            model_name="internship",
            name="hours_per_week",
            field=models.PositiveSmallIntegerField(
                validators=[
                    django.core.validators.MinValueValidator(4),
                    django.core.validators.MaxValueValidator(40),
                ],
                verbose_name="hours per week",
            ),
        ),
        migrations.AlterField(
            model_name="internship",
            name="supervisor",
            field=models.ForeignKey(
                blank=True,
                help_text=(
                    "The workplace supervisor (praktijkopleider); the only business person who "
                    "reads the support notes (W14)."
                ),
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="internships",
                to="registry.supervisor",
                verbose_name="workplace supervisor",
            ),
        ),
        migrations.AddConstraint(
            model_name="internship",
            constraint=models.UniqueConstraint(
                condition=Q(student__isnull=False, status__in=["confirmed", "active"]),
                fields=("student",),
                name="internship_one_current_per_student",
            ),
        ),
        migrations.AddConstraint(
            model_name="internship",
            constraint=models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="internship_end_after_start",
                violation_error_message="The end date cannot be before the start date.",
            ),
        ),
        migrations.AddConstraint(
            model_name="internship",
            constraint=models.CheckConstraint(
                condition=~Q(status="stopped") | ~Q(stop_reason=""),
                name="internship_stopped_has_reason",
            ),
        ),
        migrations.AddIndex(
            model_name="internship",
            index=models.Index(
                fields=["institution", "status", "-start_date"], name="internship_school_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="internship",
            index=models.Index(
                fields=["school_supervisor", "status"], name="internship_teacher_idx"
            ),
        ),
    ]
