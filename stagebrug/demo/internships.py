"""Demo internships: demo students placed at demo placements through the same service as an
accepted offer (`internships.services.internship_confirm`), so positions, filled placements
and the audit trail are what they would be; some get a school supervisor."""

from __future__ import annotations

import random
from collections import defaultdict

from stagebrug.accounts.models import Membership, Role, User
from stagebrug.applications.hooks import Confirmation
from stagebrug.internships import selectors
from stagebrug.internships import services as internship_services
from stagebrug.internships.models import Internship
from stagebrug.placements.models import PlacementProgramme, ProgrammeDecision, Status

BATCH = 50


def generate_internships(
    *, count: int, seed: int = 4, skip_programme_ids: frozenset[int] = frozenset()
) -> int:
    """Place up to `count` demo students (no login) at published placements approved for
    their programme and level. Programmes in `skip_programme_ids` are left alone (the matching
    round demo places its own cohort). Returns how many internships were made."""
    rng = random.Random(seed)
    placed = {row["student_id"] for row in selectors.placed_students()}
    students: dict[int, list[int]] = defaultdict(list)
    for programme_id, user_id in (
        Membership.objects.filter(
            role=Role.STUDENT,
            programme__isnull=False,
            user__email__endswith="@student.stagebrug.example",
        )
        .exclude(programme_id__in=skip_programme_ids)
        .order_by("user_id")
        .values_list("programme_id", "user_id")
    ):
        if user_id not in placed:
            students[programme_id].append(user_id)
    targets = [
        t
        for t in PlacementProgramme.objects.filter(
            decision=ProgrammeDecision.APPROVED,
            placement__status=Status.PUBLISHED,
            programme_id__in=list(students),
        )
        .select_related("placement", "programme")
        .order_by("pk")
        if t.programme.level in t.placement.levels
    ]
    rng.shuffle(targets)
    free = {t.placement_id: t.placement.free_positions for t in targets}
    confirmations: list[Confirmation] = []
    for target in targets:
        if len(confirmations) >= count:
            break
        waiting = students[target.programme_id]
        if not waiting or free[target.placement_id] <= 0:
            continue
        student_id = waiting.pop(rng.randrange(len(waiting)))
        free[target.placement_id] -= 1
        confirmations.append(
            Confirmation(
                student_id=student_id,
                programme_id=target.programme_id,
                placement=target.placement,
                source=Internship.Source.APPLICATION,
            )
        )
    made = 0
    for start in range(0, len(confirmations), BATCH):
        made += len(
            internship_services.internship_confirm(
                confirmations=confirmations[start : start + BATCH], by=None
            )
        )
    return made


def assign_school_supervisors(*, coordinator: User, teacher: User, share: float = 0.5) -> int:
    """The coordinator assigns the teacher to a share of the school's internships that have
    no school supervisor yet (the rest stays "nobody yet", as in a real school)."""
    open_ones = list(
        Internship.objects.filter(
            institution__memberships__user=coordinator,
            institution__memberships__role=Role.SCHOOL_COORDINATOR,
            school_supervisor__isnull=True,
        ).order_by("pk")
    )
    chosen = open_ones[: int(len(open_ones) * share)]
    for internship in chosen:
        internship_services.internship_assign_school_supervisor(
            internship=internship, by=coordinator, school_supervisor=teacher
        )
    return len(chosen)
