"""Events (C8; W0, W7): network meetings, guest lectures, open days and meet-and-match sessions
that schools and the operator publish, with sign-up, a waiting list that moves up by itself,
calendar files, reminders and attendance at the door."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    BUSINESSES = "businesses", _("Businesses")
    STUDENTS = "students", _("Students")
    BOTH = "both", _("Businesses and students")


class Event(models.Model):
    class Kind(models.TextChoices):
        NETWORK = "network", _("Network meeting")
        GUEST_LECTURE = "guest_lecture", _("Guest lecture")
        OPEN_DAY = "open_day", _("Open day")
        MEET_AND_MATCH = "meet_and_match", _("Meet and match")

    class State(models.TextChoices):
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=140)
    description = models.TextField(_("what it is about"), max_length=4000)
    # The school that organises it; empty for the operator's own events.
    institution = models.ForeignKey(
        "registry.Institution",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("school"),
    )
    # The business that gives it (a guest lecture).
    company = models.ForeignKey(
        "registry.Company",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events_given",
        verbose_name=_("given by"),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    online = models.BooleanField(_("online"), default=False)
    online_url = models.URLField(_("link to join"), blank=True)
    venue = models.CharField(_("place"), max_length=140, blank=True)
    street = models.CharField(_("street and number"), max_length=140, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    city = models.CharField(_("town"), max_length=80, blank=True)
    pc4 = models.ForeignKey(
        "registry.Postcode", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    audience = models.CharField(
        _("for"), max_length=12, choices=Audience.choices, default=Audience.BOTH
    )
    programme = models.ForeignKey(
        "registry.Programme",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        verbose_name=_("programme"),
    )
    sector = models.ForeignKey(
        "registry.SectorCode",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("sector"),
    )
    capacity = models.PositiveIntegerField(
        _("places"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100_000)],
        help_text=_("Empty: no limit."),
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.PUBLISHED)
    # Incremented on each change: the SEQUENCE of its calendar entry.
    sequence = models.PositiveIntegerField(default=0)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="event_ends_after_start",
                violation_error_message=_("The end must be after the start."),
            )
        ]
        indexes = [
            models.Index(fields=["state", "starts_at"], name="event_upcoming"),
            models.Index(fields=["institution", "starts_at"], name="event_school"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("community:event", args=[self.pk])

    @property
    def place_line(self) -> str:
        if self.online:
            return str(_("Online"))
        return ", ".join(
            p for p in (self.venue, self.street, f"{self.postcode} {self.city}".strip()) if p
        )


class Registration(models.Model):
    """Someone's place at an event: confirmed, on the waiting list (in order of sign-up), or
    cancelled. At most one that is not cancelled per person and event."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Signed up")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_registrations",
    )
    # The business the person comes for (a partnership record counts it), if any.
    company = models.ForeignKey(
        "registry.Company", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(max_length=150)
    status = models.CharField(max_length=10, choices=Status.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attended_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=~Q(status="cancelled"),
                name="registration_once_per_person",
            )
        ]
        indexes = [
            models.Index(fields=["event", "status", "created_at"], name="registration_queue")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_status_display()})"
