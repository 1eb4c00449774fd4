from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    """Site settings, and the number of unread notifications for the header (one query)."""
    context = {"SITE_URL": settings.SITE_URL, "DEBUG": settings.DEBUG}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        from stagebrug.applications.models import Notification

        context["unread_notifications"] = Notification.objects.filter(
            user=user, read_at=None
        ).count()
    return context
