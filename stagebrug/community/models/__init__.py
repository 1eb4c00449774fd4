"""Partnership (C8, C9; W0, W6, W7, W11): events with sign-up and a waiting list, guest lectures
offered and asked for, what a business shows of its partnership, and aftercare with former
interns (keeping in touch, side jobs and jobs offered)."""

from stagebrug.community.models.aftercare import JobOffer, KeepInTouch
from stagebrug.community.models.events import Audience, Event, Registration
from stagebrug.community.models.lectures import LectureOffer, LectureRequest, PartnerSettings

__all__ = [
    "Audience",
    "Event",
    "JobOffer",
    "KeepInTouch",
    "LectureOffer",
    "LectureRequest",
    "PartnerSettings",
    "Registration",
]
