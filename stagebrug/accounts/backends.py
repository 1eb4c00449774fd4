from django.contrib.auth.backends import ModelBackend


def login_name(request, credentials: dict | None) -> str:
    """The address someone tries to log in with, as the lockout counts it: "Anna@X.nl " and
    "anna@x.nl" are one person."""
    raw = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(raw).strip().lower()


class EmailBackend(ModelBackend):
    """Log in with an e-mail address, case-insensitively."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        email = (username or kwargs.get("email") or "").strip().lower()
        return super().authenticate(request, username=email, password=password)
