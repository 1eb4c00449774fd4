"""What a business needs to host students of a routed programme, in plain words (W3, W15).

Kept apart from the advice so the page and the API say the same thing.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _


def recognition_needed(crebo: str, level: int) -> str:
    """MBO: the SBB recognition a business needs for this qualification (W3)."""
    return _(
        "Needs an SBB recognition as leerbedrijf for crebo %(crebo)s (or its dossier) at "
        "level %(level)s. Applying at SBB (s-bb.nl) is free."
    ) % {"crebo": crebo, "level": level}


def no_school_yet(kind: str) -> str:
    """Whom to ask when no school offers the programme on Stagebrug yet (W15)."""
    desk = settings.REGION_DESK_EMAIL
    if kind == "mbo":
        return _(
            "No school offers it on Stagebrug yet. Ask the regional desk (%(desk)s) to invite "
            "one; SBB's advisers also know which schools teach it."
        ) % {"desk": desk}
    return _(
        "No university of applied sciences offers it on Stagebrug yet. Ask the regional desk "
        "(%(desk)s) to invite one."
    ) % {"desk": desk}
