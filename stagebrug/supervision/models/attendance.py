"""Attendance (W10): the days the student works, and what happened on each.

The planned days come from the signed agreement's weekly schedule (`WorkDay`, refreshed each
time a version is signed); holidays and days off in the schedule are `Leave`. Each planned day
gets at most one `Attendance`: marked by the workplace supervisor, reported by the student
beforehand (sick, late), or opened by the prompt job as "no word yet" when the start time passed
without a word (W10). Every change of a mark is in the audit log.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class SchoolSettings(models.Model):
    """What a school sets for the supervision of its internships."""

    institution = models.OneToOneField(
        "registry.Institution", on_delete=models.CASCADE, related_name="supervision_settings"
    )
    absence_alert_after = models.PositiveSmallIntegerField(
        _("alert after this many absences without notice"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_(
            "Absences without notice within four weeks before the school supervisor is alerted "
            "(W10)."
        ),
    )
    checkin_every_weeks = models.PositiveSmallIntegerField(
        _("check-in every so many weeks"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(8)],
        help_text=_("Empty: weekly for MBO 1–2, every two weeks otherwise (W13, W14)."),
    )
    student_files_months = models.PositiveSmallIntegerField(
        _("keep CVs and support notes this many months after the internship"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_(
            "Then a student's CV and support notes are removed, unless the student has an "
            "internship again; a CV uploaded or a note written later is kept as long from then."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("supervision settings")
        verbose_name_plural = _("supervision settings")

    def __str__(self) -> str:
        return str(self.institution)


class WorkDay(models.Model):
    """A day of the week the student works, with its times, from the signed agreement."""

    internship = models.ForeignKey(
        "internships.Internship", on_delete=models.CASCADE, related_name="work_days"
    )
    weekday = models.PositiveSmallIntegerField(validators=[MaxValueValidator(6)])  # Monday 0
    start = models.TimeField()
    end = models.TimeField()

    class Meta:
        ordering = ["internship", "weekday"]
        constraints = [
            models.UniqueConstraint(fields=["internship", "weekday"], name="workday_once"),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="workday_end_after_start"),
        ]
        # The prompt job: today's work days whose start time has passed.
        indexes = [models.Index(fields=["weekday", "start"], name="workday_weekday_start")]

    def __str__(self) -> str:
        return f"{self.internship_id} {self.weekday} {self.start}–{self.end}"


class Leave(models.Model):
    """A holiday or a day off in the schedule: no attendance is asked, no prompt is sent."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Holiday")
        DAY_OFF = "day_off", _("Day off")

    internship = models.ForeignKey(
        "internships.Internship", on_delete=models.CASCADE, related_name="leaves"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.HOLIDAY)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="leave_end_after_start",
                violation_error_message=_("The last day cannot be before the first."),
            )
        ]
        indexes = [models.Index(fields=["internship", "start_date", "end_date"], name="leave_days")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start_date}–{self.end_date}"


class Mark(models.TextChoices):
    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    ABSENT = "absent", _("Absent")
    SICK = "sick", _("Sick")
    DAY_OFF = "day_off", _("Day off")
    NO_WORD = "no_word", _("No word yet")


class Attendance(models.Model):
    """One planned day of one internship."""

    class Source(models.TextChoices):
        SUPERVISOR = "supervisor", _("the workplace supervisor")
        STUDENT = "student", _("the student")
        PROMPT = "prompt", _("Stagebrug (no word at the start time)")

    internship = models.ForeignKey(
        "internships.Internship", on_delete=models.CASCADE, related_name="attendance"
    )
    date = models.DateField(_("day"))
    mark = models.CharField(_("attendance"), max_length=8, choices=Mark.choices)
    source = models.CharField(max_length=10, choices=Source.choices)
    # The student told before the start time (sick, late): an absence with notice.
    announced = models.BooleanField(default=False)
    minutes_late = models.PositiveSmallIntegerField(
        _("minutes late"), null=True, blank=True, validators=[MaxValueValidator(600)]
    )
    hours = models.DecimalField(
        _("hours worked"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(24)],
    )
    student_note = models.CharField(_("message"), max_length=300, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    marked_at = models.DateTimeField()
    # "You were missed" (W10): the prompt to the supervisor, and the call they made.
    prompted_at = models.DateTimeField(null=True, blank=True)
    called_at = models.DateTimeField(null=True, blank=True)
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    call_note = models.CharField(_("what came out of the call"), max_length=300, blank=True)
    # This absence without notice made the school supervisor be alerted.
    alerted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["internship", "date"]
        constraints = [
            models.UniqueConstraint(fields=["internship", "date"], name="attendance_once_a_day")
        ]
        indexes = [models.Index(fields=["date", "mark"], name="attendance_day_mark")]

    def __str__(self) -> str:
        return f"{self.internship_id} {self.date} {self.mark}"


class WeekSignoff(models.Model):
    """The workplace supervisor confirms a week's attendance and hours (the record a BBL host
    keeps for the Subsidieregeling praktijkleren)."""

    internship = models.ForeignKey(
        "internships.Internship", on_delete=models.CASCADE, related_name="week_signoffs"
    )
    week = models.DateField(help_text="The Monday of the week.")
    hours = models.DecimalField(max_digits=5, decimal_places=2)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_by_name = models.CharField(max_length=150)
    signed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["internship", "week"]
        constraints = [
            models.UniqueConstraint(fields=["internship", "week"], name="signoff_once_a_week")
        ]

    def __str__(self) -> str:
        return f"{self.internship_id} {self.week}"
