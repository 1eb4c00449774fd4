"""What the registry sets off in the floors above it (see `core.hooks`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from stagebrug.core.hooks import Hook

if TYPE_CHECKING:
    from stagebrug.accounts.hooks import Card
    from stagebrug.accounts.models import User
    from stagebrug.registry.models import Company, Institution, Programme


class CompanyChanged(Protocol):
    def __call__(self, *, company: Company) -> object: ...


#: A company's own data or one of its locations changed (in the same transaction): placements
#: refresh what they copy from it (name in the search text, coordinates and municipality).
company_changed: Hook[CompanyChanged] = Hook("registry.company_changed")


class ProgrammeChanged(Protocol):
    def __call__(self, *, programme: Programme) -> object: ...


#: What a placement's eligibility rests on changed, in the same transaction (W3, W17): the
#: company (its size), its supervisors or its SBB recognitions; or a programme's data or its
#: requirements. Placements check their approved programmes again.
company_rules_changed: Hook[CompanyChanged] = Hook("registry.company_rules_changed")
programme_rules_changed: Hook[ProgrammeChanged] = Hook("registry.programme_rules_changed")


class PageCards(Protocol):
    def __call__(self, *, obj: Company | Institution | Programme, user: User) -> list[Card]: ...


#: Cards on a school's, a programme's or a company's page from the floors above (upcoming
#: events, a business's partnership record). `obj` says which page.
page_cards: Hook[PageCards] = Hook("registry.page_cards")


def cards_for(*, obj, user) -> list[Card]:
    """Every provider's cards for the page of `obj`, in the floors' order."""
    return [card for found in page_cards.call_each(obj=obj, user=user) for card in found]
