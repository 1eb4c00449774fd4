"""What insight registers with the floors below (see `core.hooks`): the way in from the
dashboard, the chance of a place on programme pages, and the job that keeps the figures up
to date."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from stagebrug.accounts import permissions as perms
from stagebrug.accounts.hooks import Card, Link
from stagebrug.accounts.models import Membership, Role, User
from stagebrug.registry.models import Programme


def membership_links(*, membership: Membership) -> list[Link]:
    """A school's coordinators: their own school's figures."""
    if membership.role == Role.SCHOOL_COORDINATOR and membership.institution_id:
        return [
            Link(
                _("Insight: supply and demand, stops, evaluations"),
                reverse("insights:school", args=[membership.institution.slug]),
            )
        ]
    return []


def dashboard_cards(*, user: User, memberships: list[Membership]) -> list[Card]:
    """The operator (the regional working group): the region's figures."""
    if not perms.is_operator(user):
        return []
    return [Card(_("Regional insight"), "insights/partials/dashboard_card.html", {})]


def page_cards(*, obj, user: User) -> list[Card]:
    """On a programme's public page: its chance of a place this school year (two queries on
    the precomputed figures)."""
    if not isinstance(obj, Programme):
        return []
    from stagebrug.insights import charts, rules, selectors

    state = selectors.freshness()
    if state is None or state.refreshed_at is None:
        return []
    year = rules.school_year_of(timezone.localdate())
    sums = selectors.chart_sums(
        chart=charts.CHANCE,
        filters=selectors.Filters(school_year=year, programme=obj.pk),
    ).get(obj.pk, {})
    get = charts.Get(sums)
    return [
        Card(
            _("Chance of a place"),
            "insights/partials/programme_card.html",
            {
                "year": rules.school_year_label(year),
                "chance": rules.chance_of_a_place(get("places"), get("looking")),
                "per_student": rules.ratio_cell(get("places"), get("looking")),
                "url": reverse("insights:chance") + f"?school={obj.institution_id}",
            },
        )
    ]


def register() -> None:
    """Called from `InsightsConfig.ready`."""
    from stagebrug.accounts import hooks as accounts
    from stagebrug.core.hooks import recurring_jobs
    from stagebrug.insights import tasks
    from stagebrug.registry import hooks as registry

    accounts.membership_links.register(membership_links)
    accounts.dashboard_cards.register(dashboard_cards)
    registry.page_cards.register(page_cards)
    recurring_jobs.register(tasks.insights_refresh)
