"""What internships set off in, or ask of, the floors above them (see `core.hooks`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from stagebrug.core.hooks import Hook

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from stagebrug.accounts.hooks import Card, Link
    from stagebrug.accounts.models import User
    from stagebrug.internships.models import Internship


class InternshipsConfirmed(Protocol):
    def __call__(self, *, internships: Sequence[Internship]) -> object: ...


#: New internships exist (in the confirming transaction): the agreement is drafted.
internships_confirmed: Hook[InternshipsConfirmed] = Hook("internships.internships_confirmed")


class StartBlockers(Protocol):
    def __call__(self, *, internship: Internship) -> list[str | Promise]: ...


#: Why an internship cannot start yet (empty: it can): the agreement is not signed by
#: everyone, for example.
start_blockers: Hook[StartBlockers] = Hook("internships.start_blockers")


class InternshipClosed(Protocol):
    def __call__(self, *, internship: Internship) -> object: ...


#: An internship was completed or stopped (in the same transaction).
internship_closed: Hook[InternshipClosed] = Hook("internships.internship_closed")


class PageLinks(Protocol):
    def __call__(self, *, internship: Internship, user: User) -> list[Link]: ...


#: Links on the internship's page to what the floors above keep about it (its agreement).
page_links: Hook[PageLinks] = Hook("internships.page_links")


class PageCards(Protocol):
    def __call__(self, *, internship: Internship, user: User) -> list[Card]: ...


#: Cards on the internship's page from the floors above (when to call, from supervision).
page_cards: Hook[PageCards] = Hook("internships.page_cards")


class DatesChanged(Protocol):
    def __call__(self, *, internship: Internship) -> object: ...


#: The school changed an open internship's start or end date (in the same transaction): what
#: was planned from the dates follows (contact moments, the next check-in, evaluations).
dates_changed: Hook[DatesChanged] = Hook("internships.dates_changed")
