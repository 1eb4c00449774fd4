"""Progress and early warning (W18): where an internship stands, and what puts it at risk
before a stop is needed.

`Progress` keeps, per internship, what the daily review and the lists need without reading the
whole record: the check-in rhythm and when the next check-in is due, the last check-in's goal
verdicts, the hours the agreement requires, and how many warnings are open. `EarlyWarning` is a
risk the review found (goals behind at mid-term, required hours out of reach, check-ins or
contact moments missed, repeated absence), open until the review no longer finds it.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Progress(models.Model):
    internship = models.OneToOneField(
        "internships.Internship",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="progress",
    )
    checkin_every_weeks = models.PositiveSmallIntegerField(default=2)
    last_checkin_on = models.DateField(null=True, blank=True)
    next_checkin_due = models.DateField(null=True, blank=True)
    # The due date a reminder was sent for, so each overdue check-in is reminded once.
    checkin_reminded_for = models.DateField(null=True, blank=True)
    goals_behind = models.PositiveSmallIntegerField(default=0)
    goals_attention = models.PositiveSmallIntegerField(default=0)
    # The total practice hours of the signed agreement (empty until it is signed).
    hours_required = models.PositiveIntegerField(null=True, blank=True)
    open_warnings = models.PositiveSmallIntegerField(default=0)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("progress")
        verbose_name_plural = _("progress")
        indexes = [models.Index(fields=["next_checkin_due"], name="progress_checkin_due")]

    def __str__(self) -> str:
        return f"{self.internship_id}"


class EarlyWarning(models.Model):
    class Kind(models.TextChoices):
        GOALS = "goals", _("Learning goals behind")
        HOURS = "hours", _("Required hours out of reach")
        CHECKINS = "checkins", _("Check-ins missed")
        CONTACT = "contact", _("Contact moment missed")
        ABSENCE = "absence", _("Repeated absence without notice")

    internship = models.ForeignKey(
        "internships.Internship", on_delete=models.CASCADE, related_name="early_warnings"
    )
    kind = models.CharField(_("warning"), max_length=10, choices=Kind.choices)
    #: What the review found, for the message (counts and dates, no free text).
    detail = models.JSONField(default=dict, blank=True)
    raised_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        verbose_name = _("early warning")
        verbose_name_plural = _("early warnings")
        constraints = [
            models.UniqueConstraint(
                fields=["internship", "kind"],
                condition=Q(resolved_at__isnull=True),
                name="warning_one_open_per_kind",
            )
        ]
        indexes = [
            models.Index(fields=["internship", "resolved_at"], name="warning_internship_open")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.internship_id})"
