"""What community registers with the floors below (see `core.hooks`): links and cards on the
dashboard, the internship's page and the public pages of schools, programmes and businesses;
the aftercare question when an internship is completed; privacy; the reminder job."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from stagebrug.accounts.hooks import Card, Link
from stagebrug.accounts.models import Membership, Role, User
from stagebrug.internships import permissions as can
from stagebrug.internships.models import Internship, Status
from stagebrug.registry.models import Company, Institution, Programme

UPCOMING_ON_PAGES = 3


def internship_links(*, internship: Internship, user: User) -> list[Link]:
    roles = can.roles(user, internship)
    links = []
    if can.STUDENT in roles and internship.status == Status.COMPLETED:
        links.append(
            Link(
                _("Keep in touch with the business?"),
                reverse("community:keep_in_touch", args=[internship.pk]),
                True,
            )
        )
    if can.BUSINESS in roles and internship.status == Status.ACTIVE:
        links.append(
            Link(_("Offer a side job"), reverse("community:side_job", args=[internship.pk]))
        )
    return links


def membership_links(*, membership: Membership) -> list[Link]:
    if membership.role in (Role.COMPANY_OWNER, Role.COMPANY_MEMBER) and membership.company_id:
        pk = membership.company_id
        return [
            Link(_("Our partnership with schools"), reverse("community:company_record", args=[pk])),
            Link(_("Former interns"), reverse("community:former_interns", args=[pk])),
            Link(_("Guest lectures"), reverse("community:lectures")),
            Link(_("Events"), reverse("community:events") + "?audience=businesses"),
        ]
    if membership.role == Role.SCHOOL_COORDINATOR and membership.institution_id:
        slug = membership.institution.slug
        return [
            Link(_("Partner businesses"), reverse("community:school_partners", args=[slug])),
            Link(_("Events"), reverse("community:events") + f"?school={slug}"),
            Link(_("Guest lectures"), reverse("community:lectures")),
        ]
    if membership.role == Role.OPERATOR:
        return [Link(_("Events"), reverse("community:events"))]
    if membership.role == Role.STUDENT:
        return [Link(_("Events"), reverse("community:events") + "?audience=students")]
    return []


def dashboard_cards(*, user: User, memberships: list[Membership]) -> list[Card]:
    """The events someone signed up for, the next first."""
    from stagebrug.community.selectors import my_events

    rows = list(my_events(user=user)[:5])
    if not rows:
        return []
    return [Card(_("Your events"), "community/partials/my_events.html", {"rows": rows})]


def page_cards(*, obj, user: User) -> list[Card]:
    """Upcoming events on a school's and a programme's page; the partnership record on a
    business's page when it chose to show it."""
    from stagebrug.community import selectors
    from stagebrug.community.partnership import selectors as partnership
    from stagebrug.community.partnership import services as partner_services

    if isinstance(obj, Institution | Programme):
        if isinstance(obj, Institution):
            qs, query = selectors.events(institution=obj), f"?school={obj.slug}"
        else:
            qs, query = selectors.events(programme=obj), f"?programme={obj.pk}"
        return [
            Card(
                _("Events"),
                "community/partials/upcoming.html",
                {
                    "events": list(qs[:UPCOMING_ON_PAGES]),
                    "more": reverse("community:events") + query,
                },
            )
        ]
    if isinstance(obj, Company) and partner_services.shows_record(obj):
        records = partnership.company_record(company=obj, today=timezone.localdate())
        return [
            Card(
                _("Partner of schools"),
                "community/partials/public_record.html",
                {"records": records},
            )
        ]
    return []


def personal_data(*, user: User) -> dict:
    from stagebrug.community.models import JobOffer, KeepInTouch, Registration

    return {
        "event_registrations": [
            {
                "event": r.event.title,
                "starts_at": r.event.starts_at.isoformat(),
                "status": r.status,
                "attended": bool(r.attended_at),
            }
            for r in Registration.objects.filter(user=user).select_related("event")
        ],
        "keep_in_touch": [
            {
                "internship": k.internship_id,
                "share_email": k.share_email,
                "side_job": k.side_job,
                "first_job": k.first_job,
                "graduation": k.graduation.isoformat() if k.graduation else None,
                "agreed_at": k.agreed_at.isoformat(),
                "withdrawn_at": k.withdrawn_at.isoformat() if k.withdrawn_at else None,
            }
            for k in KeepInTouch.objects.filter(internship__student=user)
        ],
        "job_offers": [
            {
                "internship": o.internship_id,
                "kind": o.kind,
                "message": o.message,
                "answer": o.answer,
            }
            for o in JobOffer.objects.filter(internship__student=user)
        ],
    }


def register() -> None:
    """Called from `CommunityConfig.ready`."""
    from stagebrug.accounts import hooks as accounts
    from stagebrug.community import events, tasks
    from stagebrug.community.aftercare import services as aftercare
    from stagebrug.core.hooks import recurring_jobs
    from stagebrug.internships import hooks as internships
    from stagebrug.registry import hooks as registry

    internships.internship_closed.register(aftercare.ask_to_keep_in_touch)
    internships.page_links.register(internship_links)
    accounts.membership_links.register(membership_links)
    accounts.dashboard_cards.register(dashboard_cards)
    accounts.personal_data.register(personal_data)
    accounts.erasing.register(events.personal_data_erase)
    accounts.erasing.register(aftercare.personal_data_erase)
    registry.page_cards.register(page_cards)
    recurring_jobs.register(tasks.event_reminders)
