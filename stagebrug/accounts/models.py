"""People, their roles (through memberships), invitations and personal API tokens."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with e-mail and password. What they may do comes from memberships."""

    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff (admin access)"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    # The language the person last used the site in: inbox messages and e-mails to them are
    # written in it, whoever or whatever (a background job) causes them.
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    # When the person was told their unused account will be removed (privacy: keep no longer
    # than needed); a login after it keeps the account (stagebrug.supervision.retention).
    inactivity_warned_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        # Never the e-mail address: short names are shown to other people.
        return self.full_name.split(" ")[0] if self.full_name else ""


class Role(models.TextChoices):
    STUDENT = "student", _("Student")
    COMPANY_OWNER = "company_owner", _("Company owner")
    COMPANY_MEMBER = "company_member", _("Company colleague")
    COMPANY_SUPERVISOR = "company_supervisor", _("Workplace supervisor")
    SCHOOL_COORDINATOR = "school_coordinator", _("Placement coordinator")
    SCHOOL_SUPERVISOR = "school_supervisor", _("School supervisor (stagedocent)")
    OPERATOR = "operator", _("Platform operator")


COMPANY_ROLES = {Role.COMPANY_OWNER, Role.COMPANY_MEMBER, Role.COMPANY_SUPERVISOR}
SCHOOL_ROLES = {Role.STUDENT, Role.SCHOOL_COORDINATOR, Role.SCHOOL_SUPERVISOR}


class Membership(models.Model):
    """One role of a person at one company or institution. A person can hold several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    company = models.ForeignKey(
        "registry.Company",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    institution = models.ForeignKey(
        "registry.Institution",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    programme = models.ForeignKey(
        "registry.Programme",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="students",
        help_text=_("For students: the programme they follow."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role", "id"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        role__in=sorted(r.value for r in COMPANY_ROLES),
                        company__isnull=False,
                        institution__isnull=True,
                    )
                    | models.Q(
                        role__in=sorted(r.value for r in SCHOOL_ROLES),
                        company__isnull=True,
                        institution__isnull=False,
                    )
                    | models.Q(role="operator", company__isnull=True, institution__isnull=True)
                ),
                name="membership_role_matches_organisation",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "company"],
                condition=models.Q(company__isnull=False),
                name="membership_unique_company_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "institution"],
                condition=models.Q(institution__isnull=False),
                name="membership_unique_institution_role",
            ),
        ]

    def __str__(self) -> str:
        where = self.company or self.institution or "Stagebrug"
        return f"{self.user} – {self.get_role_display()} – {where}"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class Invitation(models.Model):
    """An e-mailed invitation to join a company or institution in a role."""

    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    company = models.ForeignKey(
        "registry.Company", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    institution = models.ForeignKey(
        "registry.Institution", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} ({self.get_role_display()})"

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class ApiToken(models.Model):
    """A personal API token for a school's or company's own systems. Only its hash is kept."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
