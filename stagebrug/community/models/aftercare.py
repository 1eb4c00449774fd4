"""Aftercare (C9; W6, W11): at the end of an internship the student chooses whether to keep in
touch with the business and what to share, and can withdraw that at any time; the business
offers its former interns (who agreed) a side job or a job, and its current interns a side
job."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class KeepInTouch(models.Model):
    """The student's consent to stay in touch with the business of one internship."""

    internship = models.OneToOneField(
        "internships.Internship", on_delete=models.CASCADE, related_name="keep_in_touch"
    )
    share_email = models.BooleanField(_("my e-mail address"), default=False)
    side_job = models.BooleanField(_("that I am open to a side job"), default=False)
    first_job = models.BooleanField(_("that I am open to a first job"), default=False)
    graduation = models.DateField(_("when I expect to graduate"), null=True, blank=True)
    agreed_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("keeping in touch")
        verbose_name_plural = _("keeping in touch")
        indexes = [models.Index(fields=["withdrawn_at"], name="keepintouch_active")]

    def __str__(self) -> str:
        return str(self.internship_id)

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class JobOffer(models.Model):
    class Kind(models.TextChoices):
        SIDE_JOB = "side_job", _("Side job")
        JOB = "job", _("Job")

    class Answer(models.TextChoices):
        INTERESTED = "interested", _("Interested")
        DECLINED = "declined", _("No, thank you")

    internship = models.ForeignKey(
        "internships.Internship", on_delete=models.CASCADE, related_name="job_offers"
    )
    kind = models.CharField(_("what you offer"), max_length=10, choices=Kind.choices)
    message = models.TextField(_("message"), max_length=2000)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)
    answer = models.CharField(max_length=12, choices=Answer.choices, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("job offer")
        verbose_name_plural = _("job offers")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.internship_id})"
