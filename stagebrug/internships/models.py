"""Internships: a student placed at a placement, from an accepted offer or a published matching
round, until it is completed or stopped. The three-party agreement and supervision hang off it.

confirmed → active → completed, or stopped early (from confirmed or active) with a reason and
who stopped it. The reason is kept for the regional figures, also after the student's account
is erased: erasure anonymises the internship (W1, W18).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    ACTIVE = "active", _("Under way")
    COMPLETED = "completed", _("Completed")
    STOPPED = "stopped", _("Stopped early")


#: An internship in one of these statuses holds the student: they cannot be placed elsewhere
#: until it is completed or stopped.
CURRENT_STATUSES = (Status.CONFIRMED, Status.ACTIVE)


class StopReason(models.TextChoices):
    """Why an internship ended early: a fixed list, so the region can count them (C10)."""

    EXPECTATIONS = "expectations", _("Expectations did not match")
    REQUIREMENTS = "requirements", _("The placement did not meet the programme's requirements")
    SUPERVISION = "supervision", _("Not enough supervision at the workplace")
    ATTENDANCE = "attendance", _("Absence or behaviour")
    UNSAFE = "unsafe", _("Discrimination, intimidation or an unsafe situation")
    PERSONAL = "personal", _("Personal or health reasons of the student")
    BUSINESS = "business", _("The business could no longer host the internship")
    STUDY = "study", _("The student changed or stopped their studies")
    OTHER = "other", _("Another reason")


class StopContact(models.TextChoices):
    """Who talked it over before the internship stopped (W18: together, before a stop)."""

    ALL_THREE = "all_three", _("Student, business and school talked it over together")
    STUDENT_SCHOOL = "student_school", _("The school talked with the student")
    BUSINESS_SCHOOL = "business_school", _("The school talked with the business")
    STUDENT_BUSINESS = "student_business", _("The business talked with the student")
    NONE = "none", _("No conversation was possible")


class Internship(models.Model):
    class Source(models.TextChoices):
        APPLICATION = "application", _("accepted offer")
        ROUND = "round", _("matching round")

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="internships",
        help_text=_("Empty once the student's account was erased; the record stays."),
    )
    student_erased_at = models.DateTimeField(null=True, blank=True)
    placement = models.ForeignKey(
        "placements.Placement", on_delete=models.PROTECT, related_name="internships"
    )
    # The student's programme when the internship was confirmed, and its school: what the
    # school and the regional figures count by, also after the student leaves.
    programme = models.ForeignKey(
        "registry.Programme", on_delete=models.PROTECT, related_name="internships"
    )
    institution = models.ForeignKey(
        "registry.Institution", on_delete=models.PROTECT, related_name="internships"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.CONFIRMED
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    hours_per_week = models.PositiveSmallIntegerField(
        _("hours per week"), validators=[MinValueValidator(4), MaxValueValidator(40)]
    )
    supervisor = models.ForeignKey(
        "registry.Supervisor",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="internships",
        verbose_name=_("workplace supervisor"),
        help_text=_(
            "The workplace supervisor (praktijkopleider); the only business person who reads "
            "the support notes (W14)."
        ),
    )
    buddy = models.ForeignKey(
        "registry.Supervisor",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="buddy_internships",
        verbose_name=_("buddy"),
        help_text=_("The colleague the student can always go to with questions (W9, W19)."),
    )
    school_supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervised_internships",
        verbose_name=_("school supervisor"),
        help_text=_("The stagedocent, assigned by the school (W8)."),
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
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    stopped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    stop_reason = models.CharField(
        _("reason"), max_length=16, choices=StopReason.choices, blank=True
    )
    stop_note = models.TextField(_("what happened"), max_length=2000, blank=True)
    stop_contact = models.CharField(
        _("after what contact"), max_length=16, choices=StopContact.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("internship")
        verbose_name_plural = _("internships")
        constraints = [
            models.UniqueConstraint(
                fields=["student", "placement"], name="internship_unique_student_placement"
            ),
            # A student holds one current internship at a time.
            models.UniqueConstraint(
                fields=["student"],
                condition=Q(student__isnull=False, status__in=["confirmed", "active"]),
                name="internship_one_current_per_student",
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="internship_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=~Q(status="stopped") | ~Q(stop_reason=""),
                name="internship_stopped_has_reason",
            ),
        ]
        indexes = [
            # The coordinator's list: a school's internships by status, newest start first.
            models.Index(
                fields=["institution", "status", "-start_date"], name="internship_school_idx"
            ),
            models.Index(fields=["school_supervisor", "status"], name="internship_teacher_idx"),
        ]

    def __str__(self) -> str:
        name = self.student.full_name if self.student_id else _("(erased)")
        return f"{name} @ {self.placement}"

    def get_absolute_url(self) -> str:
        return reverse("internships:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        """Still to come or under way: the parties can change it."""
        return self.status in CURRENT_STATUSES

    @property
    def weeks(self) -> int:
        return ((self.end_date - self.start_date).days + 1 + 6) // 7
