"""Reads of internships."""

from __future__ import annotations

from stagebrug.accounts.models import User
from stagebrug.internships.models import Internship


def personal_data(*, user: User) -> dict:
    """The internships' part of a person's data export."""
    return {
        "internships": [
            {
                "placement": i.placement.title,
                "company": i.placement.company.name,
                "source": i.source,
                "start": i.start_date.isoformat() if i.start_date else None,
            }
            for i in Internship.objects.filter(student=user).select_related("placement__company")
        ]
    }
