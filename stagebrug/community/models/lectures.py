"""Guest lectures both ways (W7): a business offers one on a subject; a school asks for one
(subject, programme, period) and the businesses of that sector are told; an accepted request
becomes an event. And what a business shows of its partnership on its public page."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class LectureOffer(models.Model):
    company = models.ForeignKey(
        "registry.Company", on_delete=models.CASCADE, related_name="lecture_offers"
    )
    subject = models.CharField(_("subject"), max_length=140)
    description = models.TextField(_("what you would tell"), max_length=3000)
    sector = models.ForeignKey(
        "registry.SectorCode",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("sector"),
    )
    is_active = models.BooleanField(_("on offer"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("guest lecture offered")
        verbose_name_plural = _("guest lectures offered")

    def __str__(self) -> str:
        return self.subject


class LectureRequest(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACCEPTED = "accepted", _("Accepted")
        CLOSED = "closed", _("Closed")

    institution = models.ForeignKey(
        "registry.Institution", on_delete=models.CASCADE, related_name="lecture_requests"
    )
    programme = models.ForeignKey(
        "registry.Programme",
        on_delete=models.CASCADE,
        related_name="lecture_requests",
        verbose_name=_("programme"),
    )
    subject = models.CharField(_("subject"), max_length=140)
    description = models.TextField(_("what the students should learn"), max_length=3000)
    sector = models.ForeignKey(
        "registry.SectorCode",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("sector"),
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    # Asked of one business's offer (only that business is told), or of the sector.
    offer = models.ForeignKey(
        LectureOffer,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests",
    )
    # The business that gives it and the event it became.
    company = models.ForeignKey(
        "registry.Company",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lecture_requests_accepted",
    )
    event = models.OneToOneField(
        "community.Event",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lecture_request",
    )
    told = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["period_start", "pk"]
        verbose_name = _("guest lecture asked for")
        verbose_name_plural = _("guest lectures asked for")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="lecture_request_period",
                violation_error_message=_("The period ends before it starts."),
            )
        ]
        indexes = [models.Index(fields=["status", "period_end"], name="lecture_request_open")]

    def __str__(self) -> str:
        return self.subject


class PartnerSettings(models.Model):
    """What a business chooses to show of its partnership record on its public page."""

    company = models.OneToOneField(
        "registry.Company", on_delete=models.CASCADE, related_name="partner_settings"
    )
    show_record = models.BooleanField(_("show our partnership record on our public page"))
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return str(self.company)
