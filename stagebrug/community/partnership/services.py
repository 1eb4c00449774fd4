"""What a business chooses to show of its partnership record (W7)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from stagebrug.accounts import permissions as perms
from stagebrug.accounts.models import User
from stagebrug.community.models import PartnerSettings
from stagebrug.core.audit import audit_log
from stagebrug.registry.models import Company


def partner_record_show(*, company: Company, by: User, show: bool) -> PartnerSettings:
    """Show (or hide) the partnership record on the business's public page."""
    if not perms.can_edit_company(by, company):
        raise PermissionDenied
    with transaction.atomic():
        row, _created = PartnerSettings.objects.update_or_create(
            company=company, defaults={"show_record": show}
        )
        audit_log(actor=by, action="partnership.shown", obj=row, changes={"show": show})
    return row


def shows_record(company: Company) -> bool:
    return PartnerSettings.objects.filter(company=company, show_record=True).exists()
