"""What accounts ask of the floors above them (see `core.hooks`): a person's data lives in
many apps, and so do the places a person's dashboard leads to."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from stagebrug.core.hooks import Hook

if TYPE_CHECKING:
    from stagebrug.accounts.models import Membership, User


class PersonalData(Protocol):
    def __call__(self, *, user: User) -> dict[str, Any]: ...


#: The privacy export (AVG art. 15/20): each app returns its sections about this person, as
#: JSON-ready data; the export is their union with the account's own sections.
personal_data: Hook[PersonalData] = Hook("accounts.personal_data")


class Erasing(Protocol):
    def __call__(self, *, user: User) -> Iterable[tuple[str, Iterable[Any]]]: ...


#: A person's account is being erased (AVG art. 17), inside the erasure's transaction and
#: before the account row goes; providers run from the top floor down. Each app removes or anonymises what it keeps about the person
#: and returns (audit object type, ids) of the objects whose audit trail must lose the
#: person's data: the log keeps that something happened, not what the person's data said.
erasing: Hook[Erasing] = Hook("accounts.erasing")


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    primary: bool = False  # shown as a button: the one thing to do next


@dataclass(frozen=True)
class Card:
    """A card of its own on the dashboard (for example "Your interns")."""

    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)


class MembershipLinks(Protocol):
    def __call__(self, *, membership: Membership) -> list[Link]: ...


class DashboardCards(Protocol):
    def __call__(self, *, user: User, memberships: list[Membership]) -> list[Card]: ...


#: The links on the card of one of the person's roles (a company, a school, a study), from
#: each app that has something there for that role, in the floors' order.
membership_links: Hook[MembershipLinks] = Hook("accounts.membership_links")
#: Cards of their own, after the role cards.
dashboard_cards: Hook[DashboardCards] = Hook("accounts.dashboard_cards")
