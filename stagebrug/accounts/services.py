"""State changes for people: sign-up, invitations, memberships, API tokens, privacy."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from stagebrug.accounts import hooks
from stagebrug.accounts import permissions as perms
from stagebrug.accounts.models import (
    COMPANY_ROLES,
    ApiToken,
    Invitation,
    Membership,
    Role,
    User,
    hash_token,
)
from stagebrug.core.audit import audit_log
from stagebrug.core.mail import queue_email
from stagebrug.core.models import AuditEvent

EMAIL_TAKEN = _(
    "An account with this e-mail address already exists. Log in or reset your password."
)
INVITATION_NOT_OPEN = _("This invitation has expired, was withdrawn or was already used.")
INVITATION_WRONG_EMAIL = _("This invitation was sent to another e-mail address.")
INVITATION_ROLE_NOT_ALLOWED = _("You cannot invite someone in this role.")
LAST_OWNER = _("A company needs at least one owner.")
ALREADY_MEMBER = _("This person already has this role.")

COMPANY_INVITABLE = {Role.COMPANY_OWNER, Role.COMPANY_MEMBER, Role.COMPANY_SUPERVISOR}
SCHOOL_INVITABLE = {Role.SCHOOL_COORDINATOR, Role.SCHOOL_SUPERVISOR}


def user_signup(*, email: str, full_name: str, password: str) -> User:
    """Create an account. The password is checked against the configured validators."""
    email = email.strip().lower()
    user = User(email=email, full_name=full_name.strip())
    errors: dict[str, list[Any]] = {}
    if User.objects.filter(email__iexact=email).exists():
        errors["email"] = [EMAIL_TAKEN]
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    try:
        user.full_clean(exclude=["password", "email"])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
            audit_log(actor=user, action="user.signup", obj=user)
    except IntegrityError:
        raise ValidationError({"email": [EMAIL_TAKEN]}) from None
    return user


def _invitation_allowed(*, by: User, role: str, company: Any, institution: Any) -> bool:
    if role in COMPANY_INVITABLE and company is not None and institution is None:
        return perms.can_manage_company_team(by, company)
    if role in SCHOOL_INVITABLE and institution is not None and company is None:
        return perms.can_edit_institution(by, institution)
    return False


def invitation_create(
    *,
    by: User,
    email: str,
    role: str,
    company: Any = None,
    institution: Any = None,
) -> tuple[Invitation, str]:
    """Invite a person by e-mail: an owner invites colleagues, a coordinator school staff.

    Returns the invitation and the raw token (only its hash is stored).
    """
    if not _invitation_allowed(by=by, role=role, company=company, institution=institution):
        raise PermissionDenied(INVITATION_ROLE_NOT_ALLOWED)
    email = email.strip().lower()
    existing = Membership.objects.filter(user__email__iexact=email, role=role)
    existing = (
        existing.filter(company=company) if company else existing.filter(institution=institution)
    )
    if existing.exists():
        raise ValidationError({"email": [ALREADY_MEMBER]})
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = Invitation(
            email=email,
            role=role,
            company=company,
            institution=institution,
            token_hash=hash_token(raw),
            invited_by=by,
            expires_at=timezone.now() + dt.timedelta(days=settings.INVITATION_VALID_DAYS),
        )
        invitation.full_clean(exclude=["token_hash"])
        invitation.save()
        audit_log(actor=by, action="invitation.create", obj=invitation, changes={"role": role})
        queue_email(
            to=email,
            template="invitation",
            context={
                "invitation": invitation,
                "organisation": company or institution,
                "inviter": by,
                "url": f"{settings.SITE_URL}/account/uitnodiging/{raw}/",
                "valid_days": settings.INVITATION_VALID_DAYS,
            },
        )
    return invitation, raw


def invitation_find(*, token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("company", "institution", "invited_by")
        .filter(token_hash=hash_token(token))
        .first()
    )


def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """Turn an open invitation into a membership for the logged-in user with that e-mail."""
    if user.email.lower() != invitation.email.lower():
        raise ValidationError(INVITATION_WRONG_EMAIL)
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not locked.is_open:
            raise ValidationError(INVITATION_NOT_OPEN)
        membership, _created = Membership.objects.get_or_create(
            user=user,
            role=locked.role,
            company=locked.company,
            institution=locked.institution,
        )
        locked.accepted_at = timezone.now()
        locked.accepted_by = user
        locked.save(update_fields=["accepted_at", "accepted_by"])
        if locked.role == Role.COMPANY_SUPERVISOR and locked.company_id:
            locked.company.supervisors.filter(email__iexact=user.email, user=None).update(user=user)
        audit_log(actor=user, action="invitation.accept", obj=locked)
    perms.forget_memberships(user)
    return membership


def invitation_signup(*, invitation: Invitation, full_name: str, password: str) -> User:
    """Create the invitee's account and accept the invitation, all or nothing (an invitation
    withdrawn in between leaves no account behind)."""
    with transaction.atomic():
        user = user_signup(email=invitation.email, full_name=full_name, password=password)
        invitation_accept(invitation=invitation, user=user)
    return user


def invitation_revoke(*, invitation: Invitation, by: User) -> None:
    if not _invitation_allowed(
        by=by, role=invitation.role, company=invitation.company, institution=invitation.institution
    ):
        raise PermissionDenied
    with transaction.atomic():
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit_log(actor=by, action="invitation.revoke", obj=invitation)


def membership_grant(
    *,
    user: User,
    role: str,
    company: Any = None,
    institution: Any = None,
    programme: Any = None,
    by: User | None = None,
) -> Membership:
    """Give a role directly (registration, reference data, operator). Idempotent."""
    existing = Membership.objects.filter(
        user=user, role=role, company=company, institution=institution
    ).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        membership = Membership(
            user=user, role=role, company=company, institution=institution, programme=programme
        )
        membership.full_clean()
        membership.save()
        audit_log(actor=by or user, action="membership.grant", obj=membership)
    perms.forget_memberships(user)
    return membership


def membership_remove(*, membership: Membership, by: User) -> None:
    """Remove a colleague's role. A company always keeps at least one owner."""
    company = membership.company
    if company is None or membership.role not in COMPANY_ROLES:
        if not perms.is_operator(by):
            raise PermissionDenied
    elif not perms.can_manage_company_team(by, company):
        raise PermissionDenied
    with transaction.atomic():
        if membership.role == Role.COMPANY_OWNER:
            owners = Membership.objects.select_for_update().filter(
                company=company, role=Role.COMPANY_OWNER
            )
            if owners.count() <= 1:
                raise ValidationError(LAST_OWNER)
        audit_log(actor=by, action="membership.remove", obj=membership)
        membership.delete()
    perms.forget_memberships(membership.user)


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a personal API token. The raw key is shown once; only its hash is stored."""
    raw = "sb_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken(user=user, name=name.strip(), prefix=raw[3:11], key_hash=hash_token(raw))
        token.full_clean()
        token.save()
        audit_log(actor=user, action="api_token.create", obj=token)
    return token, raw


def api_token_authenticate(raw: str) -> User | None:
    if not raw or not raw.startswith("sb_"):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(raw), revoked_at=None, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def api_token_revoke(*, token: ApiToken, by: User) -> None:
    if token.user_id != by.pk:
        raise PermissionDenied
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_log(actor=by, action="api_token.revoke", obj=token)


def user_remember_language(*, user: User, language: str | None) -> None:
    """Record the language a person uses the site in: a supported one, and only on a change."""
    code = (language or "").split("-")[0].lower()
    if code in dict(settings.LANGUAGES) and code != user.language:
        User.objects.filter(pk=user.pk).update(language=code)
        user.language = code


def speaking_to(user: User) -> translation.override:
    """Translate what is written to this person (an inbox message, an e-mail) into their
    language, whoever causes it: `with speaking_to(person): notify(user=person, ...)`."""
    return translation.override(user.language or settings.LANGUAGE_CODE)


def user_export(*, user: User) -> dict[str, Any]:
    """Everything Stagebrug keeps about this person, for the privacy export (AVG art. 15/20):
    the account's own sections, each app's sections (`hooks.personal_data`), and the changes
    the person made."""
    data: dict[str, Any] = {
        "user": {
            "email": user.email,
            "full_name": user.full_name,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "language": user.language,
        },
        "memberships": [
            {
                "role": m.role,
                "company": m.company.name if m.company else None,
                "institution": m.institution.name if m.institution else None,
                "programme": m.programme.name if m.programme else None,
                "since": m.created_at.isoformat(),
            }
            for m in user.memberships.select_related("company", "institution", "programme")
        ],
        "api_tokens": [
            {"name": t.name, "created": t.created_at.isoformat(), "revoked": bool(t.revoked_at)}
            for t in user.api_tokens.all()
        ],
    }
    data["two_step_verification"] = {
        "on": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        "recovery_codes_left": StaticToken.objects.filter(device__user=user).count(),
    }
    if user.inactivity_warned_at:
        data["user"]["warned_of_removal_at"] = user.inactivity_warned_at.isoformat()
    for sections in hooks.personal_data.call_each(user=user):
        data.update(sections)
    data["changes_made"] = [
        {
            "at": e.created_at.isoformat(),
            "action": e.action,
            "object": e.object_repr,
        }
        for e in AuditEvent.objects.filter(actor=user).order_by("created_at", "id")[:10000]
    ]
    return data


CANNOT_ERASE_LAST_OWNER = _(
    "You are the only owner of %(company)s. Make a colleague owner first, or ask us to close "
    "the company's registration."
)


def user_erase(*, user: User) -> None:
    """Delete an account and the personal data tied to it (AVG art. 17), all or nothing.

    Each app removes or anonymises what it keeps (`hooks.erasing`); records others rely on
    (an internship that took a place) stay without the person. Audit events keep their action
    but lose the link to the person and what their data said.
    """
    for m in user.memberships.filter(role=Role.COMPANY_OWNER).select_related("company"):
        if m.company.memberships.filter(role=Role.COMPANY_OWNER).count() <= 1:
            raise ValidationError(CANNOT_ERASE_LAST_OWNER, params={"company": m.company.name})
    with transaction.atomic():
        owned: list[tuple[str, Iterable[Any]]] = [
            ("accounts.user", [user.pk]),
            ("accounts.membership", list(user.memberships.values_list("pk", flat=True))),
            ("accounts.apitoken", list(user.api_tokens.values_list("pk", flat=True))),
        ]
        # From the top floor down: each app still finds what links the person to its data
        # before a lower one unlinks it (agreements before internships, say).
        for erase in reversed(hooks.erasing.providers):
            owned.extend(erase(user=user))
        about_the_person = Q(pk__in=[])
        for object_type, ids in owned:
            about_the_person |= Q(object_type=object_type, object_id__in=[str(i) for i in ids])
        AuditEvent.objects.filter(about_the_person).update(object_repr="", changes={})
        AuditEvent.objects.create(
            action="user.erase", object_type="accounts.user", object_id=str(user.pk)
        )
        user.delete()
