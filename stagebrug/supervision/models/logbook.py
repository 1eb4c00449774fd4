"""One shared logbook per internship (W1, W8, W14): the workplace supervisor's check-ins (how
it goes, and each learning goal of the agreement on track, needing attention or behind), the
student's own entries and the school supervisor's notes, read by the three parties."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class GoalStatus(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    ATTENTION = "attention", _("Needs attention")
    BEHIND = "behind", _("Behind")


class Going(models.TextChoices):
    WELL = "well", _("Going well")
    OKAY = "okay", _("Going all right")
    HARD = "hard", _("Not going well")


class LogEntry(models.Model):
    class Kind(models.TextChoices):
        CHECKIN = "checkin", _("Check-in by the workplace")
        STUDENT = "student", _("Student's entry")
        SCHOOL = "school", _("School supervisor's note")

    internship = models.ForeignKey(
        "internships.Internship", on_delete=models.CASCADE, related_name="log_entries"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept with the entry: the logbook says who wrote it even after the author left the
    # business or school (blank once the author's account is erased).
    author_name = models.CharField(max_length=150, blank=True)
    #: The Monday of the week the entry is about.
    week = models.DateField()
    going = models.CharField(_("how is it going"), max_length=8, choices=Going.choices, blank=True)
    #: A check-in's verdict per learning goal of the signed agreement: {"goal_1": "on_track"}.
    goals = models.JSONField(default=dict, blank=True)
    # Counted from `goals`, so lists and the nightly review need not read the JSON.
    behind = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(20)])
    attention = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(20)])
    text = models.TextField(_("entry"), max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("logbook entry")
        verbose_name_plural = _("logbook entries")
        indexes = [
            models.Index(fields=["internship", "-created_at"], name="logentry_internship"),
            models.Index(fields=["internship", "kind", "week"], name="logentry_kind_week"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.week}"
