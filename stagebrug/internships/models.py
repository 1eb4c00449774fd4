"""Confirmed internships: a student placed at a placement, from an accepted offer or a published
matching round. Later capabilities (agreement, supervision) hang off this."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Internship(models.Model):
    class Source(models.TextChoices):
        APPLICATION = "application", _("accepted offer")
        ROUND = "round", _("matching round")

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="internships"
    )
    placement = models.ForeignKey(
        "placements.Placement", on_delete=models.PROTECT, related_name="internships"
    )
    supervisor = models.ForeignKey(
        "registry.Supervisor",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="internships",
        help_text=_(
            "The workplace supervisor; the only business person who reads the support notes (W14)."
        ),
    )
    source = models.CharField(max_length=12, choices=Source.choices)
    application = models.OneToOneField(
        "applications.Application",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="internship",
    )
    round = models.ForeignKey(
        "matching.Round",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="internships",
    )
    start_date = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "placement"], name="internship_unique_student_placement"
            )
        ]

    def __str__(self) -> str:
        return f"{self.student} @ {self.placement}"
