"""Students, their profiles and support notes, applications, interviews, messages and the
in-site inbox (C5; W1, W2, W13, W14, W16).

Student data is personal data, often of minors: we keep the home area (PC4), not the address;
the CV is never publicly reachable; support notes are shown only to the supervisor of a
confirmed placement (W14).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def cv_path(instance: StudentProfile, filename: str) -> str:
    # The stored name never contains the student's own file name (it may hold their name).
    return f"cv/{instance.user_id}/{instance.cv_token}.pdf"


class StudentProfile(models.Model):
    """What a student offers and needs. Filled in by the student."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="student_profile"
    )
    programme = models.ForeignKey(
        "registry.Programme",
        on_delete=models.PROTECT,
        related_name="student_profiles",
        verbose_name=_("programme"),
    )
    year = models.PositiveSmallIntegerField(
        _("study year"), default=1, validators=[MinValueValidator(1), MaxValueValidator(6)]
    )
    home_pc4 = models.ForeignKey(
        "registry.Postcode",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("home postcode area"),
        help_text=_("Only the four digits: enough for travel distance, not your address."),
    )
    available_from = models.DateField(_("available from"), null=True, blank=True)
    hours_per_week = models.PositiveSmallIntegerField(
        _("hours per week"),
        null=True,
        blank=True,
        validators=[MinValueValidator(4), MaxValueValidator(40)],
    )
    wanted_activities = models.TextField(_("what you want to do"), blank=True, max_length=2000)
    activity_tags = models.JSONField(_("activities (tags)"), default=list, blank=True)
    skills = models.TextField(_("what you are good at"), blank=True, max_length=2000)
    skill_tags = models.JSONField(_("skills (tags)"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    allowance_needed = models.DecimalField(
        _("allowance you need per month"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    max_travel_km = models.PositiveSmallIntegerField(
        _("maximum travel distance (km)"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
    )
    cv = models.FileField(_("CV (PDF)"), upload_to=cv_path, blank=True, max_length=200)
    cv_token = models.CharField(max_length=32, blank=True)
    cv_uploaded_at = models.DateTimeField(null=True, blank=True)
    discoverable = models.BooleanField(
        _("businesses may find my profile"),
        default=False,
        help_text=_(
            "Businesses with a placement that fits you can see your profile (not your CV or support notes)."
        ),
    )
    school_may_add_notes = models.BooleanField(
        _("my school may add support notes"),
        default=False,
        help_text=_("Tips for your supervisor on how best to work with you (W14)."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("student profile")
        verbose_name_plural = _("student profiles")
        indexes = [models.Index(fields=["programme", "discoverable"], name="profile_prog_disc_idx")]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def level(self) -> int:
        """MBO 1–4, HBO = 5 (the scale placements use; see `Programme.level`)."""
        return self.programme.level


class SupportNote(models.Model):
    """How best to approach the student (the whitepaper's handvatten, W14). Written by the
    student, or with the student's consent by the school; read only by the supervisor of a
    confirmed placement."""

    class Author(models.TextChoices):
        STUDENT = "student", _("the student")
        SCHOOL = "school", _("the school")

    profile = models.ForeignKey(
        StudentProfile, on_delete=models.CASCADE, related_name="support_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_role = models.CharField(max_length=10, choices=Author.choices)
    text = models.TextField(_("support note"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_author_role_display()}: {self.text[:40]}"


class ApplicationStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    INTERVIEW = "interview", _("Interview")
    OFFER = "offer", _("Offer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Offer declined")
    REJECTED = "rejected", _("Not chosen")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CLOSED = "closed", _("Closed without reply")


OPEN_STATUSES = (
    ApplicationStatus.APPLIED,
    ApplicationStatus.SHORTLISTED,
    ApplicationStatus.INTERVIEW,
    ApplicationStatus.OFFER,
)


class Application(models.Model):
    """A student applies to a placement (the open market, W16)."""

    placement = models.ForeignKey(
        "placements.Placement", on_delete=models.CASCADE, related_name="applications"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications"
    )
    motivation = models.TextField(_("motivation"), max_length=3000)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.APPLIED,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    business_replied_at = models.DateTimeField(null=True, blank=True)
    #: When the application reached its current status: the answer ladder's clock (W1).
    stage_since = models.DateTimeField(default=timezone.now)
    #: W2, W14: made while the student's programme asked for an anonymous first look; the
    #: business sees who it is once it shortlists (`revealed_at`).
    anonymous = models.BooleanField(default=False)
    revealed_at = models.DateTimeField(null=True, blank=True)
    #: When the business was reminded in the current stage (cleared by every move).
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "student"], name="application_unique_student"
            )
        ]
        indexes = [
            models.Index(fields=["placement", "status"], name="application_place_status_idx"),
            models.Index(fields=["status", "created_at"], name="application_status_date_idx"),
            models.Index(fields=["status", "stage_since"], name="application_stage_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.student} → {self.placement}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ApplicationEvent(models.Model):
    """Every status change, visible to both sides, with the reason where one is owed."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, choices=ApplicationStatus.choices)
    reason = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class Interview(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="interviews"
    )
    starts_at = models.DateTimeField(_("date and time"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        default=30,
        validators=[MinValueValidator(10), MaxValueValidator(240)],
    )
    location = models.CharField(
        _("where"), max_length=300, help_text=_("An address, or a video-call link.")
    )
    note = models.TextField(_("note for the student"), blank=True, max_length=1000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}"


class Message(models.Model):
    """The message thread of one application, between student and business."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("message"), max_length=3000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:40]


class Notification(models.Model):
    """The in-site inbox: every event where a person must act (also sent by e-mail)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_read_idx")]

    def __str__(self) -> str:
        return self.title
