"""What the registry sets off in the floors above it (see `core.hooks`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from stagebrug.core.hooks import Hook

if TYPE_CHECKING:
    from stagebrug.registry.models import Company


class CompanyChanged(Protocol):
    def __call__(self, *, company: Company) -> object: ...


#: A company's own data or one of its locations changed (in the same transaction): placements
#: refresh what they copy from it (name in the search text, coordinates and municipality).
company_changed: Hook[CompanyChanged] = Hook("registry.company_changed")
