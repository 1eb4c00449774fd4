"""How the JSON API answers errors, and pages its lists: one shape for every one of them,
`{"detail": "<reason>", "errors": {"<field>": ["<message>", ...]}}`, in the language of the
request (Accept-Language; Dutch by default), and never a 500 for bad input.

`install_error_handlers(api)` is called once by the API assembly (`stagebrug/api.py`).
"""

from __future__ import annotations

from math import inf

from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.conf import settings as ninja_settings
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError
from ninja.pagination import LimitOffsetPagination

#: Deeper than any list goes (a national list of a million rows included).
MAX_OFFSET = 10_000_000


def install_error_handlers(api: NinjaAPI) -> None:
    def error(
        request: HttpRequest, status: int, detail: str, errors: dict | None = None
    ) -> HttpResponse:
        return api.create_response(
            request, {"detail": detail, "errors": errors or {}}, status=status
        )

    @api.exception_handler(ValidationError)
    def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        if hasattr(exc, "error_dict"):
            errors = {
                field: [str(m) for m in ValidationError(msgs).messages]
                for field, msgs in exc.error_dict.items()
            }
            first = next(iter(errors.values()))[0] if errors else _("Invalid input.")
            return error(request, 400, first, errors)
        return error(request, 400, " ".join(exc.messages))

    @api.exception_handler(SchemaValidationError)
    def on_schema_error(request: HttpRequest, exc: SchemaValidationError) -> HttpResponse:
        errors: dict[str, list[str]] = {}
        for item in exc.errors:
            loc = [
                str(p) for p in item.get("loc", []) if p not in ("body", "payload", "query", "path")
            ]
            errors.setdefault(".".join(loc) or "__all__", []).append(item.get("msg", ""))
        return error(request, 422, _("The request does not have the expected form."), errors)

    @api.exception_handler(PermissionDenied)
    def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return error(request, 403, str(exc) or _("You may not do this."))

    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error(request, 404, _("Not found."))

    @api.exception_handler(AuthenticationError)
    def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error(request, 401, _("Log in or send a valid API token."))

    @api.exception_handler(RequestDataTooBig)
    def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return error(request, 413, _("The request is too large."))

    @api.exception_handler(OverflowError)
    def on_overflow(request: HttpRequest, exc: OverflowError) -> HttpResponse:
        # A number too large for the database (an id like 10**20): bad input, not a server error.
        return error(request, 400, _("A number in the request is too large."))

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return error(request, exc.status_code, str(exc))


class Pagination(LimitOffsetPagination):
    """`limit` and `offset`, both bounded: an offset beyond what any list holds is refused by
    the schema (422 naming `offset`), not passed to the database (where 10**20 is a 500)."""

    class Input(Schema):
        limit: int = Field(
            ninja_settings.PAGINATION_PER_PAGE,
            ge=1,
            le=None
            if inf == ninja_settings.PAGINATION_MAX_LIMIT
            else ninja_settings.PAGINATION_MAX_LIMIT,
        )
        offset: int = Field(0, ge=0, le=MAX_OFFSET)
