from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    """Partnership between schools and businesses (C8, C9; W0, W6, W7, W11): events, guest
    lectures both ways, the partnership record, and aftercare with former interns. On the floor
    above supervision: it reads internships, evaluations and placements."""

    name = "stagebrug.community"
    label = "community"
    verbose_name = _("Community")

    def ready(self) -> None:
        from stagebrug.community import wiring

        wiring.register()
