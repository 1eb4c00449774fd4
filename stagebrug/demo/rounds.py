"""A realistic demo matching round for the coordinator persona (coordinator@rocva.example).

It prepares everything up to the moment a coordinator presses "Run": a cohort of demo students
of one ROC van Amsterdam programme (Kok by default) with a profile and a home area (PC4) in the
Amsterdam region; enough published placements approved for the programme (topped up at demo
businesses that fit the work); a round with those students and seats; every student's ranking
(3 to `max_choices` placements, a few rank nothing) with skewed popularity — a few businesses
are much more wanted than others, and students prefer placements near home; and every
business's choice of how to rank (the fit score, everyone welcome, or its own ranking).

Rankings go through the same services a student and a business use (principle 1). Bulk rows
(students, placements) are written with `bulk_create`, as the other demo generators do.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import Counter
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from stagebrug.accounts.models import Membership, Role, User
from stagebrug.applications.models import StudentProfile
from stagebrug.core.geo import haversine_km
from stagebrug.matching import services
from stagebrug.matching.adapter import home_point
from stagebrug.matching.models import Round, RoundSeat, RoundStudent, SeatRanking
from stagebrug.matching.selectors import candidates, free_positions, offerable_placements
from stagebrug.registry.models import Company, Institution, Postcode, Programme

COORDINATOR_EMAIL = "coordinator@rocva.example"
OPERATOR_EMAIL = "operator@stagebrug.example"
ROCVA_BRIN = "25PZ"
DEFAULT_CREBO = "25180"  # Kok, the programme of the demo student persona
SEATS_PER_STUDENT = 1.15  # enough seats: a tight but not impossible round
SKEW = 0.7  # Zipf exponent of placement popularity: a few placements are wanted far more
DEMO_ROUND_NAME = "%(programme)s – cohort %(cohort)s, ronde 1 (demo)"

FIRST_NAMES = [
    "Daan", "Sem", "Noah", "Liam", "Mohamed", "Yusuf", "Finn", "Milan", "Jayden", "Ryan",
    "Emma", "Julia", "Mila", "Sara", "Noor", "Fenna", "Zoë", "Aya", "Imane", "Lina",
    "Kofi", "Priya", "Mehmet", "Eline", "Bilal", "Sanne", "Thijs", "Roos", "Youssef", "Nadia",
]  # fmt: skip
SURNAMES = [
    "de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder",
    "El Amrani", "Yılmaz", "Pinas", "Kartosen", "Bouzid", "van Dijk", "Vermeulen", "Koç",
    "Mahabier", "de Graaf", "Brouwer", "Hendriks", "Öztürk", "Tahiri", "Sedney", "Kok",
]  # fmt: skip


@dataclass
class DemoRound:
    round: Round
    students_created: int
    placements_created: int
    companies_created: int


def demo_programme(code: str | int | None = None) -> Programme:
    """A ROC van Amsterdam programme by crebo, or any programme by id; Kok by default."""
    qs = Programme.objects.select_related("institution")
    if code is None or str(code) == DEFAULT_CREBO:
        return qs.get(institution__brin=ROCVA_BRIN, qualification__crebo=DEFAULT_CREBO)
    text = str(code).strip()
    if len(text) == 5 and text.isdigit():
        found = qs.filter(institution__brin=ROCVA_BRIN, qualification__crebo=text).first()
        if found is not None:
            return found
    if text.isdigit():
        found = qs.filter(pk=int(text)).first()
        if found is not None:
            return found
    raise Programme.DoesNotExist(f"No programme with crebo or id {text!r}.")


def _mra_postcodes() -> list[Postcode]:
    return list(
        Postcode.objects.filter(municipality__is_mra=True, latitude__isnull=False).order_by("code")
    )


def ensure_students(*, programme: Programme, count: int, seed: int = 1) -> int:
    """`count` demo students of the programme with a profile and a home PC4 in the MRA; those
    made by an earlier run are reused. Returns how many were created."""
    rng = random.Random(seed)
    postcodes = _mra_postcodes()
    if not postcodes:
        raise RuntimeError("Load the reference data first (manage.py load_reference_data).")
    emails = [f"ronde.{programme.pk}.{i:04d}@student.stagebrug.example" for i in range(count)]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    missing = [e for e in emails if e not in existing]
    if not missing:
        return 0
    unusable = make_password(None)
    # Students come from the whole region, more or less where the businesses are: weight each
    # area by the approved placements there, plus Amsterdam, where the school is.
    near = Counter(
        offerable_placements(programme=programme).values_list("location__pc4_id", flat=True)
    )
    weights = [1 + 3 * near.get(pc.code, 0) + (2 if pc.code < "1110" else 0) for pc in postcodes]
    with transaction.atomic():
        users = User.objects.bulk_create(
            [
                User(
                    email=email,
                    full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}",
                    password=unusable,
                )
                for email in missing
            ],
            batch_size=1000,
        )
        if users and users[0].pk is None:  # backends without RETURNING ids
            by_email = dict(User.objects.filter(email__in=missing).values_list("email", "pk"))
            for user in users:
                user.pk = by_email[user.email]
        Membership.objects.bulk_create(
            [
                Membership(
                    user=user,
                    role=Role.STUDENT,
                    institution=programme.institution,
                    programme=programme,
                )
                for user in users
            ],
            batch_size=1000,
        )
        today = timezone.localdate()
        StudentProfile.objects.bulk_create(
            [
                StudentProfile(
                    user=user,
                    programme=programme,
                    year=2,
                    home_pc4=rng.choices(postcodes, weights)[0],
                    available_from=dt.date(today.year + 1, 2, 1),
                    hours_per_week=rng.choice([24, 32, 32, 36]),
                    max_travel_km=rng.choice([10, 15, 15, 20, 25, 30]),
                    languages=["nl"],
                )
                for user in users
            ],
            batch_size=1000,
        )
    return len(users)


def ensure_seats(*, programme: Programme, students: int, seed: int = 1) -> tuple[int, int]:
    """Top up the published placements approved for the programme until there are
    SEATS_PER_STUDENT free positions per student. Returns (placements, companies) created."""
    from stagebrug.demo import placements as placement_demo
    from stagebrug.demo.companies import generate_companies
    from stagebrug.placements.models import PlacementProgramme, ProgrammeDecision

    free = free_positions(offerable_placements(programme=programme))
    needed = math.ceil(SEATS_PER_STUDENT * students) - sum(free.values())
    if needed <= 0:
        return 0, 0
    companies_created = 0
    demo_companies = Company.objects.filter(kvk_number__startswith="9")
    if demo_companies.count() < 40:
        companies_created = generate_companies(count=80, seed=seed).companies
    pool = placement_demo._programme_pool()
    roles = [name for name, fits in pool.items() if any(p.id == programme.pk for p in fits)]
    role_names = roles or ["verkoop"]
    sectors = {
        sector
        for sector, weighted in placement_demo.SECTOR_ROLES.items()
        if any(name in role_names for name, _w in weighted)
    }
    hosts = placement_demo._hosts(demo_companies)
    fitting = [h for h in hosts if h.sector in sectors] or hosts
    choice = placement_demo._ProgrammeChoice(
        programme.pk,
        programme.name,
        programme.kind,
        programme.level,
    )
    rng = random.Random(seed)
    now = timezone.now()
    starts = placement_demo.start_dates(timezone.localdate(now))
    made = []
    capacity = 0
    while capacity < needed:
        host = rng.choice(fitting)
        role = placement_demo.ROLES[rng.choice(role_names)]
        placement, _targets = placement_demo._placement(
            rng, host, role, [choice], now - dt.timedelta(days=rng.randint(1, 60)), starts
        )
        made.append(placement)
        capacity += placement.positions
    from stagebrug.placements.models import Placement

    with transaction.atomic():
        Placement.objects.bulk_create(made, batch_size=1000)
        PlacementProgramme.objects.bulk_create(
            [
                PlacementProgramme(
                    placement=p,
                    programme=programme,
                    decision=ProgrammeDecision.APPROVED,
                    decided_at=p.published_at,
                )
                for p in made
            ],
            batch_size=1000,
        )
    return len(made), companies_created


def _popularity(rng: random.Random, seats: list[RoundSeat], skew: float) -> dict[int, float]:
    """Zipf popularity: a few placements are wanted far more than the rest. Better-paid
    placements tend to be more popular (W22: the best pick the best payers)."""
    order = sorted(
        seats, key=lambda s: -(float(s.placement.monthly_allowance) + rng.uniform(0, 400))
    )
    return {seat.placement_id: 1.0 / (rank**skew) for rank, seat in enumerate(order, start=1)}


def submit_rankings(*, round: Round, seed: int = 1, skew: float | None = None) -> int:
    """Every student of the round ranks 3 to max_choices placements (2 % rank nothing), drawn
    by popularity and nearness to home, through the student's own service call."""
    rng = random.Random(seed)
    seats = list(
        RoundSeat.objects.filter(round=round)
        .select_related("placement__location__pc4")
        .order_by("placement_id")
    )
    popularity = _popularity(rng, seats, SKEW if skew is None else skew)
    where = {
        s.placement_id: (
            (s.placement.latitude, s.placement.longitude)
            if s.placement.latitude is not None
            else None
        )
        for s in seats
    }
    entries = RoundStudent.objects.filter(round=round).select_related(
        "student__student_profile__home_pc4"
    )
    submitted = 0
    for entry in entries.order_by("student_id"):
        if rng.random() < 0.02:
            continue  # a few students never rank (the statistics show them)
        profile = getattr(entry.student, "student_profile", None)
        home = home_point(entry.student)
        reach = float(profile.max_travel_km) if profile is not None else 20.0
        weights = {}
        for pk, base in popularity.items():
            km = haversine_km(home, where[pk]) if home and where[pk] else reach / 2
            # Nearness counts: a placement at the edge of the student's reach is wanted a
            # third as much as one next door, and beyond it far less.
            weights[pk] = base * math.exp(-km / (reach * 0.9)) * rng.uniform(0.5, 1.5)
        k = min(len(weights), rng.randint(3, round.max_choices))
        chosen: list[int] = []
        pool = dict(weights)
        for _ in range(k):  # weighted sampling without replacement, in order of wanting
            total = sum(pool.values())
            pick = rng.uniform(0, total)
            picked = next(iter(pool))
            for candidate, w in pool.items():
                picked = candidate
                pick -= w
                if pick <= 0:
                    break
            chosen.append(picked)
            del pool[picked]
        services.round_submit_choices(round=round, student=entry.student, placement_ids=chosen)
        submitted += 1
    return submitted


