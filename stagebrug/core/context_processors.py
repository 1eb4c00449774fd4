from django.conf import settings
from django.http import HttpRequest

from stagebrug.core.hooks import page_context


def site(request: HttpRequest) -> dict:
    """Site settings, and what the apps above add for the logged-in person (`page_context`)."""
    context = {"SITE_URL": settings.SITE_URL, "DEBUG": settings.DEBUG}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        for values in page_context.call_each(request):
            context.update(values)
    return context
