"""The three-party agreement of an internship (C6; W1, W13, W14, W19, W20): what student,
business and school agree, as structured data, in versions that each party signs.

For MBO it is the praktijkovereenkomst (POK), for HBO the stageovereenkomst. One agreement per
internship; its versions:

    draft (the parties fill in their own sections) ──send──▶ signing ──all signed──▶ signed
       ▲                                                  │                          │
       └───────────── reopen (a new draft version) ───────┘◀────── amend ────────────┘

A version that was sent is never changed again: its content and the SHA-256 of that content
are what every signature is about. A change after sending or signing is a new version.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    POK = "pok", _("Work placement agreement (praktijkovereenkomst, POK)")
    STAGE = "stage", _("Internship agreement (stageovereenkomst)")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNING = "signing", _("Out for signature")
    SIGNED = "signed", _("Signed")
    AMENDING = "amending", _("Being amended")
    ENDED = "ended", _("Ended")


class Party(models.TextChoices):
    STUDENT = "student", _("Student")
    BUSINESS = "business", _("Business")
    SCHOOL = "school", _("School")
    GUARDIAN = "guardian", _("Parent or guardian")


class Agreement(models.Model):
    internship = models.OneToOneField(
        "internships.Internship", on_delete=models.CASCADE, related_name="agreement"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    deadline = models.DateTimeField(_("sign before"), null=True, blank=True)
    # The deadline of the version out for signature passed before everyone signed.
    attention_since = models.DateTimeField(null=True, blank=True)
    # Reminders sent for the version out for signature ("3d", "1d"), so each goes once.
    reminded = models.JSONField(default=list, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        indexes = [models.Index(fields=["status", "deadline"], name="agreement_status_deadline")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.internship}"


class Version(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SIGNING = "signing", _("Out for signature")
        SIGNED = "signed", _("Signed")
        SUPERSEDED = "superseded", _("Replaced by a later version")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    state = models.CharField(max_length=12, choices=State.choices, default=State.DRAFT)
    content = models.JSONField(default=dict)
    # SHA-256 of the canonical JSON of `content`, fixed when the version is sent.
    content_hash = models.CharField(max_length=64, blank=True)
    required_parties = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="version_number_unique"),
            # At most one version being drafted or signed at a time.
            models.UniqueConstraint(
                fields=["agreement"],
                condition=Q(state__in=["draft", "signing"]),
                name="version_one_open_per_agreement",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} v{self.number}"

    @property
    def code(self) -> str:
        """The verification code printed on the PDF: the version and the start of its hash."""
        return f"SB-{self.pk}-{self.content_hash[:12].upper()}" if self.content_hash else ""


class Signature(models.Model):
    """A simple electronic signature: who, as which party, the name they typed, when, how, and
    the hash of the exact version they signed."""

    class Method(models.TextChoices):
        SESSION = "session", _("logged in on Stagebrug")
        TOKEN = "token", _("API token")
        LINK = "link", _("personal signing link sent by e-mail")

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="signatures")
    party = models.CharField(max_length=10, choices=Party.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("full name"), max_length=150)
    email = models.EmailField(blank=True)
    method = models.CharField(max_length=8, choices=Method.choices)
    content_hash = models.CharField(max_length=64)
    signed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["signed_at", "id"]
        constraints = [
            # The same party signing twice counts once.
            models.UniqueConstraint(fields=["version", "party"], name="signature_once_per_party")
        ]

    def __str__(self) -> str:
        return f"{self.get_party_display()}: {self.name}"


class SigningLink(models.Model):
    """A single-use, expiring link for a signer without an account (a parent or guardian of a
    minor, or a business signer). Only the hash of the token is kept."""

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="links")
    party = models.CharField(max_length=10, choices=Party.choices)
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail"))
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_party_display()} {self.email}"


class BirthDate(models.Model):
    """A student's date of birth: asked once, only to know whether a parent or guardian must
    sign too (a minor on the start date). Shown to nobody but the student and the school."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="birth_date"
    )
    date = models.DateField(_("date of birth"))
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return str(self.user_id)
