"""State changes in the registry. Views, the API and the data commands all call these.

Every function checks permission, validates the whole object (model rules), writes in one
transaction and records an audit event.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction

from stagebrug.accounts import permissions as perms
from stagebrug.accounts.models import Role, User
from stagebrug.accounts.services import membership_grant
from stagebrug.core.audit import audit_log, diff, snapshot
from stagebrug.registry import validators as v
from stagebrug.registry.hooks import (
    company_changed,
    company_rules_changed,
    programme_rules_changed,
)
from stagebrug.registry.models import (
    Company,
    Institution,
    Location,
    Programme,
    Recognition,
    Requirements,
    Supervisor,
    recognition_default_until,
)

M = TypeVar("M", bound=models.Model)

#: What placements' eligibility reads of a company and a programme (W3, W17): a change to
#: one of these checks the approved placements again.
RULE_COMPANY_FIELDS = {"employee_count", "sector"}
RULE_PROGRAMME_FIELDS = {"kind", "qualification", "mbo_level", "croho", "hbo_level", "sector"}

COMPANY_FIELDS = {
    "kvk_number",
    "name",
    "street",
    "house_number",
    "postcode",
    "city",
    "sector",
    "employee_count",
    "website",
    "description",
    "is_public",
}
LOCATION_FIELDS = {"name", "street", "house_number", "postcode", "city", "is_main"}
SUPERVISOR_FIELDS = {
    "name",
    "email",
    "phone",
    "job_title",
    "education_level",
    "education_sector",
    "education_name",
}
RECOGNITION_FIELDS = {"leerbedrijf_id", "qualification", "level", "valid_from", "valid_until"}
INSTITUTION_FIELDS = {"short_name", "website", "city", "description"}
PROGRAMME_FIELDS = {
    "name",
    "kind",
    "qualification",
    "mbo_level",
    "croho",
    "hbo_level",
    "sector",
    "learning_paths",
    "city",
    "summary",
    "contact_name",
    "contact_role",
    "contact_email",
    "contact_phone",
    "is_active",
    "anonymous_first_look",
    "source_note",
}
# In the order the requirements form shows them.
REQUIREMENTS_FIELDS = (
    "min_employees",
    "supervisor_min_level",
    "supervisor_same_sector",
    "min_supervision_hours_per_week",
    "hours_per_week_min",
    "hours_per_week_max",
    "duration_weeks_min",
    "duration_weeks_max",
    "start_months",
    "learning_outcomes",
    "allowance_guidance_eur",
    "allowance_guidance_unit",
    "allowance_note",
    "notes",
)


def _check_fields(fields: dict[str, Any], allowed: Collection[str]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")


def _save_new(obj: M, *, by: User | None, action: str) -> M:
    obj.full_clean()
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        # A concurrent request won the race for a unique value; report it like full_clean would.
        raise _integrity_to_validation(obj, exc) from None
    audit_log(actor=by, action=action, obj=obj)
    return obj


def _save_changes(obj: M, fields: dict[str, Any], *, by: User | None, action: str) -> M:
    before = snapshot(obj, list(fields))
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.full_clean()
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise _integrity_to_validation(obj, exc) from None
    changes = diff(before, snapshot(obj, list(fields)))
    if changes:
        audit_log(actor=by, action=action, obj=obj, changes=changes)
    return obj


def _integrity_to_validation(obj: models.Model, exc: IntegrityError) -> ValidationError:
    if isinstance(obj, Company) and "kvk" in str(exc).lower():
        return ValidationError({"kvk_number": [v.KVK_TAKEN]})
    return ValidationError(str(exc))


# --------------------------------------------------------------------------------------------
# Companies


def company_register(*, by: User, **fields: Any) -> Company:
    """Register a business (C1): the company, its main location, and the owner's membership."""
    _check_fields(fields, COMPANY_FIELDS)
    with transaction.atomic():
        company = _save_new(Company(**fields), by=by, action="company.register")
        location_fields = {k: getattr(company, k) for k in ("street", "house_number", "city")}
        _save_new(
            Location(
                company=company,
                name=company.name,
                postcode=company.postcode,
                is_main=True,
                **location_fields,
            ),
            by=by,
            action="location.create",
        )
        membership_grant(user=by, role=Role.COMPANY_OWNER, company=company, by=by)
    return company


