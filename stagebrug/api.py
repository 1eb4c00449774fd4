"""The JSON API at /api/v1/ (django-ninja, OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs).

Authentication: the browser session (with CSRF) or a personal API token sent as
`Authorization: Bearer sb_...`. Every error has one shape:
`{"detail": "<reason>", "errors": {"<field>": ["<message>", ...]}}`.
Messages follow the Accept-Language header (Dutch by default, English with `en`).
"""

import logging

from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError
from ninja.security import HttpBearer, django_auth

from stagebrug.accounts.services import api_token_authenticate

logger = logging.getLogger(__name__)


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


AUTH = [TokenAuth(), django_auth]

api = NinjaAPI(
    title="Stagebrug API",
    version="1",
    description=(
        "Businesses and MBO/HBO schools find each other for internships. Read the public "
        "registry without logging in; manage your own company with a session or a personal "
        "API token (Authorization: Bearer sb_...)."
    ),
    urls_namespace="api",
    docs_url="/docs",
)


def error(
    request: HttpRequest, status: int, detail: str, errors: dict | None = None
) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "errors": errors or {}}, status=status)


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
        loc = [str(p) for p in item.get("loc", []) if p not in ("body", "payload", "query", "path")]
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


from stagebrug.applications.api import router as applications_router  # noqa: E402
from stagebrug.placements.api import router as placements_router  # noqa: E402
from stagebrug.registry.api import router as registry_router  # noqa: E402

api.add_router("/", registry_router)
api.add_router("/", placements_router)
api.add_router("/", applications_router)

from stagebrug.applications.api_recommend import router as recommend_router  # noqa: E402

api.add_router("/", recommend_router)

from stagebrug.matching.api import router as matching_router  # noqa: E402

api.add_router("/", matching_router)
