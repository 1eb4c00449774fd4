"""A student's confidential reports to their school."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Report(models.Model):
    """A student's confidential report to their school: discrimination, intimidation or an
    unsafe situation. Never visible to the business, in any channel."""

    class Kind(models.TextChoices):
        DISCRIMINATION = "discrimination", _("Discrimination")
        INTIMIDATION = "intimidation", _("Intimidation or harassment")
        UNSAFE = "unsafe", _("An unsafe situation")
        OTHER = "other", _("Something else")

    class State(models.TextChoices):
        NEW = "new", _("Received")
        ACKNOWLEDGED = "acknowledged", _("Read by the school")
        IN_PROGRESS = "in_progress", _("Being followed up")
        CLOSED = "closed", _("Closed")

    internship = models.ForeignKey(
        "internships.Internship", on_delete=models.CASCADE, related_name="reports"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("what is it about"), max_length=16, choices=Kind.choices)
    text = models.TextField(_("what happened"), max_length=5000)
    state = models.CharField(_("status"), max_length=12, choices=State.choices, default=State.NEW)
    # What the school tells the student about the follow-up (the student reads it).
    reply = models.TextField(_("message to the student"), max_length=2000, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["internship", "state"], name="report_internship_state")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_state_display()})"