def company_update(*, company: Company, by: User, **fields: Any) -> Company:
    if not perms.can_edit_company(by, company):
        raise PermissionDenied
    _check_fields(fields, COMPANY_FIELDS)
    with transaction.atomic():
        _save_changes(company, fields, by=by, action="company.update")
        _refresh_placements(company)
        if RULE_COMPANY_FIELDS & set(fields):
            company_rules_changed.call_each(company=company)
        return company


def _refresh_placements(company: Company) -> None:
    company_changed.call_each(company=company)


def company_registration_advance(*, company: Company, by: User, step: str) -> Company:
    """Move the resumable registration flow to `step` (never backwards)."""
    if not perms.can_edit_company(by, company):
        raise PermissionDenied
    order = [s.value for s in Company.RegistrationStep]
    if order.index(step) > order.index(company.registration_step):
        company.registration_step = step
        company.save(update_fields=["registration_step", "updated_at"])
    return company


# --------------------------------------------------------------------------------------------
# Locations


def location_create(*, company: Company, by: User, **fields: Any) -> Location:
    if not perms.can_edit_company(by, company):
        raise PermissionDenied
    _check_fields(fields, LOCATION_FIELDS)
    with transaction.atomic():
        location = _save_new(Location(company=company, **fields), by=by, action="location.create")
        if location.is_main:
            company.locations.exclude(pk=location.pk).update(is_main=False)
    return location


def location_update(*, location: Location, by: User, **fields: Any) -> Location:
    if not perms.can_edit_company(by, location.company):
        raise PermissionDenied
    _check_fields(fields, LOCATION_FIELDS)
    with transaction.atomic():
        _save_changes(location, fields, by=by, action="location.update")
        if location.is_main:
            location.company.locations.exclude(pk=location.pk).update(is_main=False)
        _refresh_placements(location.company)
    return location


def location_delete(*, location: Location, by: User) -> None:
    if not perms.can_edit_company(by, location.company):
        raise PermissionDenied
    with transaction.atomic():
        if location.company.locations.count() <= 1:
            raise ValidationError(v.LOCATION_LAST)
        if location.placements.exists():
            raise ValidationError(v.LOCATION_IN_USE)
        audit_log(actor=by, action="location.delete", obj=location)
        location.delete()


# --------------------------------------------------------------------------------------------
# Supervisors


def supervisor_create(*, company: Company, by: User, **fields: Any) -> Supervisor:
    if not perms.can_edit_company(by, company):
        raise PermissionDenied
    _check_fields(fields, SUPERVISOR_FIELDS)
    fields["email"] = (fields.get("email") or "").strip().lower()
    with transaction.atomic():
        supervisor = _save_new(
            Supervisor(company=company, **fields), by=by, action="supervisor.create"
        )
        company_rules_changed.call_each(company=company)
        return supervisor


def supervisor_update(*, supervisor: Supervisor, by: User, **fields: Any) -> Supervisor:
    if not perms.can_edit_company(by, supervisor.company):
        raise PermissionDenied
    _check_fields(fields, SUPERVISOR_FIELDS)
    if "email" in fields:
        fields["email"] = (fields["email"] or "").strip().lower()
    with transaction.atomic():
        _save_changes(supervisor, fields, by=by, action="supervisor.update")
        company_rules_changed.call_each(company=supervisor.company)
        return supervisor


def supervisor_delete(*, supervisor: Supervisor, by: User) -> None:
    if not perms.can_edit_company(by, supervisor.company):
        raise PermissionDenied
    with transaction.atomic():
        audit_log(actor=by, action="supervisor.delete", obj=supervisor)
        company = supervisor.company
        supervisor.delete()
        company_rules_changed.call_each(company=company)


