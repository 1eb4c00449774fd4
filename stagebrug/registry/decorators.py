"""View decorators that load an object and check the user may act on it.

Outsiders get 404 (we do not confirm that a private object exists); people who may see an
object but not change it get 403.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from stagebrug.accounts import permissions as perms
from stagebrug.registry.models import Company, Institution


def company_view(*, edit: bool = False, team: bool = False) -> Callable:
    """Load `company_id` from the URL as `company`; members only (edit/team: stricter)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, company_id: int, *args, **kwargs) -> HttpResponse:
            company = (
                Company.objects.select_related("pc4__municipality", "sector")
                .filter(pk=company_id)
                .first()
            )
            if company is None:
                raise Http404
            if not perms.can_view_company_private(request.user, company):
                if company.is_public:
                    raise PermissionDenied
                raise Http404
            if edit and not perms.can_edit_company(request.user, company):
                raise PermissionDenied
            if team and not perms.can_manage_company_team(request.user, company):
                raise PermissionDenied
            return view(request, company, *args, **kwargs)

        return wrapper

    return decorator


def institution_manage_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Load `slug` as `institution`; only its coordinators and operators get through."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, *args, **kwargs) -> HttpResponse:
        institution = Institution.objects.filter(slug=slug).first()
        if institution is None:
            raise Http404
        if not perms.can_edit_institution(request.user, institution):
            raise PermissionDenied
        return view(request, institution, *args, **kwargs)

    return wrapper
