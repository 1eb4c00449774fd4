"""Contact moments between student, school supervisor and workplace (W8, W13, W14)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class ContactMoment(models.Model):
    """A meeting of student, school supervisor and workplace (W8): at least three per
    internship, at least one at the workplace (Stagepact mbo)."""

    class Kind(models.TextChoices):
        START = "start", _("Start")
        MIDDLE = "middle", _("Mid-term")
        END = "end", _("End")
        EXTRA = "extra", _("Extra")

    internship = models.ForeignKey(
        "internships.Internship", on_delete=models.CASCADE, related_name="contact_moments"
    )
    kind = models.CharField(_("moment"), max_length=8, choices=Kind.choices)
    planned_at = models.DateTimeField(_("when"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration in minutes"),
        default=45,
        validators=[MinValueValidator(10), MaxValueValidator(480)],
    )
    on_site = models.BooleanField(_("at the workplace"), default=False)
    location = models.CharField(_("where"), max_length=200, blank=True)
    # Incremented on each change: the SEQUENCE of its calendar invitation.
    sequence = models.PositiveIntegerField(default=0)
    held_at = models.DateTimeField(null=True, blank=True)
    agreed = models.TextField(_("what was agreed"), max_length=2000, blank=True)
    next_steps = models.TextField(_("next steps"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["internship", "planned_at", "id"]
        indexes = [
            models.Index(fields=["internship", "planned_at"], name="contact_internship_when"),
            models.Index(fields=["planned_at"], name="contact_when"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.planned_at:%Y-%m-%d}"