def set_business_rankings(*, round: Round, by: User, seed: int = 1) -> None:
    """Businesses choose how to rank: about half the fit score, a third everyone welcome, the
    rest rank their candidates themselves (the demo shuffles them)."""
    rng = random.Random(seed)
    for seat in (
        RoundSeat.objects.filter(round=round)
        .select_related("placement__company", "round")
        .order_by("placement_id")
    ):
        roll = rng.random()
        if roll < 0.5:
            continue  # the default: the fit score ranks
        if roll < 0.8:
            services.round_set_seat_ranking(seat=seat, by=by, ranking=SeatRanking.ACCEPT_ALL)
            continue
        students = [c.student_id for c in candidates(seat=seat)]
        if not students:
            continue
        rng.shuffle(students)
        services.round_set_seat_ranking(
            seat=seat, by=by, ranking=SeatRanking.RANK, student_ids=students
        )


def prepare_round_demo(
    *,
    students: int = 200,
    programme: Programme | None = None,
    seed: int = 1,
    close: bool = True,
    max_choices: int = 5,
) -> DemoRound:
    """The whole demo round, ready to run: students, seats, round, rankings; closed by
    default so the coordinator can press "Run" at once."""
    from stagebrug.demo.personas import create_personas

    create_personas()
    coordinator = User.objects.get(email=COORDINATOR_EMAIL)
    operator = User.objects.get(email=OPERATOR_EMAIL)
    programme = programme or demo_programme()
    institution = Institution.objects.get(pk=programme.institution_id)
    placements, companies = ensure_seats(programme=programme, students=students, seed=seed)
    created = ensure_students(programme=programme, count=students, seed=seed)
    today = timezone.localdate()
    cohort = f"{today.year}-{today.year + 1}"
    manager = coordinator if institution.brin == ROCVA_BRIN else operator
    with transaction.atomic():  # all or nothing, so --if-empty can always build it again
        round = services.round_create(
            programme=programme,
            by=manager,
            name=DEMO_ROUND_NAME % {"programme": programme.name, "cohort": cohort},
            cohort=cohort,
            deadline=timezone.now() + dt.timedelta(days=14),
            max_choices=max_choices,
            seed=seed,
        )
        services.round_open(round=round, by=manager, notify=False)
        submit_rankings(round=round, seed=seed)
        set_business_rankings(round=round, by=operator, seed=seed)
        if close:
            services.round_close(round=round, by=manager)
    return DemoRound(
        round=round,
        students_created=created,
        placements_created=placements,
        companies_created=companies,
    )
