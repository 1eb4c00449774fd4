"""The mid-term and the final evaluation of an internship (W1, W18): the workplace supervisor
assesses the student on criteria from the programme's learning outcomes, the student assesses
themselves on the same criteria, and the school supervisor reviews both and decides. The final
decision completes the internship."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Score(models.TextChoices):
    INSUFFICIENT = "insufficient", _("Insufficient")
    SUFFICIENT = "sufficient", _("Sufficient")
    GOOD = "good", _("Good")


class Decision(models.TextChoices):
    # Mid-term
    ON_TRACK = "on_track", _("On track")
    ATTENTION = "attention", _("On track, with points to work on")
    AT_RISK = "at_risk", _("At risk: the second half must go differently")
    # Final
    PASSED = "passed", _("Passed")
    NOT_PASSED = "not_passed", _("Not passed")


MIDTERM_DECISIONS = (Decision.ON_TRACK, Decision.ATTENTION, Decision.AT_RISK)
FINAL_DECISIONS = (Decision.PASSED, Decision.NOT_PASSED)


class Evaluation(models.Model):
    class Kind(models.TextChoices):
        MIDTERM = "midterm", _("Mid-term evaluation")
        FINAL = "final", _("Final evaluation")

    Score = Score
    Decision = Decision

    internship = models.ForeignKey(
        "internships.Internship", on_delete=models.CASCADE, related_name="evaluations"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    due_on = models.DateField(_("due"))
    #: [{"key": "c1", "text": "..."}], copied from the learning outcomes when it was planned
    #: (and again when the agreement is signed, as long as nobody has filled in a part).
    criteria = models.JSONField(default=list)

    workplace_scores = models.JSONField(default=dict, blank=True)
    workplace_comment = models.TextField(max_length=3000, blank=True)
    workplace_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    workplace_by_name = models.CharField(max_length=150, blank=True)
    workplace_at = models.DateTimeField(null=True, blank=True)

    student_scores = models.JSONField(default=dict, blank=True)
    student_comment = models.TextField(max_length=3000, blank=True)
    student_at = models.DateTimeField(null=True, blank=True)

    decision = models.CharField(_("decision"), max_length=12, choices=Decision.choices, blank=True)
    school_comment = models.TextField(max_length=3000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by_name = models.CharField(max_length=150, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    # Reminders sent before the due date ("3d", "1d"), so each goes once.
    reminded = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["internship", "due_on", "id"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.UniqueConstraint(fields=["internship", "kind"], name="evaluation_once_per_kind")
        ]
        indexes = [
            models.Index(fields=["decided_at", "due_on"], name="evaluation_open_due"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.internship_id})"

    @property
    def is_decided(self) -> bool:
        return self.decided_at is not None

    @property
    def started(self) -> bool:
        """Someone filled in a part: the criteria stay as they are."""
        return bool(self.workplace_at or self.student_at or self.decided_at)
