"""The JSON API at /api/v1/ (django-ninja, OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs):
the assembly of every app's router, on the top floor.

Authentication: the browser session (with CSRF) or a personal API token sent as
`Authorization: Bearer sb_...` (`accounts.api_auth`). Every error has one shape:
`{"detail": "<reason>", "errors": {"<field>": ["<message>", ...]}}` (`core.api`).
Messages follow the Accept-Language header (Dutch by default, English with `en`).
"""

from ninja import NinjaAPI

from stagebrug.accounts.api import router as accounts_router
from stagebrug.agreements.api import router as agreements_router
from stagebrug.applications.api import router as applications_router
from stagebrug.applications.recommendations.api import router as recommend_router
from stagebrug.community.api import router as community_router
from stagebrug.core.api import install_error_handlers
from stagebrug.insights.api import router as insights_router
from stagebrug.internships.api import router as internships_router
from stagebrug.matching.api import router as matching_router
from stagebrug.placements.api import router as placements_router
from stagebrug.registry.api import router as registry_router
from stagebrug.supervision.api import router as supervision_router
from stagebrug.supervision.contacts.api import router as contacts_router
from stagebrug.supervision.progress.api import router as progress_router
from stagebrug.supervision.reports.api import router as reports_router

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
install_error_handlers(api)

for router in (
    accounts_router,
    registry_router,
    placements_router,
    applications_router,
    recommend_router,
    matching_router,
    internships_router,
    agreements_router,
    supervision_router,
    contacts_router,
    progress_router,
    reports_router,
    community_router,
    insights_router,
):
    api.add_router("/", router)
