"""Partnership in the demo (C8, C9): events of ROC van Amsterdam and of the region (one past,
where the bakery gave a guest lecture and its owner was at the door), a guest lecture the bakery
offers and one the school asks for, the bakery's partnership record shown on its public page,
and Lotte, whose internship at the bakery was just completed (her final evaluation passed) and
who keeps in touch."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from stagebrug.accounts.models import User
from stagebrug.community import events
from stagebrug.community.aftercare import services as aftercare
from stagebrug.community.lectures import services as lectures
from stagebrug.community.models import Event
from stagebrug.community.partnership import services as partnership
from stagebrug.demo.supervision import _at, started_internship
from stagebrug.internships.models import Internship
from stagebrug.placements.models import Status
from stagebrug.registry.models import Company, Institution
from stagebrug.supervision.evaluations import services as evaluations

ROC_PLACE = {
    "venue": "ROC van Amsterdam, Amstelcampus",
    "street": "Wibautstraat 2-4",
    "postcode": "1091 GM",
    "city": "Amsterdam",
}


def community_demo(
    *,
    company: Company,
    owner: User,
    coordinator: User,
    operator: User,
    teacher: User,
    student: User,
    former: User,
    programme,
    today: dt.date | None = None,
) -> None:
    """Once: nothing happens when the school has events already."""
    today = today or timezone.localdate()
    rocva = coordinator.memberships.filter(institution__isnull=False).first().institution
    if Event.objects.filter(institution=rocva).exists():
        return
    with transaction.atomic():
        _events(
            rocva,
            company=company,
            owner=owner,
            coordinator=coordinator,
            operator=operator,
            student=student,
            programme=programme,
            today=today,
        )
        lectures.lecture_offer_create(
            company=company,
            by=owner,
            subject="Zuurdesem: van starter tot brood",
            description="Hoe een ambachtelijke bakkerij werkt: deeg, tijd, temperatuur en klanten.",
        )
        lectures.lecture_request_create(
            institution=rocva,
            by=coordinator,
            programme=programme,
            subject="Hygiëne en HACCP in een echte keuken",
            description="Wat controleert de NVWA, en hoe zorg je dat je keuken elke dag klopt?",
            period_start=today + dt.timedelta(days=14),
            period_end=today + dt.timedelta(days=75),
            sector=company.sector,
        )
        partnership.partner_record_show(company=company, by=owner, show=True)
        if programme is not None:
            _former_intern(
                former,
                programme=programme,
                company=company,
                owner=owner,
                coordinator=coordinator,
                teacher=teacher,
                today=today,
            )


def _when(day: dt.date, hhmm: str) -> dt.datetime:
    return _at(day, hhmm)


def _events(
    rocva: Institution, *, company, owner, coordinator, operator, student, programme, today
):
    network = events.event_publish(
        by=coordinator,
        institution=rocva,
        kind=Event.Kind.NETWORK,
        title="Netwerkavond gastvrijheid en horeca",
        description=(
            "Docenten van Horeca & Bakkerij ontmoeten leerbedrijven: wat vraagt de opleiding, "
            "wat heeft u nodig, en hoe houden we samen stagiairs aan boord? Met borrel."
        ),
        starts_at=_when(today + dt.timedelta(days=21), "17:00"),
        ends_at=_when(today + dt.timedelta(days=21), "19:30"),
        audience="businesses",
        sector=company.sector,
        capacity=40,
        **ROC_PLACE,
    )
    events.event_sign_up(event=network, by=owner, company=company)
    events.event_publish(
        by=coordinator,
        institution=rocva,
        kind=Event.Kind.OPEN_DAY,
        title="Open dag Amstelcampus",
        description="Kijk in de leskeukens en praat met studenten en docenten.",
        starts_at=_when(today + dt.timedelta(days=35), "10:00"),
        ends_at=_when(today + dt.timedelta(days=35), "15:00"),
        audience="both",
        programme=programme,
        **ROC_PLACE,
    )
    match = events.event_publish(
        by=operator,
        institution=None,
        kind=Event.Kind.MEET_AND_MATCH,
        title="Meet & match MRA: horeca",
        description="Studenten en bedrijven uit de regio ontmoeten elkaar in korte gesprekken.",
        starts_at=_when(today + dt.timedelta(days=14), "14:00"),
        ends_at=_when(today + dt.timedelta(days=14), "16:00"),
        online=True,
        online_url="https://meet.stagebrug.example/mra-horeca",
        audience="both",
        capacity=2,
    )
    events.event_sign_up(event=match, by=owner, company=company)
    events.event_sign_up(event=match, by=student)
    # Last month: the bakery's guest lecture at the school (the record counts it).
    past = today - dt.timedelta(days=30)
    lecture = events.create_event(
        by=coordinator,
        institution=rocva,
        kind=Event.Kind.GUEST_LECTURE,
        title="Gastles: brood bakken voor een lunchroom",
        description="Karim Bakker over de dag van een bakker.",
        starts_at=_when(past, "13:00"),
        ends_at=_when(past, "14:30"),
        audience="students",
        programme=programme,
        company=company,
        now=_when(past - dt.timedelta(days=10), "09:00"),
        **ROC_PLACE,
    )
    breakfast = events.create_event(
        by=coordinator,
        institution=rocva,
        kind=Event.Kind.NETWORK,
        title="Netwerkontbijt leerbedrijven",
        description="Ontbijt met de praktijkopleiders van de school: wat ging goed dit jaar?",
        starts_at=_when(past + dt.timedelta(days=2), "08:00"),
        ends_at=_when(past + dt.timedelta(days=2), "09:30"),
        audience="businesses",
        now=_when(past - dt.timedelta(days=10), "09:00"),
        **ROC_PLACE,
    )
    registration = events.event_sign_up(
        event=breakfast, by=owner, company=company, now=_when(past - dt.timedelta(days=5), "09:00")
    )
    events.attendance_mark(
        registration=registration,
        by=coordinator,
        present=True,
        now=_when(past + dt.timedelta(days=2), "08:05"),
    )
    assert lecture.company_id == company.pk


def _former_intern(student: User, *, programme, company, owner, coordinator, teacher, today):
    """Lotte's internship at the bakery: completed, and she keeps in touch (open to a side job
    and a first job)."""
    if Internship.objects.filter(student=student).exists():
        return
    placement = company.placements.filter(status=Status.PUBLISHED).first()
    if placement is None or placement.free_positions < 1:
        return
    # Twenty weeks that end next week; the school completes it now (her final evaluation is
    # done), so the agreement could still be signed before its end.
    end = today + dt.timedelta(days=10)
    start = end - dt.timedelta(weeks=20) + dt.timedelta(days=3)
    internship = started_internship(
        student=student,
        programme=programme,
        placement=placement,
        owner=owner,
        coordinator=coordinator,
        teacher=teacher,
        start=start - dt.timedelta(days=start.weekday()),
        end=end,
        home="1093",
        wants="Brood en banket, en later een eigen lunchroom.",
        motivation="Ik wil het bakkersvak echt leren.",
    )
    # Her evaluations, filled in by the three; the final decision completes the internship.
    for evaluation in internship.evaluations.order_by("due_on"):
        evaluation.internship = internship
        scores = {c["key"]: "good" for c in evaluation.criteria}
        evaluations.evaluation_assess(
            evaluation=evaluation, by=owner, scores=scores, comment="Zelfstandig en precies."
        )
        evaluations.evaluation_self_assess(
            evaluation=evaluation, by=student, scores=scores, comment="Ik heb veel geleerd."
        )
        evaluations.evaluation_decide(
            evaluation=evaluation,
            by=teacher,
            decision="on_track" if evaluation.kind == "midterm" else "passed",
            comment="Goed gedaan.",
        )
    internship.refresh_from_db()
    aftercare.keep_in_touch_save(
        internship=internship,
        by=student,
        share_email=True,
        side_job=True,
        first_job=True,
        graduation=dt.date(today.year + 1, 7, 1),
    )
