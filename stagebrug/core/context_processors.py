from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def site(request: HttpRequest) -> dict:
    """Site settings, and the number of unread notifications for the header (one query, only when shown)."""
    context = {"SITE_URL": settings.SITE_URL, "DEBUG": settings.DEBUG}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        from stagebrug.applications.models import Notification

        # Counted only when a template shows it (not for htmx fragments such as progress polls).
        context["unread_notifications"] = SimpleLazyObject(
            lambda: Notification.objects.filter(user=user, read_at=None).count()
        )
    return context