# --------------------------------------------------------------------------------------------
# SBB recognitions (W3)


def recognition_create(*, company: Company, by: User, **fields: Any) -> Recognition:
    """Record an SBB recognition. Level defaults to the qualification's, the end date to four
    years after the start (W3)."""
    if not perms.can_edit_company(by, company):
        raise PermissionDenied
    _check_fields(fields, RECOGNITION_FIELDS)
    qualification = fields.get("qualification")
    if qualification is not None and not fields.get("level"):
        fields["level"] = qualification.level
    if fields.get("valid_from") and not fields.get("valid_until"):
        fields["valid_until"] = recognition_default_until(fields["valid_from"])
    with transaction.atomic():
        recognition = _save_new(
            Recognition(company=company, **fields), by=by, action="recognition.create"
        )
        company_rules_changed.call_each(company=company)
        return recognition


def recognition_update(*, recognition: Recognition, by: User, **fields: Any) -> Recognition:
    if not perms.can_edit_company(by, recognition.company):
        raise PermissionDenied
    _check_fields(fields, RECOGNITION_FIELDS)
    if "valid_until" in fields and fields["valid_until"] != recognition.valid_until:
        fields["expiry_warned_days"] = None  # a new end date earns its own warnings
    with transaction.atomic():
        _save_changes(recognition, fields, by=by, action="recognition.update")
        company_rules_changed.call_each(company=recognition.company)
        return recognition


def recognition_delete(*, recognition: Recognition, by: User) -> None:
    if not perms.can_edit_company(by, recognition.company):
        raise PermissionDenied
    with transaction.atomic():
        audit_log(actor=by, action="recognition.delete", obj=recognition)
        company = recognition.company
        recognition.delete()
        company_rules_changed.call_each(company=company)


# --------------------------------------------------------------------------------------------
# Education


def institution_update(*, institution: Institution, by: User, **fields: Any) -> Institution:
    if not perms.can_edit_institution(by, institution):
        raise PermissionDenied
    _check_fields(fields, INSTITUTION_FIELDS)
    with transaction.atomic():
        return _save_changes(institution, fields, by=by, action="institution.update")


def programme_create(*, institution: Institution, by: User | None, **fields: Any) -> Programme:
    """Add a programme with empty requirements. `by=None` is the reference-data loader."""
    if by is not None and not perms.can_edit_institution(by, institution):
        raise PermissionDenied
    _check_fields(fields, PROGRAMME_FIELDS)
    with transaction.atomic():
        programme = _save_new(
            Programme(institution=institution, **fields), by=by, action="programme.create"
        )
        Requirements.objects.create(programme=programme)
    return programme


def programme_update(*, programme: Programme, by: User | None, **fields: Any) -> Programme:
    if by is not None and not perms.can_edit_institution(by, programme.institution):
        raise PermissionDenied
    _check_fields(fields, PROGRAMME_FIELDS)
    with transaction.atomic():
        _save_changes(programme, fields, by=by, action="programme.update")
        if RULE_PROGRAMME_FIELDS & set(fields):
            programme_rules_changed.call_each(programme=programme)
        return programme


def requirements_update(*, programme: Programme, by: User | None, **fields: Any) -> Requirements:
    """Set a programme's placement requirements (W15, W17, W18)."""
    if by is not None and not perms.can_edit_institution(by, programme.institution):
        raise PermissionDenied
    _check_fields(fields, REQUIREMENTS_FIELDS)
    with transaction.atomic():
        requirements, _created = Requirements.objects.get_or_create(programme=programme)
        _save_changes(requirements, fields, by=by, action="requirements.update")
        programme_rules_changed.call_each(programme=programme)
        return requirements


def personal_data_erase(*, user: User) -> list:
    """An erased person stays on their company's supervisor records (the company's own data,
    which the company keeps or removes), but no longer as an account."""
    Supervisor.objects.filter(user=user).update(user=None)
    return []
